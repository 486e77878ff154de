import * as vega from 'vega';
import * as vl from 'vega-lite';
import type { EpochMetrics } from '../lib/metrics.js';

const COLORS = { domain: ['train', 'validation'], range: ['#2563eb', '#ea580c'] };

/** How a chart names its axes and what the training curve means; the digits task's by default. */
export interface ChartLabels {
  loss: string;
  accuracy: string;
  /** What the training numbers are (the second subtitle line). */
  note: string;
}

const DIGIT_LABELS: ChartLabels = {
  loss: 'CrossEntropyLoss',
  accuracy: 'accuracy',
  note: 'train: mean over the epoch with dropout and shifts on; validation: eval mode, after the epoch',
};

/**
 * Training vs validation loss and accuracy per epoch, side by side, as an SVG (vega-lite,
 * rendered headless: no canvas, no browser). The best epoch (the restored weights) is marked.
 */
export async function historyChartSvg(history: readonly EpochMetrics[], bestEpoch: number, title: string, labels: ChartLabels = DIGIT_LABELS): Promise<string> {
  const rows = history.flatMap((m) => [
    { epoch: m.epoch, split: 'train', loss: m.trainLoss, accuracy: m.trainAcc },
    { epoch: m.epoch, split: 'validation', loss: m.valLoss, accuracy: m.valAcc },
  ]);
  const panel = (field: 'loss' | 'accuracy', yTitle: string, format: string): vl.TopLevelSpec extends infer _ ? object : never => ({
    width: 320,
    height: 220,
    layer: [
      {
        mark: { type: 'line', point: true, strokeWidth: 2 },
        encoding: {
          x: { field: 'epoch', type: 'quantitative', axis: { tickMinStep: 1, format: 'd' }, scale: { domain: [1, Math.max(2, history.length)] } },
          y: { field, type: 'quantitative', title: yTitle, axis: { format }, scale: { zero: false } },
          color: { field: 'split', type: 'nominal', scale: COLORS, legend: { title: null, orient: 'top' } },
        },
      },
      {
        data: { values: [{ epoch: bestEpoch }] },
        mark: { type: 'rule', strokeDash: [4, 4], color: '#16a34a' },
        encoding: { x: { field: 'epoch', type: 'quantitative' } },
      },
    ],
  });
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: title, subtitle: [
        `dashed line: the best epoch (${bestEpoch}), whose weights were kept`,
        labels.note,
      ], anchor: 'start' },
    data: { values: rows },
    hconcat: [panel('loss', labels.loss, '.3f'), panel('accuracy', labels.accuracy, '.1%')],
    config: { background: 'white', padding: 12, font: 'Helvetica, Arial, sans-serif' },
  } as unknown as vl.TopLevelSpec;
  const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
