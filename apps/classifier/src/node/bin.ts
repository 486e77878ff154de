/** Entry point of `pnpm train` (see cli.ts). */
import { main } from './cli.js';
import { red } from './style.js';

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`${red('error:')} ${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  },
);
