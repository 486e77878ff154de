/** The Names tab: settings, live curves and epoch table, sampled names with a temperature slider, the loss panel. */
import type { BackendChoice } from '../lib/backends.js';
import type { NamesConfig } from '../lib/names/config.js';
import type { NamesEpochMetrics } from '../lib/names/trainer.js';
import { HistoryCharts } from './charts.js';
import type { FromNamesWorker, ToNamesWorker } from './names-protocol.js';
import { renderNamesAnatomy, renderSamples } from './names-panel.js';

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const pct = (v: number): string => `${(v * 100).toFixed(1)}%`;
const nats = (v: number): string => `${v.toFixed(4)} (${Math.exp(v).toFixed(2)})`;

/** Wires the Names tab to its own worker (started on the first Train). */
export function setupNamesTab(): void {
  const form = $<HTMLFormElement>('names-settings');
  const state = $('names-state');
  const bar = $('names-progress-bar');
  const slider = $<HTMLInputElement>('names-temperature');
  // Made on the first Train, when the tab is on screen: Chart.js sizes a canvas from its box.
  let charts: HistoryCharts | null = null;
  let worker: Worker | null = null;
  let epochs = 1;
  const send = (m: ToNamesWorker): void => worker?.postMessage(m);

  const setState = (name: 'idle' | 'running' | 'done' | 'error', text: string): void => {
    state.dataset.state = name;
    state.textContent = text;
    $<HTMLButtonElement>('names-train').disabled = name === 'running';
    $<HTMLButtonElement>('names-stop').disabled = name !== 'running';
  };
  const fact = (term: string, value: string, id: string): void =>
    $('names-facts').insertAdjacentHTML('beforeend', `<dt>${term}</dt><dd id="${id}">${value}</dd>`);

  const addEpoch = (m: NamesEpochMetrics): void => {
    charts?.add(m);
    const tr = document.createElement('tr');
    if (m.best) tr.className = 'best';
    tr.innerHTML = `<td>${m.epoch}${m.best ? ' ★' : ''}</td><td>${nats(m.trainLoss)}</td><td>${nats(m.valLoss)}</td><td>${pct(m.valAcc)}</td><td>${m.seconds.toFixed(1)} s</td>`;
    document.querySelector('#names-epochs tbody')!.appendChild(tr);
    const val = $('names-val');
    val.textContent = nats(m.valLoss);
    val.dataset.value = String(m.valLoss);
    if (m.overfitting) {
      const warn = $('names-overfit');
      warn.hidden = false;
      warn.textContent = `⚠ Epoch ${m.epoch}: the model may be starting to overfit — ${m.overfitting}. Early stopping keeps the weights with the lowest validation loss.`;
    }
  };

  const onMessage = (ev: MessageEvent<FromNamesWorker>): void => {
    const m = ev.data;
    switch (m.type) {
      case 'status':
        setState('running', m.text);
        break;
      case 'started':
        epochs = m.epochs;
        $('names-facts').innerHTML = '';
        fact('backend', m.backend, 'names-backend-used');
        if (m.reason) fact('why', m.reason, 'names-backend-reason');
        fact('model', m.model, 'names-model');
        fact('data', `${m.sizes.names.toLocaleString()} names: ${m.sizes.train.toLocaleString()} train · ${m.sizes.val.toLocaleString()} validation · ${m.sizes.test.toLocaleString()} test`, 'names-data');
        fact('bigram baseline', `${nats(m.baselineVal)} validation`, 'names-baseline');
        fact('validation nats/char (ppl)', '–', 'names-val');
        fact('test nats/char (ppl)', '–', 'names-test');
        $<HTMLInputElement>('names-inspect').value = m.firstValName;
        setState('running', `training epoch 1 of ${epochs}…`);
        break;
      case 'batch':
        bar.style.width = `${((m.epoch - 1 + m.batch / m.batches) / epochs) * 100}%`;
        state.textContent = `epoch ${m.epoch}/${epochs} · batch ${m.batch}/${m.batches} · loss ${m.loss.toFixed(4)} nats/char`;
        break;
      case 'epoch':
        addEpoch(m.metrics);
        break;
      case 'samples':
        renderSamples(document, m.samples, m.temperature, m.when);
        break;
      case 'anatomy':
        $('names-inspect-error').textContent = '';
        renderNamesAnatomy(document, m.anatomy, m.vocabSize);
        break;
      case 'done': {
        bar.style.width = '100%';
        const test = $('names-test');
        test.textContent = `${nats(m.testLoss)} · bigram ${nats(m.baselineTest)}`;
        test.dataset.value = String(m.testLoss);
        const why = m.stopReason === 'early-stopping' ? `early stopping kept epoch ${m.bestEpoch}` : m.stopReason === 'stopped' ? `stopped; kept epoch ${m.bestEpoch}` : `best epoch ${m.bestEpoch}`;
        setState('done', `done in ${m.trainSeconds.toFixed(1)} s (${why}) · test ${m.testLoss.toFixed(4)} nats/char`);
        break;
      }
      case 'error':
        if (m.inspect) $('names-inspect-error').textContent = m.message;
        else setState('error', `error: ${m.message}`);
        break;
    }
  };

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (!worker) {
      worker = new Worker(new URL('./names-worker.ts', import.meta.url), { type: 'module' });
      worker.onmessage = onMessage;
    }
    const f = new FormData(form);
    const num = (k: string): number => Number(f.get(k));
    const config: Partial<NamesConfig> = {
      epochs: num('epochs'), batchSize: num('batchSize'), lr: num('lr'), width: num('width'), heads: num('heads'), layers: num('layers'),
      dropout: num('dropout'), patience: num('patience'), seed: num('seed'), temperature: Number(slider.value),
    };
    charts ??= new HistoryCharts($<HTMLCanvasElement>('names-loss-chart'), $<HTMLCanvasElement>('names-acc-chart'), { loss: 'nats per character', accuracy: 'next-character accuracy' });
    charts.reset();
    document.querySelector('#names-epochs tbody')!.innerHTML = '';
    $('names-overfit').hidden = true;
    bar.style.width = '0%';
    const backend = $<HTMLSelectElement>('backend').value as BackendChoice;
    send({ type: 'train', backend, config, namesUrl: new URL('data/names.txt', document.baseURI).href });
  });
  $('names-stop').addEventListener('click', () => send({ type: 'stop' }));
  const showTemperature = (): void => void ($('names-temperature-value').textContent = Number(slider.value).toFixed(1));
  slider.addEventListener('input', showTemperature);
  slider.addEventListener('change', () => send({ type: 'sample', temperature: Number(slider.value) }));
  $<HTMLFormElement>('names-inspect-form').addEventListener('submit', (e) => {
    e.preventDefault();
    send({ type: 'inspect', name: $<HTMLInputElement>('names-inspect').value });
  });
  showTemperature();
}
