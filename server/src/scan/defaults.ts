/**
 * Defaults written next to a direct read, in the shapes Go code uses most:
 *
 *   if v, ok := os.LookupEnv("K"); ok { x = v } else { x = "dflt" }
 *   v, ok := os.LookupEnv("K"); if !ok { v = "dflt" }
 *   if v := os.Getenv("K"); v != "" { x = v } else { x = "dflt" }
 *   v := os.Getenv("K"); if v == "" { v = "dflt" }      (also len(v) == 0, and return "dflt")
 *
 * The default is the single value assigned (or returned) first in the branch taken when the
 * variable is unset. Anything else has no default.
 */
import type { Node } from 'web-tree-sitter';

/** The names a read's results are bound to, and the statement binding them. */
function binding(call: Node): { stmt: Node; value: string | null; ok: string | null } | null {
  const list = call.parent;
  const stmt = list?.parent;
  if (list?.type !== 'expression_list' || stmt?.type !== 'short_var_declaration' || list.namedChildren.length !== 1) return null;
  const left = stmt.childForFieldName('left')?.namedChildren ?? [];
  const names = left.map((n) => (n?.type === 'identifier' && n.text !== '_' ? n.text : null));
  return { stmt, value: names[0] ?? null, ok: names[1] ?? null };
}

/** Which branch of `if cond` runs when the variable is unset: 'then', 'else' or null (unknown). */
function unsetBranch(cond: Node | null, value: string | null, ok: string | null): 'then' | 'else' | null {
  if (!cond) return null;
  const c = cond.text.replace(/\s+/g, '');
  if (ok && c === ok) return 'else';
  if (ok && c === `!${ok}`) return 'then';
  if (value && (c === `${value}==""` || c === `len(${value})==0` || c === `""==${value}`)) return 'then';
  if (value && (c === `${value}!=""` || c === `len(${value})>0` || c === `len(${value})!=0` || c === `""!=${value}`)) return 'else';
  return null;
}

/** The value node assigned or returned first in a block, when it is a single literal-like expression. */
function assignedValue(block: Node | null): Node | null {
  const stmts = block?.namedChildren.find((c) => c?.type === 'statement_list')?.namedChildren ?? [];
  for (const st of stmts) {
    if (!st) continue;
    if (st.type === 'assignment_statement' && st.childForFieldName('operator')?.text === '=') {
      const right = st.childForFieldName('right')?.namedChildren ?? [];
      return right.length === 1 ? right[0] : null;
    }
    if (st.type === 'return_statement') {
      const values = st.namedChildren[0]?.namedChildren ?? [];
      return values.length === 1 ? values[0] : null;
    }
  }
  return null;
}

/** The expression a read falls back to, in one of the shapes above, or null. */
export function fallbackOf(call: Node): Node | null {
  const b = binding(call);
  if (!b) return null;
  let ifStmt: Node | null = null;
  if (b.stmt.parent?.type === 'if_statement' && b.stmt.parent.childForFieldName('initializer')?.id === b.stmt.id) ifStmt = b.stmt.parent;
  else if (b.stmt.nextNamedSibling?.type === 'if_statement') ifStmt = b.stmt.nextNamedSibling;
  if (!ifStmt) return null;
  const branch = unsetBranch(ifStmt.childForFieldName('condition'), b.value, b.ok);
  if (!branch) return null;
  const block = branch === 'then' ? ifStmt.childForFieldName('consequence') : ifStmt.childForFieldName('alternative');
  return block?.type === 'block' ? assignedValue(block) : null;
}
