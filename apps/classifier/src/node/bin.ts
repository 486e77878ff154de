/** Entry point of `pnpm train` (see cli.ts). */
import { main } from './cli.js';
import { red } from './style.js';

// pnpm runs the script in apps/classifier and says in INIT_CWD where the user typed the command.
main(process.argv.slice(2), process.env.INIT_CWD ?? process.cwd()).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`${red('error:')} ${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  },
);
