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

const COLUMNS = ['epoch', 'train loss', 'val loss', 'train acc', 'val acc', 'time', 'note'];
const ALIGNS = ['right', 'right', 'right', 'right', 'right', 'right', 'left'] as const;
const WIDTHS = [7, 12, 12, 11, 11, 8, 18];

/** The per-epoch table, printed one row at a time as epochs finish (cli-table3 draws each piece). */
export class EpochTable {
  private readonly chars = { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' };

  header(): string {
    const t = new Table({ head: COLUMNS.map((c) => bold(c)), colWidths: WIDTHS, colAligns: [...ALIGNS], style: { head: [], border: [] }, chars: { ...this.chars, bottom: '', 'bottom-left': '', 'bottom-mid': '', 'bottom-right': '' } });
    // Only the top border and the header: cli-table3 always draws a bottom line, so drop it.
    return t.toString().split('\n').slice(0, 3).join('\n').replace(/\n$/, '') + '\n' + this.rule('╞', '╪', '╡', '═');
  }

  row(m: EpochMetrics): string {
    const note = m.overfitting ? yellow('⚠ overfitting?') : m.best ? green('★ best so far') : '';
    const cells = [String(m.epoch), m.trainLoss.toFixed(4), m.valLoss.toFixed(4), pct(m.trainAcc), pct(m.valAcc), `${m.seconds.toFixed(1)}s`, note];
    const t = new Table({ colWidths: WIDTHS, colAligns: [...ALIGNS], style: { head: [], border: [] }, chars: { ...this.chars, top: '', 'top-left': '', 'top-mid': '', 'top-right': '', bottom: '', 'bottom-left': '', 'bottom-mid': '', 'bottom-right': '' } });
    t.push(cells);
    return t.toString().split('\n').filter((l) => l.trim() !== '').join('\n');
  }

  footer(): string {
    return this.rule('└', '┴', '┘', '─');
  }

  private rule(left: string, mid: string, right: string, line: string): string {
    return left + WIDTHS.map((w) => line.repeat(w)).join(mid) + right;
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

export { pct };
