import { describe, expect, test } from 'vitest';
import { docBlocks, runDocBlock } from './helpers/doc-examples.js';

// Every ```ts block of docs/optim.md runs as written and prints what its `// ->` comments say
// (the page rounds to 3 significant digits or more).
const blocks = docBlocks('optim.md');

describe('docs/optim.md examples', () => {
  test('the page has an example for each section', () => {
    expect(blocks.length).toBe(4);
  });

  test.each(blocks.map((code, i) => [i + 1, code] as const))('example %i runs and prints what it says', async (i, code) => {
    await runDocBlock(code, `optim-example-${i}`, 2e-3);
  });
});
