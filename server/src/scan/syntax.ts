/** Small questions about Go syntax trees that the fact extractor asks. */
import type { Node } from 'web-tree-sitter';
import { findLocalDecl } from './scope';

/** Nodes that may wrap a callee: generic instantiation, parentheses. */
export const WRAPPERS = new Set(['index_expression', 'type_instantiation_expression', 'parenthesized_expression']);

/** The callee inside generic instantiations and parentheses. */
export function unwrapCallee(fn: Node | null): Node | null {
  while (fn && WRAPPERS.has(fn.type)) fn = fn.namedChildren[0] ?? null;
  return fn;
}

/** How many newlines `s` has before offset `end`. */
export function countNewlines(s: string, end: number): number {
  let c = 0;
  for (let i = s.indexOf('\n'); i >= 0 && i < end; i = s.indexOf('\n', i + 1)) c++;
  return c;
}

/** Whether a function assigns to `name` anywhere (then the parameter is not passed unchanged). */
export function isReassigned(fn: Node, name: string): boolean {
  const body = fn.childForFieldName('body');
  if (!body || !new RegExp(`\\b${name}\\s*(?:[-+*/%&|^]|<<|>>|&\\^)?=[^=]`).test(body.text)) return false;
  for (const a of body.descendantsOfType(['assignment_statement', 'inc_statement', 'dec_statement'])) {
    const left = a?.type === 'assignment_statement' ? a.childForFieldName('left') : a?.namedChildren[0];
    if (!left) continue;
    for (const l of left.type === 'expression_list' ? left.namedChildren : [left]) {
      if (l?.type === 'identifier' && l.text === name && findLocalDecl(l, name)?.owner?.id === fn.id) return true;
    }
  }
  return false;
}

/** The type a type expression names (through pointers and generic arguments). */
export function typeName(t: Node | null): { qual?: string; name: string } | null {
  if (!t) return null;
  switch (t.type) {
    case 'pointer_type':
      return typeName(t.namedChildren[0] ?? null);
    case 'generic_type':
      return typeName(t.childForFieldName('type'));
    case 'type_identifier':
      return { name: t.text };
    case 'qualified_type': {
      const pkg = t.childForFieldName('package')?.text;
      const name = t.childForFieldName('name')?.text;
      return name ? { qual: pkg, name } : null;
    }
    default:
      return null;
  }
}

/** The type of a value written as `T{…}`, `&T{…}` or `new(T)`. */
export function valueType(v: Node | null): { qual?: string; name: string } | null {
  if (!v) return null;
  if (v.type === 'unary_expression' && v.childForFieldName('operator')?.text === '&') return valueType(v.childForFieldName('operand'));
  if (v.type === 'composite_literal') return typeName(v.childForFieldName('type'));
  if (v.type === 'call_expression' && v.childForFieldName('function')?.text === 'new') {
    const arg = v.childForFieldName('arguments')?.namedChildren[0];
    return typeName(arg ?? null);
  }
  return null;
}

/** `s` as a literal inside a regular expression. */
export function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
