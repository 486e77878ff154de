import { CategoryScale, Chart, Filler, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';
import type { EpochMetrics } from '../lib/metrics.js';

Chart.register(LineController, LineElement, PointElement, LinearScale, CategoryScale, Legend, Tooltip, Filler);

const TRAIN = '#2563eb';
const VAL = '#ea580c';

function lineChart(canvas: HTMLCanvasElement, title: string, percent: boolean): Chart<'line', number[], string> {
  const dataset = (label: string, color: string) => ({
    label, data: [] as number[], borderColor: color, backgroundColor: color, tension: 0.25, pointRadius: 3, borderWidth: 2,
  });
  return new Chart(canvas, {
    type: 'line',
    data: { labels: [], datasets: [dataset('train', TRAIN), dataset('validation', VAL)] },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: { duration: 250 },
      interaction: { mode: 'index', intersect: false },
      plugins: {
        title: { display: false },
        legend: { position: 'top', labels: { boxWidth: 12 } },
        tooltip: { callbacks: { label: (c) => `${c.dataset.label}: ${percent ? `${(c.parsed.y! * 100).toFixed(2)}%` : c.parsed.y!.toFixed(4)}` } },
      },
      scales: {
        x: { title: { display: true, text: 'epoch' } },
        y: { title: { display: true, text: title }, ticks: { callback: (v) => (percent ? `${(Number(v) * 100).toFixed(0)}%` : Number(v).toFixed(2)) } },
      },
    },
  });
}

/**
 * The two live charts: CrossEntropyLoss and accuracy, training vs validation, one point per epoch.
 * `titles` names the y axes (the names task's loss is in nats per character).
 */
export class HistoryCharts {
  private readonly loss: Chart<'line', number[], string>;
  private readonly acc: Chart<'line', number[], string>;

  constructor(lossCanvas: HTMLCanvasElement, accCanvas: HTMLCanvasElement, titles = { loss: 'CrossEntropyLoss', accuracy: 'accuracy' }) {
    this.loss = lineChart(lossCanvas, titles.loss, false);
    this.acc = lineChart(accCanvas, titles.accuracy, true);
  }

  reset(): void {
    for (const c of [this.loss, this.acc]) {
      c.data.labels = [];
      c.data.datasets.forEach((d) => (d.data = []));
      c.update();
    }
  }

  add(m: EpochMetrics): void {
    const push = (c: Chart<'line', number[], string>, train: number, val: number): void => {
      c.data.labels!.push(String(m.epoch));
      c.data.datasets[0].data.push(train);
      c.data.datasets[1].data.push(val);
      c.update();
    };
    push(this.loss, m.trainLoss, m.valLoss);
    push(this.acc, m.trainAcc, m.valAcc);
  }
}
