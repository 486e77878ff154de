import type { SequenceLossAnatomy } from '../lib/names/anatomy.js';
import type { SampledName } from '../lib/names/sample.js';
import { IGNORE_INDEX } from '../lib/names/vocab.js';

const fmt = (v: number, digits: number): string => (Object.is(v, -0) ? 0 : v).toFixed(digits);
const esc = (s: string): string => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The names loss panel: per position of one name, the true next character's logit, logsumexp,
 * LogSoftmax and NLL term (data-nll holds the full number), padding rows marked ignored; then
 * the mean of the terms next to CrossEntropyLoss on (N, C, T) and on the flattened (N*T, C).
 */
export function renderNamesAnatomy(root: Document, a: SequenceLossAnatomy, vocabSize: number): void {
  const t = a.positions.length;
  root.getElementById('names-anatomy-caption')!.innerHTML =
    `“<b>${esc(a.name)}</b>” padded to T = ${t} positions: ${a.counted} characters to predict (its letters and the end “.”), ${t - a.counted} padding positions with target ${IGNORE_INDEX} = ignoreIndex.`;
  const body = root.querySelector('#names-positions tbody')!;
  body.innerHTML = '';
  a.positions.forEach((p, i) => {
    const tr = document.createElement('tr');
    tr.dataset.ignored = String(p.ignored);
    if (p.ignored) {
      tr.className = 'ignored';
      tr.innerHTML = `<td>${i}</td><td>${esc(p.input)}</td><td>·</td><td colspan="4">padding: ignored, not counted</td><td></td>`;
    } else {
      tr.dataset.nll = String(p.nll);
      tr.innerHTML = `<td>${i}</td><td>${esc(p.input)}</td><td><b>${esc(p.target)}</b></td><td>${fmt(p.logit!, 3)}</td><td>${fmt(p.logSumExp, 3)}</td>` +
        `<td>${fmt(p.logSoftmax!, 4)}</td><td class="term">${fmt(p.nll, 4)}</td><td>${esc(p.predicted)}</td>`;
    }
    body.appendChild(tr);
  });
  const set = (id: string, v: number): void => {
    const el = root.getElementById(id)!;
    el.textContent = fmt(v, 6);
    el.dataset.value = String(v);
  };
  root.getElementById('names-counted')!.textContent = String(a.counted);
  root.querySelectorAll('.names-shape-nct').forEach((el) => (el.textContent = `(1, ${vocabSize}, ${t})`));
  root.querySelectorAll('.names-shape-flat').forEach((el) => (el.textContent = `(${t}, ${vocabSize})`));
  set('names-mean', a.meanNll);
  set('names-ce-nct', a.crossEntropyNCT);
  set('names-ce-flat', a.crossEntropyFlat);
  set('names-ce-padded', a.paddingCounted);
}

/** The sampled names, training-set names marked. */
export function renderSamples(root: Document, samples: readonly SampledName[], temperature: number, when: string): void {
  const list = root.getElementById('names-samples')!;
  list.innerHTML = samples
    .map((s) => `<li class="${s.inTraining ? 'known' : ''}" title="${s.inTraining ? 'a name of the training set' : 'a new name'}">${s.name === '' ? '<i>(empty)</i>' : esc(s.name)}${s.inTraining ? '<sup>*</sup>' : ''}</li>`)
    .join('');
  const known = samples.filter((s) => s.inTraining).length;
  root.getElementById('names-samples-caption')!.textContent = `${samples.length} names at temperature ${temperature.toFixed(1)}, from ${when}; * = in the training set (${known} of ${samples.length}).`;
}
