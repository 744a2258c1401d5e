/**
 * Local scopes: which declaration a name refers to at a point inside a function body.
 * Only names declared inside functions (parameters, results, receivers, locals) are found;
 * anything else is a package-level or imported name.
 */
import type { Node } from 'web-tree-sitter';

/** Where a local name was declared. */
export interface LocalDecl {
  kind: 'param' | 'result' | 'receiver' | 'var' | 'const' | 'short' | 'type' | 'func' | 'range' | 'other';
  /** The declared type, when written. */
  type?: Node | null;
  /** The value expression the name was declared with, when there is exactly one per name. */
  value?: Node | null;
  /** The function (declaration or literal) whose parameter this is. */
  owner?: Node;
  /** Index of the parameter in its function's parameter list. */
  index?: number;
  /** For a local type: its `type_spec` (or `type_alias`). */
  spec?: Node;
}

/** Names declared by a `parameter_list`, with their types and indexes. */
export function parameters(list: Node | null): { name: string; type: Node | null; index: number }[] {
  const out: { name: string; type: Node | null; index: number }[] = [];
  if (!list) return out;
  let index = 0;
  for (const p of list.namedChildren) {
    if (!p || (p.type !== 'parameter_declaration' && p.type !== 'variadic_parameter_declaration')) continue;
    const names = p.childrenForFieldName('name').filter((n): n is Node => !!n);
    const type = p.childForFieldName('type');
    if (names.length === 0) index++; // unnamed parameter still takes a position
    for (const n of names) out.push({ name: n.text, type, index: index++ });
  }
  return out;
}

function inList(list: Node | null, name: string): boolean {
  return !!list && list.namedChildren.some((c) => c?.type === 'identifier' && c.text === name);
}

/** Declaration of `name` by one statement or spec, looked at from after it. */
function declaredBy(stmt: Node, name: string): LocalDecl | null {
  switch (stmt.type) {
    case 'short_var_declaration': {
      const left = stmt.childForFieldName('left');
      if (!left) return null;
      const names = left.namedChildren;
      const i = names.findIndex((c) => c?.type === 'identifier' && c.text === name);
      if (i < 0) return null;
      const values = stmt.childForFieldName('right')?.namedChildren ?? [];
      return { kind: 'short', value: values.length === names.length ? values[i] : null };
    }
    case 'var_declaration':
    case 'const_declaration':
    case 'var_spec_list': {
      let last: LocalDecl | null = null;
      let prevValues: (Node | null)[] = [];
      for (const spec of stmt.namedChildren) {
        if (!spec) continue;
        if (spec.type === 'var_spec_list') {
          last = declaredBy(spec, name) ?? last;
          continue;
        }
        if (spec.type !== 'var_spec' && spec.type !== 'const_spec') continue;
        const names = spec.childrenForFieldName('name').filter((n): n is Node => n?.type === 'identifier');
        const valueList = spec.childForFieldName('value');
        const values = valueList ? valueList.namedChildren : spec.type === 'const_spec' ? prevValues : [];
        if (valueList) prevValues = valueList.namedChildren;
        const i = names.findIndex((n) => n.text === name);
        if (i >= 0) {
          last = {
            kind: spec.type === 'const_spec' ? 'const' : 'var',
            type: spec.childForFieldName('type'),
            value: values.length === names.length ? values[i] : null,
          };
        }
      }
      return last;
    }
    case 'type_declaration': {
      const spec = stmt.namedChildren.find((s) => s?.childForFieldName('name')?.text === name);
      return spec ? { kind: 'type', spec } : null;
    }
    case 'labeled_statement': {
      const inner = stmt.namedChildren[1];
      return inner ? declaredBy(inner, name) : null;
    }
    default:
      return null;
  }
}

function paramDecl(fn: Node, field: 'parameters' | 'result' | 'receiver', name: string): LocalDecl | null {
  const list = fn.childForFieldName(field);
  if (!list || list.type !== 'parameter_list') return null;
  const p = parameters(list).find((x) => x.name === name);
  if (!p) return null;
  const kind = field === 'parameters' ? 'param' : field === 'result' ? 'result' : 'receiver';
  return { kind, type: p.type, owner: fn, index: p.index };
}

/**
 * The local declaration `name` refers to at `node`, or null when it is not declared inside
 * the enclosing function (a package-level or imported name).
 */
export function findLocalDecl(node: Node, name: string): LocalDecl | null {
  let child: Node = node;
  let scope: Node | null = node.parent;
  while (scope) {
    switch (scope.type) {
      case 'statement_list': {
        for (const stmt of scope.namedChildren) {
          if (!stmt || stmt.startIndex >= child.startIndex) break;
          const d = declaredBy(stmt, name);
          if (d) return d;
        }
        break;
      }
      case 'if_statement':
      case 'expression_switch_statement':
      case 'type_switch_statement': {
        const init = scope.childForFieldName('initializer');
        if (init && child.startIndex >= init.endIndex) {
          const d = declaredBy(init, name);
          if (d) return d;
        }
        if (scope.type === 'type_switch_statement' && child.type === 'type_case') {
          if (inList(scope.childForFieldName('alias'), name)) return { kind: 'other' };
        }
        break;
      }
      case 'for_statement': {
        const clause = scope.namedChildren.find((c) => c?.type === 'for_clause' || c?.type === 'range_clause');
        if (clause && child.startIndex >= clause.endIndex) {
          if (clause.type === 'for_clause') {
            const init = clause.childForFieldName('initializer');
            const d = init ? declaredBy(init, name) : null;
            if (d) return d;
          } else if (clause.text.includes(':=') && inList(clause.childForFieldName('left'), name)) {
            return { kind: 'range' };
          }
        }
        break;
      }
      case 'for_clause': {
        const init = scope.childForFieldName('initializer');
        if (init && child.startIndex >= init.endIndex) {
          const d = declaredBy(init, name);
          if (d) return d;
        }
        break;
      }
      case 'communication_case': {
        const comm = scope.childForFieldName('communication');
        if (comm?.type === 'receive_statement' && child.startIndex >= comm.endIndex && comm.text.includes(':=')) {
          if (inList(comm.childForFieldName('left'), name)) return { kind: 'other' };
        }
        break;
      }
      case 'func_literal':
      case 'function_declaration':
      case 'method_declaration': {
        const d =
          paramDecl(scope, 'parameters', name) ??
          paramDecl(scope, 'result', name) ??
          (scope.type === 'method_declaration' ? paramDecl(scope, 'receiver', name) : null);
        if (d) return d;
        if (scope.type !== 'func_literal') return null;
        break;
      }
      case 'source_file':
        return null;
    }
    child = scope;
    scope = scope.parent;
  }
  return null;
}

/** The innermost named function (declaration or method) around `node`, skipping closures. */
export function enclosingNamedFunction(node: Node): Node | null {
  for (let n: Node | null = node.parent; n; n = n.parent) {
    if (n.type === 'function_declaration' || n.type === 'method_declaration') return n;
  }
  return null;
}
