/**
 * One parsed file as the uses analysis sees it: tree, imports (local name → path) and
 * the small syntax questions every step asks (enclosing function, references of a name).
 */
import type { Node, Tree } from 'web-tree-sitter';
import { decodeStringLiteral } from '../scan/expr';
import { defaultImportName } from '../scan/modules';
import { findLocalDecl } from '../scan/scope';
import { escapeRe, typeName } from '../scan/syntax';

export interface FileView {
  tree: Tree;
  /** Path relative to the scan root, `/` separators (Site.file). */
  rel: string;
  /** Directory of `rel` ('' at the root): the package. */
  dir: string;
  pkg: string;
  /** Local import name → import path (not `_` or `.`). */
  imports: Map<string, string>;
  importPaths: Set<string>;
  text: string;
}

/**
 * The nodes of one sort named `name` in a file: identifiers (`names`), selectors `x.name`
 * (`fields`), calls of `name` or `x.name` (`calls`). Found from the text (a word search, then
 * the node at each hit), as the scanner does: walking every node of a file costs far more.
 */
export function named(view: FileView, sort: 'names' | 'fields' | 'calls', name: string): Node[] {
  // Many sites ask one file about one name (test structs share field names): answer once per view.
  let memo = namedMemo.get(view);
  if (!memo) namedMemo.set(view, (memo = new Map()));
  const id = `${sort}:${name}`;
  const known = memo.get(id);
  if (known) return known;
  const out: Node[] = [];
  memo.set(id, out);
  const re = new RegExp(`\\b${escapeRe(name)}\\b`, 'g');
  const root = view.tree.rootNode;
  for (let m = re.exec(view.text); m; m = re.exec(view.text)) {
    const word = root.descendantForIndex(m.index, m.index + name.length);
    if (!word || word.startIndex !== m.index || word.text !== name) continue;
    if (sort === 'names') {
      if (word.type === 'identifier') out.push(word);
      continue;
    }
    const sel = word.type === 'field_identifier' && word.parent?.type === 'selector_expression' ? word.parent : null;
    if (sort === 'fields') {
      if (sel) out.push(sel);
      continue;
    }
    const callee = sel ?? (word.type === 'identifier' ? word : null);
    const call = callee?.parent;
    if (callee && call?.type === 'call_expression' && call.childForFieldName('function')?.id === callee.id) out.push(call);
  }
  return out;
}

/** Per view (a parse of a file; a new parse is a new view): `<sort>:<name>` → the nodes `named` found. */
const namedMemo = new WeakMap<FileView, Map<string, Node[]>>();

/** Builds the view of a parsed file. */
export function viewOf(tree: Tree, rel: string, text: string): FileView {
  const imports = new Map<string, string>();
  let pkg = '';
  for (const top of tree.rootNode.namedChildren) {
    if (top?.type === 'package_clause') pkg = top.namedChildren[0]?.text ?? '';
    if (top?.type !== 'import_declaration') continue;
    for (const spec of top.descendantsOfType('import_spec')) {
      const path = spec ? decodeStringLiteral(spec.childForFieldName('path')?.text ?? '') : null;
      if (!spec || path === null) continue;
      const name = spec.childForFieldName('name')?.text ?? defaultImportName(path);
      if (name !== '_' && name !== '.') imports.set(name, path);
    }
  }
  const slash = rel.lastIndexOf('/');
  return { tree, rel, dir: slash < 0 ? '' : rel.slice(0, slash), pkg, imports, importPaths: new Set(imports.values()), text };
}

/** The import path an identifier names here (not shadowed by a local), else null. */
export function importOf(view: FileView, ident: Node): string | null {
  if (ident.type !== 'identifier') return null;
  const path = view.imports.get(ident.text);
  return path && !(mayDeclare(view, ident) && findLocalDecl(ident, ident.text)) ? path : null;
}

/** Per view: `<function start>:<name>` → whether the function's text may declare the name. */
const declaring = new WeakMap<FileView, Map<string, boolean>>();

/**
 * Whether the function around `ident` may declare a local of its name. A local that hides an
 * import appears in the text as the name not followed by `.` (`log :=`, `func(log string)`);
 * where every mention is `log.…`, nothing hides the import, and findLocalDecl (a walk over the
 * statements before the call, slow in a long function) is not needed.
 */
function mayDeclare(view: FileView, ident: Node): boolean {
  const fn = outerFunction(ident);
  if (!fn) return false;
  let memo = declaring.get(view);
  if (!memo) declaring.set(view, (memo = new Map()));
  const id = `${fn.startIndex}:${ident.text}`;
  let may = memo.get(id);
  if (may === undefined) {
    may = new RegExp(`\\b${escapeRe(ident.text)}\\b(?!\\s*\\.)`).test(view.text.slice(fn.startIndex, fn.endIndex));
    memo.set(id, may);
  }
  return may;
}

/** The outermost function (declaration, method or package-level literal) around a node. */
export function outerFunction(node: Node): Node | null {
  let out: Node | null = null;
  for (let n: Node | null = node.parent; n; n = n.parent) {
    if (n.type === 'function_declaration' || n.type === 'method_declaration' || n.type === 'func_literal') out = n;
  }
  return out;
}

/** `pkg.Name` / `pkg.(*T).M` of the named function around a node, null at package level. */
export function functionName(view: FileView, node: Node): string | null {
  for (let n: Node | null = node.parent; n; n = n.parent) {
    if (n.type !== 'function_declaration' && n.type !== 'method_declaration') continue;
    const name = n.childForFieldName('name')?.text ?? '_';
    if (n.type === 'function_declaration') return `${view.pkg}.${name}`;
    const recv = n.childForFieldName('receiver')?.namedChildren[0]?.childForFieldName('type') ?? null;
    const t = typeName(recv)?.name ?? '_';
    return recv?.type === 'pointer_type' ? `${view.pkg}.(*${t}).${name}` : `${view.pkg}.${t}.${name}`;
  }
  return null;
}

/** Whether an identifier is written to (left of `=`/`:=`) rather than read. */
export function isAssignedTo(ident: Node): boolean {
  const list = ident.parent;
  const stmt = list?.parent;
  if (list?.type !== 'expression_list' || !stmt) return false;
  return (stmt.type === 'assignment_statement' || stmt.type === 'short_var_declaration') && stmt.childForFieldName('left')?.id === list.id;
}

/** Reads of `name` in `scope` after `after` (a character index). */
export function referencesAfter(view: FileView, scope: Node, name: string, after: number): Node[] {
  return named(view, 'names', name).filter((n) => n.startIndex >= after && n.startIndex >= scope.startIndex && n.endIndex <= scope.endIndex && !isAssignedTo(n));
}

/** The non-comment arguments of a call. */
export function argumentsOf(call: Node): Node[] {
  return (call.childForFieldName('arguments')?.namedChildren ?? []).filter((a): a is Node => !!a && a.type !== 'comment');
}

/** A string literal's value, else null. */
export function literalText(n: Node | undefined | null): string | null {
  if (!n || (n.type !== 'interpreted_string_literal' && n.type !== 'raw_string_literal')) return null;
  return decodeStringLiteral(n.text);
}
