/**
 * `pnpm train`: trains the digit classifier from the command line. Exit codes: 0 done, 1 a
 * runtime problem (unreadable data, backend unavailable), 2 bad flags.
 */
import { existsSync } from 'node:fs';
import { CommanderError } from 'commander';
import { BackendUnavailableError } from '../lib/backends.js';
import { ConfigError } from '../lib/config.js';
import { DataFormatError } from '../lib/idx.js';
import { parseCli } from './options.js';
import { trainCommand } from './train-command.js';
import { red } from './style.js';

export async function main(argv: readonly string[]): Promise<number> {
  let opts;
  try {
    opts = parseCli(argv);
  } catch (e) {
    if (e instanceof CommanderError) return e.code === 'commander.helpDisplayed' || e.code === 'commander.version' ? 0 : 2;
    throw e;
  }
  const usage = (msg: string): number => {
    process.stderr.write(`${red('error:')} ${msg}\n(run with --help to see every flag)\n`);
    return 2;
  };
  if (opts.data !== null && !existsSync(opts.data)) return usage(`--data ${opts.data}: no such folder`);
  if (opts.resume !== null && !existsSync(opts.resume)) return usage(`--resume ${opts.resume}: no such file`);
  try {
    return await trainCommand(opts);
  } catch (e) {
    if (e instanceof ConfigError) return usage(e.message);
    if (e instanceof BackendUnavailableError || e instanceof DataFormatError) {
      process.stderr.write(`${red('error:')} ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}
