/** ANSI colors only when writing to a terminal and NO_COLOR is unset (https://no-color.org). */
const enabled = (): boolean => Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;

const wrap = (open: number, close: number) => (s: string): string => (enabled() ? `\u001b[${open}m${s}\u001b[${close}m` : s);

export const bold = wrap(1, 22);
export const dim = wrap(2, 22);
export const red = wrap(31, 39);
export const green = wrap(32, 39);
export const yellow = wrap(33, 39);
export const cyan = wrap(36, 39);
