/**
 * A mistake in what the user asked for: a flag's value, or a file or folder a flag names. The CLI
 * prints its message as one line and exits with code 2.
 */
export class UsageError extends Error {
  override name = 'UsageError';
}

/**
 * What went wrong, short: "ENOENT: no such file or directory" for a Node file-system error (its
 * message without the call and path), else the message's first line.
 */
export function reasonOf(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  const first = String(err?.message ?? e).split('\n')[0];
  return typeof err?.code === 'string' && err.syscall ? first.split(', ')[0] : first;
}
