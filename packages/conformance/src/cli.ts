#!/usr/bin/env node
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadBackendFactory } from './load-backend.js';
import { runConformance } from './run-conformance.js';
import { details, opTable, summaryLine } from './table.js';

const USAGE = `usage: logit-conformance --backend <package name or path> [--filter <text or /regex/>]... [--exclude ...]
                         [--json report.json] [--no-tfjs] [--differences]

Runs the Logit conformance suite against a backend and prints an op x result table.
Exits 1 when any case fails.`;

const toFilter = (s: string): string | RegExp => (s.length > 2 && s.startsWith('/') && s.endsWith('/') ? new RegExp(s.slice(1, -1)) : s);

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      backend: { type: 'string', short: 'b' },
      filter: { type: 'string', short: 'f', multiple: true },
      exclude: { type: 'string', multiple: true },
      json: { type: 'string' },
      'no-tfjs': { type: 'boolean' },
      differences: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || !values.backend) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  const createBackend = await loadBackendFactory(values.backend);
  const report = await runConformance({
    createBackend,
    include: values.filter?.map(toFilter),
    exclude: values.exclude?.map(toFilter),
    tfjs: !values['no-tfjs'],
  });
  console.log(opTable(report));
  const more = details(report, { differences: values.differences });
  if (more) console.log(`\n${more}`);
  console.log(`\n${summaryLine(report)}`);
  if (values.json) writeFileSync(values.json, JSON.stringify(report, null, 2));
  return report.summary.fail > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`logit-conformance: ${(e as Error).message}`);
    process.exit(2);
  },
);
