import type { SequenceLossAnatomy } from '../lib/names/anatomy.js';
import type { NamesConfig } from '../lib/names/config.js';
import type { SampledName } from '../lib/names/sample.js';
import type { NamesEpochMetrics, NamesEvaluation } from '../lib/names/trainer.js';
import { IGNORE_INDEX } from '../lib/names/vocab.js';
import { epochNote, pct, type TableColumn } from './report.js';
import { bold, dim } from './style.js';

/** Loss in nats per character and perplexity exp(loss), as the names task shows them: "2.0261 (7.58)". */
export const natsAndPerplexity = (loss: number): string => `${loss.toFixed(4)} (${Math.exp(loss).toFixed(2)})`;

/** The names task's epoch table: loss in nats/char with its perplexity beside it, next-character accuracy. */
export const NAMES_COLUMNS: readonly TableColumn<NamesEpochMetrics>[] = [
  { title: 'epoch', width: 7, align: 'right', cell: (m) => String(m.epoch) },
  { title: 'train nats/ch (ppl)', width: 21, align: 'right', cell: (m) => natsAndPerplexity(m.trainLoss) },
  { title: 'val nats/ch (ppl)', width: 21, align: 'right', cell: (m) => natsAndPerplexity(m.valLoss) },
  { title: 'val acc', width: 9, align: 'right', cell: (m) => pct(m.valAcc) },
  { title: 'lr', width: 10, align: 'right', cell: (m) => m.lr.toExponential(2) },
  { title: 'time', width: 8, align: 'right', cell: (m) => `${m.seconds.toFixed(1)}s` },
  { title: 'note', width: 18, align: 'left', cell: epochNote },
];

/** "adamw lr 0.006 (warm-up 30 steps, cosine to 0.0006), weight decay 0.01, batch 32, ...". */
export function describeNamesTraining(c: NamesConfig): string {
  const stop = c.patience > 0 ? `early stopping after ${c.patience} epochs without a better validation loss` : 'no early stopping';
  const warm = c.warmupSteps > 0 ? `warm-up ${c.warmupSteps} steps, ` : '';
  return `adamw lr ${c.lr} (${warm}cosine to ${+(c.lr * c.minLrFactor).toPrecision(3)}), weight decay ${c.weightDecay}, batch ${c.batchSize}, up to ${c.epochs} epochs, ${stop}, seed ${c.seed}`;
}

/** "2.0261 nats/char (perplexity 7.58)". */
export const evaluationLine = (e: Pick<NamesEvaluation, 'loss' | 'perplexity'>): string => `${e.loss.toFixed(4)} nats/char (perplexity ${e.perplexity.toFixed(2)})`;

/** Sampled names in rows of five, training-set names marked with '*'. */
export function samplesBlock(samples: readonly SampledName[], c: Pick<NamesConfig, 'temperature' | 'topK' | 'seed'>): string[] {
  const known = samples.filter((s) => s.inTraining).length;
  const lines = [bold(`${samples.length} names sampled`) + dim(` (temperature ${c.temperature}, ${c.topK > 0 ? `top-k ${c.topK}` : 'no top-k'}, seed ${c.seed}; * = a name of the training set, ${known} of ${samples.length})`)];
  for (let i = 0; i < samples.length; i += 5) {
    lines.push('  ' + samples.slice(i, i + 5).map((s) => `${s.name === '' ? '(empty)' : s.name}${s.inTraining ? '*' : ''}`.padEnd(17)).join(' ').trimEnd());
  }
  return lines;
}

const num = (v: number | null, digits = 4, width = 10): string => (v === null ? '' : v.toFixed(digits)).padStart(width);

/**
 * The loss of one validation name taken apart, position by position: the logit of the true next
 * character, LogSoftmax, the NLL term, the padding that ignoreIndex skips, and CrossEntropyLoss
 * in its (N, C, T) and flattened (N*T, C) forms next to the mean of the terms.
 */
export function anatomyBlock(a: SequenceLossAnatomy, vocabSize: number): string[] {
  const t = a.positions.length;
  const lines = [
    bold(`What the loss is made of (validation name "${a.name}", padded to ${t} positions):`),
    dim('    t  input  target   z[target]  logsumexp(z)  LogSoftmax   NLL term   model says'),
  ];
  a.positions.forEach((p, i) => {
    const head = `  ${String(i).padStart(3)}  ${p.input.padEnd(5)}  ${p.target.padEnd(6)}`;
    lines.push(p.ignored
      ? dim(`${head}  padding: target ${IGNORE_INDEX} = ignoreIndex, not counted`)
      : `${head}${num(p.logit, 4, 12)}${num(p.logSumExp, 4, 14)}${num(p.logSoftmax, 4, 12)}${num(p.nll, 4, 11)}   ${p.predicted}`);
  });
  const terms = a.positions.filter((p) => !p.ignored).map((p) => p.nll.toFixed(4));
  const nct = `CrossEntropyLoss(logits (1, ${vocabSize}, ${t}), targets (1, ${t}), ignoreIndex ${IGNORE_INDEX})`;
  const flat = `CrossEntropyLoss(logits (${t}, ${vocabSize}), targets (${t}), ignoreIndex ${IGNORE_INDEX}), flattened`;
  const width = Math.max(nct.length, flat.length);
  lines.push(
    `  mean of the ${a.counted} NLL terms (${t - a.counted} padding positions ignored) = (${terms.join(' + ')}) / ${a.counted} = ${bold(a.meanNll.toFixed(6))}`,
    `  ${nct.padEnd(width)} = ${bold(a.crossEntropyNCT.toFixed(6))}`,
    `  ${flat.padEnd(width)} = ${bold(a.crossEntropyFlat.toFixed(6))}`,
    dim(`  the classic mistake, padding given the '.' target and averaged in: ${a.paddingCounted.toFixed(6)}`),
  );
  return lines;
}
