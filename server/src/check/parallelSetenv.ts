/**
 * `parallel-setenv`: `t.Setenv` in a test that calls `t.Parallel`, or inside a subtest whose
 * parent called `Parallel` before `t.Run` — the testing package panics at run time in both
 * cases ("cannot be used in parallel tests or tests with parallel ancestors"). Found from the
 * syntax of the test file around each Setenv site the scanner reported. No IO.
 */
import type { Language, Node } from 'web-tree-sitter';
import { newGoParser } from '../scan/index';
import type { Site } from '../scan/types';
import type { RawFinding } from './finding';

const FUNCS = new Set(['function_declaration', 'method_declaration', 'func_literal']);
const SETENV = /^testing\.(T|B|F|TB)\.Setenv$/;

/** Whether `site` is a `t.Setenv` (or b/f/tb) call the rule looks at. */
export function isTestSetenv(site: Site): boolean {
  return site.test && SETENV.test(site.api);
}

/** `X.Parallel()` calls in `fn`'s own body (not in nested function literals). */
function parallelCalls(fn: Node): Node[] {
  const out: Node[] = [];
  const body = fn.childForFieldName('body');
  const walk = (n: Node) => {
    if (n.type === 'func_literal') return;
    if (n.type === 'call_expression') {
      const callee = n.childForFieldName('function');
      if (callee?.type === 'selector_expression' && callee.childForFieldName('field')?.text === 'Parallel' && n.childForFieldName('arguments')?.namedChildCount === 0) out.push(n);
    }
    for (const c of n.namedChildren) if (c) walk(c);
  };
  if (body) walk(body);
  return out;
}

function enclosingFunc(n: Node | null): Node | null {
  for (let p = n?.parent ?? null; p; p = p.parent) if (FUNCS.has(p.type)) return p;
  return null;
}

function operandName(call: Node): string | null {
  const callee = call.childForFieldName('function');
  return callee?.type === 'selector_expression' ? (callee.childForFieldName('operand')?.text ?? null) : null;
}

/** Why the Setenv call at (row, column) (0-based) panics, or null when it does not. */
function panicReason(root: Node, row: number, column: number): string | null {
  let call: Node | null = root.descendantForPosition({ row, column });
  while (call && call.type !== 'call_expression') call = call.parent;
  if (!call) return null;
  const recv = operandName(call);
  const own = enclosingFunc(call);
  if (!own) return null;
  if (parallelCalls(own).some((p) => operandName(p) === recv)) return `${recv}.Parallel is called in the same test`;
  // A subtest: the parent test's Parallel before the t.Run that started it.
  for (let inner = own, outer = enclosingFunc(own); outer && inner.type === 'func_literal'; inner = outer, outer = enclosingFunc(outer)) {
    const start = inner.startIndex;
    const before = parallelCalls(outer).find((p) => p.startIndex < start);
    if (before) return `a parent test calls ${before.text} on line ${before.startPosition.row + 1}`;
  }
  return null;
}

/** Findings for the test Setenv sites of one file, given its text. */
export function parallelSetenvFindings(language: Language, text: string, sites: Site[]): RawFinding[] {
  const parser = newGoParser(language);
  const tree = parser.parse(text);
  const out: RawFinding[] = [];
  try {
    if (!tree) return out;
    const lines = text.split('\n');
    for (const s of sites) {
      // Site columns count UTF-16 units; tree-sitter's count bytes.
      const column = Buffer.byteLength((lines[s.line - 1] ?? '').slice(0, s.column - 1));
      const why = panicReason(tree.rootNode, s.line - 1, column);
      if (why) out.push({ rule: 'parallel-setenv', message: `t.Setenv(${JSON.stringify(s.key ?? s.pattern ?? '…')}) panics: ${why}`, file: s.file, line: s.line, column: s.column, key: s.key });
    }
  } finally {
    tree?.delete();
    parser.delete();
  }
  return out;
}
