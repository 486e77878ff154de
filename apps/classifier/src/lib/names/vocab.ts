import { DataFormatError } from '../idx.js';

/** The token that starts and ends every name, shown as '.' (makemore's convention). Its id is 0. */
export const BOUNDARY = '.';

/** The target value CrossEntropyLoss skips: PyTorch's default `ignore_index`. */
export const IGNORE_INDEX = -100;

/**
 * The characters of a name list as token ids: 0 is the boundary token, then every character
 * that occurs, in code-point order ('-' before 'a'). For the English first names that is 28
 * symbols: '.', '-', 'a' ... 'z'.
 */
export class Vocabulary {
  /** Index = token id. */
  readonly symbols: readonly string[];
  private readonly ids: ReadonlyMap<string, number>;

  constructor(chars: Iterable<string>) {
    const set = new Set(chars);
    if (set.has(BOUNDARY)) throw new DataFormatError(`names: '${BOUNDARY}' is the boundary token and cannot be a character of a name`);
    this.symbols = [BOUNDARY, ...[...set].sort()];
    this.ids = new Map(this.symbols.map((c, i) => [c, i]));
  }

  /** The vocabulary of every character in `names`. */
  static of(names: readonly string[]): Vocabulary {
    return new Vocabulary(names.join(''));
  }

  get size(): number {
    return this.symbols.length;
  }

  /** Token ids of a name, without boundaries; a character outside the vocabulary is an error. */
  encode(name: string): number[] {
    return Array.from(name, (c) => {
      const id = this.ids.get(c);
      if (id === undefined || id === 0) throw new DataFormatError(`names: character ${JSON.stringify(c)} of ${JSON.stringify(name)} is not in the vocabulary (${this.symbols.join('')})`);
      return id;
    });
  }

  /** The name spelled by `ids`, up to the first boundary token. */
  decode(ids: Iterable<number>): string {
    let s = '';
    for (const id of ids) {
      if (id === 0) break;
      s += this.symbols[id];
    }
    return s;
  }

  /** How a token is shown in tables: the boundary as '.', padding (IGNORE_INDEX) as '·'. */
  show(id: number): string {
    return id === IGNORE_INDEX ? '·' : this.symbols[id] ?? '?';
  }
}

/**
 * Lower-cases, trims and de-duplicates a raw name list, keeping the first occurrence's order.
 * Empty lines are dropped. A name with a character other than a-z or '-' is refused with
 * DataFormatError naming it, so a corrupt list never trains silently on odd symbols.
 */
export function cleanNames(raw: readonly string[], source = 'names'): string[] {
  const seen = new Set<string>();
  for (const line of raw) {
    const name = line.trim().toLowerCase();
    if (name === '') continue;
    if (!/^[a-z-]+$/.test(name)) throw new DataFormatError(`${source}: ${JSON.stringify(line)} has a character other than a-z and '-'`);
    seen.add(name);
  }
  return [...seen];
}
