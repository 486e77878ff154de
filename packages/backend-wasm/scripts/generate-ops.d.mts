/** Types of scripts/generate-ops.mjs, for the test that compiles its output. */
export const CORE_TYPES: string;
export const OUTPUT: string;
export function readCoreOpLists(file?: string): Promise<Record<string, readonly string[]>>;
export function generateOps(lists: Record<string, readonly string[]>): string;
export function writeGeneratedOps(file?: string): Promise<string>;
