import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { CATALOGUE } from '../src/index.js';
import { loadGoldens } from '../src/oracles/torch.js';

// A missing oracle data file is an error, never a silent skip: the layer and loss cases it holds
// would otherwise vanish from a published package with every report still green.
const goldens = fileURLToPath(new URL('../../core/test/goldens/', import.meta.url));
const shipped = fileURLToPath(new URL('../dist/data/', import.meta.url));

describe('PyTorch goldens', () => {
  test('a golden file that is not there throws, naming it and where it was looked for', () => {
    expect(() => loadGoldens('no-such-goldens.json')).toThrow(/PyTorch golden file no-such-goldens\.json is missing \(looked in .*dist\/data\/no-such-goldens\.json/);
  });

  test('every golden file is shipped in dist/data, byte for byte (the build copies them all)', () => {
    const names = readdirSync(goldens).filter((n) => n.endsWith('.json'));
    expect(names.length).toBeGreaterThanOrEqual(2);
    for (const n of names) {
      expect(existsSync(shipped + n), n).toBe(true);
      expect(readFileSync(shipped + n, 'utf8') === readFileSync(goldens + n, 'utf8'), n).toBe(true);
    }
  });

  test('the layer and loss cases come from the goldens and carry PyTorch values', () => {
    const fromTorch = CATALOGUE.filter((c) => c.torch && Object.keys(c.torch).length > 0);
    expect(fromTorch.filter((c) => c.family === 'layers').length).toBeGreaterThan(20);
    expect(fromTorch.filter((c) => c.family === 'losses').length).toBeGreaterThan(20);
  });
});
