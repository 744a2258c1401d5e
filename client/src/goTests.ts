/** Finding Go tests in source text for the trace lenses, and their -run patterns. No `vscode` import. */

const testFunc = /^func\s+(Test[\p{Lu}\d_]\w*|Test)\s*\(\s*\w+\s+\*testing\.T\s*\)/gmu;
/** The package clause of a Go file. */
export const packageClause = /^package\s+\w+/m;

/** The test functions declared in `text`: name and 0-based line. */
export function findTests(text: string): { name: string; line: number }[] {
  const out = [];
  for (const m of text.matchAll(testFunc)) out.push({ name: m[1], line: lineAt(text, m.index ?? 0) });
  return out;
}

/** The 0-based line of `offset` in `text`. */
export function lineAt(text: string, offset: number): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** A test name as an anchored -run pattern (subtests of it included by go test). */
export function runPattern(name: string): string {
  return `^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`;
}

