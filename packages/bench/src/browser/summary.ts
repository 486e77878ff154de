import type { ResultTable } from '../table.js';
import type { AdapterSummary, PageResults } from './protocol.js';

/** Throws unless every contender ran on the same adapter (the point of the side-by-side). */
export function checkSameAdapter(adapters: Record<string, AdapterSummary>): AdapterSummary {
  const entries = Object.entries(adapters);
  const [first] = entries;
  if (!first) throw new Error('bench --browser: the page reported no adapter');
  const key = (a: AdapterSummary): string => JSON.stringify(a);
  const other = entries.find(([, a]) => key(a) !== key(first[1]));
  if (other) {
    throw new Error(`bench --browser: contenders ran on different adapters: ${first[0]} on ${key(first[1])}, ${other[0]} on ${key(other[1])}`);
  }
  return first[1];
}

export function describeAdapter(a: AdapterSummary): string {
  return [a.vendor, a.architecture, a.device, a.description].filter(Boolean).join(' / ') || 'unnamed adapter';
}

/** The WebGPU calls of one timed call per contender and size, as a table. */
export function profileTable(profiles: PageResults['profiles']): ResultTable {
  const rows: ResultTable['rows'] = [];
  for (const [size, byContender] of Object.entries(profiles)) {
    for (const [contender, p] of Object.entries(byContender)) {
      rows.push({ size, contender, dispatches: p.dispatches, submits: p.submits, uploads: p.writes, readbacks: p.readbacks });
    }
  }
  return {
    title: 'WebGPU calls per timed call (last call; dispatchWorkgroups, queue.submit, queue.writeBuffer, mapAsync)',
    columns: ['size', 'contender', 'dispatches', 'submits', 'uploads', 'readbacks'],
    rows,
  };
}
