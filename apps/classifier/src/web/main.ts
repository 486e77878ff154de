import type { BackendChoice } from '../lib/backends.js';
import type { TrainConfig } from '../lib/config.js';
import type { EpochMetrics } from '../lib/metrics.js';
import { HistoryCharts } from './charts.js';
import { DrawPad } from './draw-pad.js';
import { renderInspection } from './loss-panel.js';
import { setupNamesTab } from './names-page.js';
import type { FromWorker, ToWorker } from './protocol.js';
import { setupTabs } from './tabs.js';

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const pct = (v: number): string => `${(v * 100).toFixed(2)}%`;

const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
const send = (m: ToWorker): void => worker.postMessage(m);

const form = $<HTMLFormElement>('settings');
const state = $('run-state');
const bar = $('progress-bar');
const charts = new HistoryCharts($<HTMLCanvasElement>('loss-chart'), $<HTMLCanvasElement>('acc-chart'));
let classNames: readonly string[] = [];
let sampleIndex = 0;
let epochs = 1;
let trained = false;

/** Backends the page offers, `auto` first (the default); WebGPU only where the browser has navigator.gpu. */
function fillBackends(): void {
  const select = $<HTMLSelectElement>('backend');
  const options: [BackendChoice, string, boolean][] = [
    ['auto', 'auto (the fastest that works here)', true],
    ['cpu', 'cpu (JavaScript)', true],
    ['wasm', 'wasm (WebAssembly SIMD)', true],
    ['webgpu', 'webgpu', 'gpu' in navigator],
  ];
  for (const [value, label, available] of options) {
    const o = new Option(available ? label : `${label} — not in this browser`, value);
    o.disabled = !available;
    select.add(o);
  }
  const asked = new URLSearchParams(location.search).get('backend');
  if (asked && options.some(([v, , ok]) => v === asked && ok)) select.value = asked;
}

function setState(name: 'idle' | 'running' | 'done' | 'error', text: string): void {
  state.dataset.state = name;
  state.textContent = text;
  $<HTMLButtonElement>('train').disabled = name === 'running';
  $<HTMLButtonElement>('stop').disabled = name !== 'running';
}

function fact(term: string, value: string, id?: string): void {
  const dl = $('facts');
  dl.insertAdjacentHTML('beforeend', `<dt>${term}</dt><dd${id ? ` id="${id}"` : ''}>${value}</dd>`);
}

function readConfig(): { backend: BackendChoice; config: Partial<TrainConfig> } {
  const f = new FormData(form);
  const num = (k: string): number => Number(f.get(k));
  return {
    backend: f.get('backend') as BackendChoice,
    config: {
      model: f.get('model') as TrainConfig['model'], epochs: num('epochs'), batchSize: num('batchSize'), lr: num('lr'),
      hidden: num('hidden'), dropout: num('dropout'), patience: num('patience'), seed: num('seed'), augment: f.get('augment') === 'on',
    },
  };
}

function addEpochRow(m: EpochMetrics): void {
  const tr = document.createElement('tr');
  if (m.best) tr.className = 'best';
  tr.innerHTML = `<td>${m.epoch}${m.best ? ' ★' : ''}</td><td>${m.trainLoss.toFixed(4)}</td><td>${m.valLoss.toFixed(4)}</td><td>${pct(m.trainAcc)}</td><td>${pct(m.valAcc)}</td><td>${m.seconds.toFixed(1)} s</td>`;
  document.querySelector('#epochs tbody')!.appendChild(tr);
  const box = tr.closest('.table-scroll')!;
  box.scrollTop = box.scrollHeight; // follow the newest epoch without moving the page
  const warn = $('overfit');
  if (m.overfitting) {
    warn.hidden = false;
    warn.textContent = `⚠ Epoch ${m.epoch}: the model may be starting to overfit — ${m.overfitting}. Early stopping keeps the weights with the lowest validation loss.`;
  }
  $('val-acc').textContent = pct(m.valAcc);
  $('val-acc').dataset.value = String(m.valAcc);
}

worker.onmessage = (ev: MessageEvent<FromWorker>) => {
  const m = ev.data;
  switch (m.type) {
    case 'status':
      setState('running', m.text);
      break;
    case 'started':
      classNames = m.classNames;
      epochs = m.epochs;
      $('facts').innerHTML = '';
      fact('backend', m.backend, 'backend-used');
      if (m.reason) fact('why', m.reason, 'backend-reason');
      fact('model', m.model);
      fact('data', `${m.sizes.train.toLocaleString()} train · ${m.sizes.val.toLocaleString()} validation · ${m.sizes.test.toLocaleString()} test`);
      fact('validation accuracy', '–', 'val-acc');
      fact('test accuracy', '–', 'test-acc');
      setState('running', `training epoch 1 of ${epochs}…`);
      break;
    case 'batch':
      bar.style.width = `${(((m.epoch - 1) + m.batch / m.batches) / epochs) * 100}%`;
      state.textContent = `epoch ${m.epoch}/${epochs} · batch ${m.batch}/${m.batches} · loss ${m.loss.toFixed(4)}`;
      break;
    case 'epoch':
      charts.add(m.metrics);
      addEpochRow(m.metrics);
      break;
    case 'inspection':
      sampleIndex = m.inspection.index;
      renderInspection(document, m.inspection, classNames);
      break;
    case 'done': {
      trained = true;
      bar.style.width = '100%';
      $('test-acc').textContent = pct(m.testAccuracy);
      $('test-acc').dataset.value = String(m.testAccuracy);
      const why = m.stopReason === 'early-stopping' ? `early stopping kept epoch ${m.bestEpoch}` : m.stopReason === 'stopped' ? `stopped; kept epoch ${m.bestEpoch}` : `best epoch ${m.bestEpoch}`;
      setState('done', `done in ${m.trainSeconds.toFixed(1)} s (${why}) · test accuracy ${pct(m.testAccuracy)}`);
      for (const id of ['prev-sample', 'next-sample']) $<HTMLButtonElement>(id).disabled = false;
      $('draw-caption').textContent = 'Draw a digit: the bars are the model’s softmax probabilities.';
      break;
    }
    case 'prediction':
      showProbabilities(m.probabilities);
      break;
    case 'error':
      setState('error', `error: ${m.message}`);
      break;
  }
};

function showProbabilities(probs: number[] | null): void {
  const box = $('draw-probs');
  const best = probs ? probs.indexOf(Math.max(...probs)) : -1;
  box.innerHTML = (probs ?? new Array<number>(10).fill(0))
    .map((p, k) => `<div class="${k === best ? 'top' : ''}"><span>${classNames[k] ?? k}</span><div class="bar"><i style="width:${(p * 100).toFixed(1)}%"></i></div><em>${(p * 100).toFixed(1)}%</em></div>`)
    .join('');
}

form.addEventListener('submit', (e) => {
  e.preventDefault();
  const { backend, config } = readConfig();
  charts.reset();
  document.querySelector('#epochs tbody')!.innerHTML = '';
  $('overfit').hidden = true;
  bar.style.width = '0%';
  send({ type: 'train', backend, config, dataUrl: new URL('data/', document.baseURI).href });
});
$('stop').addEventListener('click', () => send({ type: 'stop' }));
$('next-sample').addEventListener('click', () => send({ type: 'inspect', index: sampleIndex + 1 }));
$('prev-sample').addEventListener('click', () => send({ type: 'inspect', index: sampleIndex - 1 }));
const pad = new DrawPad($<HTMLCanvasElement>('pad'), (pixels) => {
  if (!pixels) return showProbabilities(null);
  if (trained || state.dataset.state === 'running') send({ type: 'predict', pixels });
});
$('clear').addEventListener('click', () => pad.clear());

fillBackends();
showProbabilities(null);
setupTabs(document);
setupNamesTab();
