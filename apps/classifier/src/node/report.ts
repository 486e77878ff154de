import cliProgress from 'cli-progress';
import Table from 'cli-table3';
import type { EpochMetrics } from '../lib/metrics.js';
import { bold, cyan, dim, green, red, yellow } from './style.js';

const pct = (v: number): string => `${(v * 100).toFixed(2)}%`;

/** A progress bar per epoch on stderr (silent when stderr is not a terminal). */
export function epochProgress(epochs: number): { start(epoch: number, batches: number): void; update(batch: number, loss: number): void; stop(): void } {
  const bar = new cliProgress.SingleBar(
    {
      format: `  epoch {epoch}/${epochs} ${cyan('{bar}')} {value}/{total} batches | loss {loss} | {duration_formatted}`,
      barCompleteChar: '\u2588',
      barIncompleteChar: '\u2591',
      barsize: 28,
      hideCursor: true,
      clearOnComplete: true,
      stream: process.stderr,
    },
    cliProgress.Presets.shades_classic,
  );
  return {
    start: (epoch, batches) => bar.start(batches, 0, { epoch, loss: '-' }),
    update: (batch, loss) => bar.update(batch, { loss: loss.toFixed(4) }),
    stop: () => bar.stop(),
  };
}

/** One column of an epoch table: its title, width, alignment and how a row's cell reads. */
export interface TableColumn<M> {
  title: string;
  width: number;
  align: 'left' | 'right';
  cell(m: M): string;
}

/** The note column: a warning when the epoch looks like overfitting, a star when it is the best so far. */
const note = (m: EpochMetrics): string => (m.overfitting ? yellow('⚠ overfitting?') : m.best ? green('★ best so far') : '');

/** The digits task's columns. */
export const DIGIT_COLUMNS: readonly TableColumn<EpochMetrics>[] = [
  { title: 'epoch', width: 7, align: 'right', cell: (m) => String(m.epoch) },
  { title: 'train loss', width: 12, align: 'right', cell: (m) => m.trainLoss.toFixed(4) },
  { title: 'val loss', width: 12, align: 'right', cell: (m) => m.valLoss.toFixed(4) },
  { title: 'train acc', width: 11, align: 'right', cell: (m) => pct(m.trainAcc) },
  { title: 'val acc', width: 11, align: 'right', cell: (m) => pct(m.valAcc) },
  { title: 'time', width: 8, align: 'right', cell: (m) => `${m.seconds.toFixed(1)}s` },
  { title: 'note', width: 18, align: 'left', cell: note },
];

/** The per-epoch table, printed one row at a time as epochs finish (cli-table3 draws each piece). */
export class EpochTable<M extends EpochMetrics = EpochMetrics> {
  private readonly chars = { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' };
  private readonly widths: number[];
  private readonly aligns: ('left' | 'right')[];

  constructor(private readonly columns: readonly TableColumn<M>[] = DIGIT_COLUMNS as readonly TableColumn<M>[]) {
    this.widths = columns.map((c) => c.width);
    this.aligns = columns.map((c) => c.align);
  }

  header(): string {
    const t = new Table({ head: this.columns.map((c) => bold(c.title)), colWidths: this.widths, colAligns: this.aligns, style: { head: [], border: [] }, chars: { ...this.chars, bottom: '', 'bottom-left': '', 'bottom-mid': '', 'bottom-right': '' } });
    // Only the top border and the header: cli-table3 always draws a bottom line, so drop it.
    return t.toString().split('\n').slice(0, 3).join('\n').replace(/\n$/, '') + '\n' + this.rule('╞', '╪', '╡', '═');
  }

  row(m: M): string {
    const t = new Table({ colWidths: this.widths, colAligns: this.aligns, style: { head: [], border: [] }, chars: { ...this.chars, top: '', 'top-left': '', 'top-mid': '', 'top-right': '', bottom: '', 'bottom-left': '', 'bottom-mid': '', 'bottom-right': '' } });
    t.push(this.columns.map((c) => c.cell(m)));
    return t.toString().split('\n').filter((l) => l.trim() !== '').join('\n');
  }

  footer(): string {
    return this.rule('└', '┴', '┘', '─');
  }

  private rule(left: string, mid: string, right: string, line: string): string {
    return left + this.widths.map((w) => line.repeat(w)).join(mid) + right;
  }
}

/** The test confusion matrix: rows are true classes, columns predictions; the diagonal in green. */
export function confusionTable(matrix: readonly (readonly number[])[], classNames: readonly string[]): string {
  const short = classNames.map((n) => (n.length > 7 ? `${n.slice(0, 6)}…` : n));
  const t = new Table({
    head: [dim('true \\ pred'), ...short.map((n) => bold(n))],
    style: { head: [], border: [], compact: true },
    colAligns: ['left', ...short.map(() => 'right' as const)],
  });
  matrix.forEach((row, i) => {
    const worst = Math.max(...row.filter((_, j) => j !== i));
    t.push([bold(short[i]), ...row.map((v, j) => (j === i ? green(String(v)) : v === 0 ? dim('·') : v === worst && v >= 3 ? red(String(v)) : yellow(String(v))))]);
  });
  return t.toString();
}

export { note as epochNote, pct };
