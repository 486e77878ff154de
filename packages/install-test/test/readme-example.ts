import { readFileSync } from 'node:fs';
import ts from 'typescript';

/** The marker in the root README that precedes the example users copy first. */
export const EXAMPLE_MARKER = '<!-- install-test: quick-example -->';

/** The ```ts block right after the marker, so the README and this test cannot drift apart. */
export function readmeExample(readmePath: string): string {
  const readme = readFileSync(readmePath, 'utf8');
  const at = readme.indexOf(EXAMPLE_MARKER);
  if (at < 0) throw new Error(`${readmePath} has no '${EXAMPLE_MARKER}' marker before its example`);
  const match = /```ts\n([\s\S]*?)```/.exec(readme.slice(at));
  if (!match) throw new Error(`${readmePath}: no \`\`\`ts block after '${EXAMPLE_MARKER}'`);
  return match[1];
}

/** What a user gets by pasting the example into an .mjs file: the TypeScript with types erased. */
export function toEsm(source: string): string {
  return ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
  }).outputText;
}
