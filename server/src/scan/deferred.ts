/**
 * Deferred env calls (`defer os.Unsetenv(k)`). Go runs them when the function exits, so a
 * trace shows the call at the `return` line (or the closing brace), not at the `defer`. The
 * scanner gives each deferred site the lines where its function exits, so the merge can
 * place such events back on the `defer` statement.
 */
import type { Node } from 'web-tree-sitter';
import type { Site } from './types';

/** A call made by a `defer` statement: the body of its function and the lines where it exits. */
export interface DeferFact {
  /** Id of the function body node (one per function literal or declaration of the file). */
  body: number;
  /** Lines of the function's `return` statements and of its closing brace. */
  exits: number[];
}

const FUNCS = new Set(['function_declaration', 'method_declaration', 'func_literal']);

function enclosingFunction(n: Node): Node | null {
  for (let p = n.parent; p; p = p.parent) if (FUNCS.has(p.type)) return p;
  return null;
}

/** The defer facts of `call`, when it is the call of a `defer` statement. */
export function deferFact(call: Node): DeferFact | undefined {
  const stmt = call.parent;
  if (stmt?.type !== 'defer_statement') return undefined;
  const fn = enclosingFunction(stmt);
  const body = fn?.childForFieldName('body');
  if (!fn || !body) return undefined;
  const exits = new Set([body.endPosition.row + 1]);
  for (const r of body.descendantsOfType('return_statement')) {
    if (r && enclosingFunction(r)?.id === fn.id) exits.add(r.startPosition.row + 1);
  }
  return { body: body.id, exits: [...exits].sort((a, b) => a - b) };
}

/**
 * Sets `deferred` on the sites of deferred calls: the exit lines where a trace of the call
 * shows, without the lines that hold another call of the same kind in the same function
 * (that call's events stay its own). Empty when another deferred call of the same kind in
 * the same function may use the same key: a trace cannot tell the two apart.
 */
export function placeDeferred(deferred: { site: Site; fact: DeferFact }[], sites: readonly Site[]): void {
  for (const d of deferred) {
    const rivals = deferred.filter(
      (o) => o !== d && o.fact.body === d.fact.body && o.site.kind === d.site.kind && (o.site.key === null || d.site.key === null || o.site.key === d.site.key),
    );
    if (rivals.length) {
      d.site.deferred = [];
      continue;
    }
    const taken = new Set<number>();
    for (const s of sites) {
      if (s.kind !== d.site.kind || s.function !== d.site.function || deferred.some((o) => o.site === s)) continue;
      for (let l = s.line; l <= s.endLine; l++) taken.add(l);
    }
    d.site.deferred = d.fact.exits.filter((l) => !taken.has(l));
  }
}
