import type { Inspection } from './protocol.js';

const fmt = (v: number, digits: number): string => (Object.is(v, -0) ? 0 : v).toFixed(digits);

/** Draws a 28x28 image of 0..255 bytes as white ink on black, like MNIST. */
export function drawImage(canvas: HTMLCanvasElement, image: Uint8Array, rows: number, cols: number): void {
  const ctx = canvas.getContext('2d')!;
  const img = ctx.createImageData(cols, rows);
  image.forEach((v, i) => img.data.set([v, v, v, 255], 4 * i));
  ctx.putImageData(img, 0, 0);
}

/**
 * The loss panel: one validation image's logits, LogSoftmax values and softmax probabilities per
 * class, then the NLL at the true class next to CrossEntropyLoss — the same number.
 */
export function renderInspection(root: Document, ins: Inspection, classNames: readonly string[], rows = 28, cols = 28): void {
  const a = ins.anatomy;
  drawImage(root.getElementById('sample') as HTMLCanvasElement, ins.image, rows, cols);
  const verdict = a.predicted === a.label ? `<span class="ok">predicted ${classNames[a.predicted]} ✓</span>` : `<span class="bad">predicted ${classNames[a.predicted]} ✗</span>`;
  root.getElementById('sample-caption')!.innerHTML = `Validation image #${ins.index}: a <b>${classNames[a.label]}</b> (true class y); ${verdict}`;
  const body = root.querySelector('#logits tbody')!;
  body.innerHTML = '';
  a.logits.forEach((z, k) => {
    const tr = document.createElement('tr');
    if (k === a.label) tr.className = 'true-class';
    const p = a.probabilities[k];
    tr.innerHTML =
      `<td>${classNames[k]}${k === a.label ? ' <small>(y)</small>' : ''}</td><td>${fmt(z, 3)}</td><td>${fmt(a.logSoftmax[k], 4)}</td>` +
      `<td><div class="bar${p > 0.4 ? ' full' : ''}"><i style="width:${(p * 100).toFixed(1)}%"></i><span>${(p * 100).toFixed(2)}%</span></div></td>`;
    body.appendChild(tr);
  });
  root.getElementById('lse')!.textContent = fmt(a.logSumExp, 4);
  const nll = root.getElementById('nll')!;
  const ce = root.getElementById('ce')!;
  nll.textContent = fmt(a.nll, 6);
  nll.dataset.value = String(a.nll);
  ce.textContent = fmt(a.crossEntropy, 6);
  ce.dataset.value = String(a.crossEntropy);
}
