import { describe, expect, it } from 'vitest';
import { checkOptions, ValueError, type OptionKeys } from '../src/index.js';

interface Opts {
  ignoreIndex?: number;
  momentum?: number;
  paddingMode?: string;
}
const KEYS: OptionKeys<Opts> = { ignoreIndex: true, momentum: true, paddingMode: "only 'zeros' padding is implemented" };

describe('checkOptions', () => {
  it('returns the options unchanged, and {} for undefined', () => {
    const o = { ignoreIndex: 3 };
    expect(checkOptions('Op', o, KEYS)).toBe(o);
    expect(checkOptions('Op', undefined, KEYS)).toEqual({});
    expect(checkOptions('Op', { momentum: undefined }, KEYS)).toEqual({ momentum: undefined });
  });

  it('names the camelCase form of a snake_case key', () => {
    expect(() => checkOptions('CrossEntropyLoss', { ignore_index: 0 } as Opts, KEYS)).toThrow(
      new ValueError("CrossEntropyLoss: unknown option 'ignore_index'; did you mean 'ignoreIndex'? (options are camelCase) (known options: ignoreIndex, momentum, paddingMode)"),
    );
  });

  it('suggests the nearest key for a typo, and lists the known ones otherwise', () => {
    expect(() => checkOptions('SGD', { momentun: 0.9 } as Opts, KEYS)).toThrow(/unknown option 'momentun'; did you mean 'momentum'\?/);
    expect(() => checkOptions('SGD', { zzz: 1 } as Opts, KEYS)).toThrow(/unknown option 'zzz' \(known options: ignoreIndex, momentum, paddingMode\)$/);
    expect(() => checkOptions('ReLU', { inplace: true } as object, {})).toThrow("ReLU: unknown option 'inplace' (it takes no options)");
  });

  it('refuses an option that is not supported yet, with the reason', () => {
    expect(() => checkOptions('Conv2d', { paddingMode: 'reflect' }, KEYS)).toThrow("Conv2d: option 'paddingMode' is not supported yet: only 'zeros' padding is implemented");
  });

  it('accepts the supported values of a partly supported option and refuses the others, with the reason', () => {
    const keys: OptionKeys<{ paddingMode?: 'zeros' | 'reflect' }> = { paddingMode: { only: ['zeros'], reason: 'only zero padding so far' } };
    expect(checkOptions('Conv2d', { paddingMode: 'zeros' }, keys)).toEqual({ paddingMode: 'zeros' });
    expect(() => checkOptions('Conv2d', { paddingMode: 'reflect' }, keys)).toThrow(
      new ValueError('Conv2d: option paddingMode = "reflect" is not supported yet: only zero padding so far'),
    );
  });

  it('refuses a non-object and does not treat inherited names as options', () => {
    expect(() => checkOptions('Op', 3 as unknown as Opts, KEYS)).toThrow('Op: options must be an object, got number');
    expect(() => checkOptions('Op', [] as unknown as Opts, KEYS)).toThrow('Op: options must be an object, got an array');
    expect(() => checkOptions('Op', { toString: 1 } as unknown as Opts, KEYS)).toThrow(/unknown option 'toString'/);
  });
});
