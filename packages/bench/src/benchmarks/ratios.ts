import type { Contender } from '../contenders/index.js';

/** Ratio columns `a/b` for every contender whose `compareTo` is also being run. */
export function ratioColumns(contenders: readonly Contender[]): Array<{ key: string; of: string; to: string }> {
  const running = new Set(contenders.map((c) => c.name));
  return contenders
    .filter((c) => c.compareTo !== undefined && running.has(c.compareTo))
    .map((c) => ({ key: `${c.name}/${c.compareTo}`, of: c.name, to: c.compareTo! }));
}
