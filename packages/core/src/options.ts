import { ValueError } from './errors.js';

/**
 * Some values of an option are supported and the others not yet (Conv2d's `paddingMode`: only
 * 'zeros'): any other value throws `reason`.
 */
export interface SupportedValues<V> {
  /** The values accepted now. */
  readonly only: readonly V[];
  /** Why the others are not, ending the ValueError thrown for one. */
  readonly reason: string;
}

/**
 * The keys an options object may hold, each mapped to `true` (the option is supported), to a
 * sentence saying why it is not supported yet, or to the values that are supported so far.
 * Typed over `Required<T>`, so an option added to an interface and forgotten here is a compile
 * error.
 */
export type OptionKeys<T> = { readonly [K in keyof Required<T>]: true | string | SupportedValues<Required<T>[K]> };

/** camelCase of a snake_case or kebab-case key: `ignore_index` -> `ignoreIndex`. */
function camel(key: string): string {
  return key.replace(/[_-]+([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** Edit distance, for "did you mean" on a mistyped key (`momentun` -> `momentum`). */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length];
}

function suggestion(key: string, known: readonly string[]): string {
  const c = camel(key);
  if (c !== key && known.includes(c)) return `; did you mean '${c}'? (options are camelCase)`;
  const near = known.filter((k) => distance(k.toLowerCase(), key.toLowerCase()) <= Math.max(1, Math.floor(k.length / 4)));
  return near.length ? `; did you mean ${near.map((k) => `'${k}'`).join(' or ')}?` : '';
}

/**
 * Checks an options object against the keys `op` knows, as PyTorch refuses an unexpected keyword
 * argument: an unknown key throws a ValueError naming it (with its camelCase form or the nearest
 * known key), and a key whose entry is a sentence (supported later) throws that sentence when
 * the user sets it, as does a value outside an entry's `only` list. `undefined` values count as
 * absent. Returns `opts` (or `{}`), unchanged.
 *
 * @example
 * const LINEAR_OPTIONS: OptionKeys<LinearOptions> = { bias: true, dtype: true };
 * const o = checkOptions('Linear', opts, LINEAR_OPTIONS);
 */
export function checkOptions<T extends object>(op: string, opts: T | undefined | null, keys: OptionKeys<T>): T {
  if (opts === undefined || opts === null) return {} as T;
  if (typeof opts !== 'object' || Array.isArray(opts)) {
    throw new ValueError(`${op}: options must be an object, got ${Array.isArray(opts) ? 'an array' : typeof opts}`);
  }
  const known = Object.keys(keys);
  for (const [key, value] of Object.entries(opts)) {
    if (value === undefined) continue;
    const entry = (keys as Record<string, true | string | SupportedValues<unknown> | undefined>)[key];
    if (entry === undefined || !Object.prototype.hasOwnProperty.call(keys, key)) {
      const list = known.length ? ` (known options: ${known.join(', ')})` : ' (it takes no options)';
      throw new ValueError(`${op}: unknown option '${key}'${suggestion(key, known)}${list}`);
    }
    if (typeof entry === 'string') throw new ValueError(`${op}: option '${key}' is not supported yet: ${entry}`);
    if (entry !== true && !entry.only.includes(value)) {
      throw new ValueError(`${op}: option ${key} = ${JSON.stringify(value)} is not supported yet: ${entry.reason}`);
    }
  }
  return opts;
}
