/**
 * Writes data/logit-docs/{train,valid,test}.txt: the prose of this repository's own Markdown
 * (README.md, docs/*.md, the packages' and apps' READMEs) as a small word-level corpus in
 * wikitext's layout: one sentence per line, words and punctuation separated by spaces. Code
 * blocks, tables, images and link targets are dropped. Every tenth sentence goes to valid and
 * the one after it to test. Run from the repository root: `npx tsx examples/word-language-model/make-corpus.ts`.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
const sources = [
  'README.md',
  ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`),
  ...['packages', 'apps'].flatMap((dir) => readdirSync(join(root, dir)).sort().map((p) => `${dir}/${p}/README.md`)),
];

function prose(markdown: string): string {
  return markdown
    .replace(/```[\s\S]*?```/g, ' ')
    .split('\n')
    .filter((line) => !/^\s*(\||#|!\[|<!--|[-=]{3,})/.test(line))
    .join('\n')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/`[^`]*`/g, ' ')
    .replace(/[*_>]/g, ' ');
}

function sentences(text: string): string[] {
  return text
    .replace(/\s+/g, ' ')
    .split(/(?<=[.!?])\s+(?=[A-Z])/)
    .map((s) => s.replace(/([.,;:!?()"'])/g, ' $1 ').replace(/\s+/g, ' ').trim())
    .filter((s) => s.split(' ').length >= 4);
}

const all: string[] = [];
for (const file of sources) {
  try {
    all.push(...sentences(prose(readFileSync(join(root, file), 'utf8'))));
  } catch {
    // a package without a README
  }
}
const split = { train: [] as string[], valid: [] as string[], test: [] as string[] };
all.forEach((s, i) => (i % 10 === 3 ? split.valid : i % 10 === 4 ? split.test : split.train).push(s));
const out = join(import.meta.dirname, 'data', 'logit-docs');
mkdirSync(out, { recursive: true });
for (const [name, lines] of Object.entries(split)) writeFileSync(join(out, `${name}.txt`), `${lines.join('\n')}\n`);
console.log(`${all.length} sentences from ${sources.length} files: ${split.train.length} train, ${split.valid.length} valid, ${split.test.length} test`);
