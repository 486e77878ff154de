/**
 * Parsers for benchmark options. They throw RangeError; the CLI turns that into commander's
 * usage error. They live apart from commander so that the benchmarks also bundle for a browser.
 */
export function parsePositiveInts(value: string): number[] {
  const list = value.split(',').map((s) => Number(s.trim()));
  if (list.length === 0 || list.some((n) => !Number.isInteger(n) || n < 1)) {
    throw new RangeError(`expected a comma-separated list of positive integers, got '${value}'`);
  }
  return list;
}
