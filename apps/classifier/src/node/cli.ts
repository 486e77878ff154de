/**
 * `pnpm train`: trains the digit classifier (or, with --task names, the names generator) from the command line. Exit codes: 0 done; 2 a
 * mistake in what was asked (a bad flag, or a data folder, checkpoint or output folder that
 * cannot be used), printed as one line; 1 a backend that cannot start here, or a file-system
 * error during the run (also one line).
 */
import { existsSync } from 'node:fs';
import { CommanderError } from 'commander';
import { BackendUnavailableError } from '../lib/backends.js';
import { ConfigError } from '../lib/config.js';
import { DataFormatError } from '../lib/idx.js';
import { CheckpointError } from '../lib/trainer.js';
import { UsageError } from './errors.js';
import { parseCli } from './options.js';
import { namesCommand } from './names-command.js';
import { trainCommand } from './train-command.js';
import { red } from './style.js';

/**
 * Runs the CLI with `argv` (the flags); returns the exit code. `userDir` is where relative paths
 * in the flags start from (bin.ts passes the folder `pnpm train` was typed in).
 */
export async function main(argv: readonly string[], userDir = process.cwd()): Promise<number> {
  let opts;
  try {
    opts = parseCli(argv, undefined, userDir);
  } catch (e) {
    if (e instanceof CommanderError) return e.code === 'commander.helpDisplayed' || e.code === 'commander.version' ? 0 : 2;
    throw e;
  }
  const fail = (code: number, message: string): number => {
    process.stderr.write(`${red('error:')} ${message}\n`);
    return code;
  };
  if (opts.data !== null && !existsSync(opts.data)) return fail(2, `--data ${opts.data}: no such folder`);
  if (opts.resume !== null && !existsSync(opts.resume)) return fail(2, `--resume ${opts.resume}: no such file`);
  try {
    return await (opts.task === 'names' ? namesCommand(opts) : trainCommand(opts));
  } catch (e) {
    if (e instanceof ConfigError || e instanceof UsageError || e instanceof DataFormatError) return fail(2, e.message);
    if (e instanceof CheckpointError) return fail(2, `--resume ${opts.resume ?? ''}: ${e.message}`);
    if (e instanceof BackendUnavailableError) return fail(1, e.message);
    // the machine refused (a disk filled up, a file vanished mid-run): not a bug, no stack trace
    if (typeof (e as NodeJS.ErrnoException).syscall === 'string') return fail(1, (e as Error).message);
    throw e;
  }
}
