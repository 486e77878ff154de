import type { Contender } from '../contenders/index.js';

export interface RatioColumn {
  /** `a/b`: the column's key in rows and JSON. */
  key: string;
  of: string;
  to: string;
  /** `a/` over `b` on two lines, so that a table of several ratios stays narrow. */
  header: string;
}

/** Ratio columns `a/b` for every contender whose `compareTo` is also being run. */
export function ratioColumns(contenders: readonly Contender[]): RatioColumn[] {
  const running = new Set(contenders.map((c) => c.name));
  return contenders
    .filter((c) => c.compareTo !== undefined && running.has(c.compareTo))
    .map((c) => ({ key: `${c.name}/${c.compareTo}`, of: c.name, to: c.compareTo!, header: `${c.name}/\n${c.compareTo}` }));
}

/** The `headers` of a table for its ratio columns. */
export function ratioHeaders(ratios: readonly RatioColumn[]): Record<string, string> {
  return Object.fromEntries(ratios.map((r) => [r.key, r.header]));
}
