import { describe, expect, test } from 'vitest';
import { ShapeError, Tensor, ValueError, nn, tensor, zeros } from '@logit/core';

// Weight tying and loadStateDict: every name of a shared parameter is saved and loads, the later
// name in module order wins, and strict mode reports every missing and unexpected key at once.

class TinyLM extends nn.Module {
  wte = new nn.Embedding(5, 3);
  proj = new nn.Linear(3, 3);
  lmHead = new nn.Linear(3, 5, { bias: false });
  constructor() {
    super();
    this.lmHead.weight = this.wte.weight; // tied, as GPT-2 and nanoGPT do
  }
  forward(idx: Tensor): Tensor {
    return this.lmHead.forward(this.proj.forward(this.wte.forward(idx)));
  }
}

const data = (t: Tensor): number[] => Array.from(t.dataSync());
const filled = (shape: number[], v: number): Tensor => zeros(shape).add(v);

describe('weight tying', () => {
  test('a tied parameter is listed once by parameters(), under both names by stateDict()', () => {
    const m = new TinyLM();
    expect(m.namedParameters().map(([n]) => n)).toEqual(['wte.weight', 'proj.weight', 'proj.bias']);
    expect(m.parameters()).toHaveLength(3);
    const sd = m.stateDict();
    expect(Object.keys(sd)).toEqual(['wte.weight', 'proj.weight', 'proj.bias', 'lmHead.weight']);
    expect(data(sd['lmHead.weight'])).toEqual(data(sd['wte.weight']));
  });

  test('non-strict: the second name alone loads the shared tensor (it used to stay unloaded)', () => {
    const m = new TinyLM();
    const r = m.loadStateDict({ 'lmHead.weight': filled([5, 3], 7) }, { strict: false });
    expect(data(m.wte.weight)).toEqual(new Array(15).fill(7));
    expect(m.lmHead.weight).toBe(m.wte.weight);
    // as PyTorch, the names not given are still reported missing
    expect(r).toEqual({ missingKeys: ['wte.weight', 'proj.weight', 'proj.bias'], unexpectedKeys: [] });
  });

  test('two names with different values: the later in module order wins, whatever the dict order', () => {
    const m = new TinyLM();
    const sd = m.stateDict();
    const given = { 'lmHead.weight': filled([5, 3], 2), 'proj.weight': sd['proj.weight'], 'proj.bias': sd['proj.bias'], 'wte.weight': filled([5, 3], 1) };
    m.loadStateDict(given);
    expect(data(m.wte.weight)).toEqual(new Array(15).fill(2));
    expect(m.lmHead.weight).toBe(m.wte.weight);
  });

  test('strict lists every missing and unexpected key at once and changes nothing', () => {
    const m = new TinyLM();
    const before = data(m.wte.weight);
    expect(() => m.loadStateDict({ 'wte.weight': filled([5, 3], 1), 'head.weight': filled([5, 3], 1), extra: tensor([1]) })).toThrow(
      /^loadStateDict: missing keys \["proj\.weight","proj\.bias","lmHead\.weight"\]; unexpected keys \["head\.weight","extra"\]$/,
    );
    expect(data(m.wte.weight)).toEqual(before);
  });

  test('every size mismatch is reported together, and nothing is written', () => {
    const m = new TinyLM();
    const sd = m.stateDict();
    const before = data(m.proj.bias!);
    const given = { ...sd, 'proj.bias': zeros([4]), 'lmHead.weight': zeros([3, 5]) };
    let err: Error | null = null;
    try {
      m.loadStateDict(given);
    } catch (e) {
      err = e as Error;
    }
    expect(err).toBeInstanceOf(ShapeError);
    expect(err!.message).toBe(
      "loadStateDict: size mismatch for 'proj.bias': got shape [4], the module has [3]; size mismatch for 'lmHead.weight': got shape [3, 5], the module has [5, 3]",
    );
    expect(data(m.proj.bias!)).toEqual(before);
    expect(() => m.loadStateDict({ ...sd, 'proj.bias': 3 as unknown as Tensor })).toThrow(ValueError);
    expect(() => m.loadStateDict(sd, { assign: true })).toThrow(/option 'assign' is not supported yet/);
  });
});
