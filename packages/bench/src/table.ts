import Table from 'cli-table3';

/** A benchmark's result as rows of named cells; the same object is printed and written as JSON. */
export interface ResultTable {
  title: string;
  /** Column keys in print order; `headers` may give them friendlier names. */
  columns: string[];
  headers?: Record<string, string>;
  rows: Array<Record<string, string | number | null>>;
}

function formatCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '-';
  if (typeof value === 'string') return value;
  if (Number.isInteger(value)) return String(value);
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
}

/** Renders the table for a terminal: numbers right-aligned, missing values as '-'. */
export function renderTable(result: ResultTable): string {
  const table = new Table({
    head: result.columns.map((c) => result.headers?.[c] ?? c),
    colAligns: result.columns.map(() => 'right'),
    // compact: no rule between body rows; no colors, so the table pastes cleanly into reports.
    style: { head: [], border: [], compact: true },
  });
  for (const row of result.rows) table.push(result.columns.map((c) => formatCell(row[c])));
  return `${result.title}\n${table.toString()}`;
}
