/**
 * What one parsed Go file says, independently of every other file: its package, imports,
 * constants, env API calls, calls of (possibly) helper functions and the functions around
 * them. Cross-file resolution (constants, helpers) happens later in resolve.ts.
 */
import type { Node, Tree } from 'web-tree-sitter';
import { API_WORDS, ENV_APIS, TESTING_TYPES, type ApiInfo } from './apis';
import { UNKNOWN, decodeStringLiteral, expandRefs, type Expr } from './expr';
import { enclosingNamedFunction, findLocalDecl, parameters, type LocalDecl } from './scope';
import { fallbackOf } from './defaults';
import { deferFact } from './deferred';
import { LibraryExtractor } from './libraryFacts';
import { defaultImportName } from './modules';
import { countNewlines, isReassigned, typeName, unwrapCallee, valueType, WRAPPERS } from './syntax';
import { DepthGuard } from './depth';
import type { CallFact, Callee, FileFacts, Span } from './fileFacts';
import { usedBare } from './bareName';

function spanOf(n: Node): Span {
  return { line: n.startPosition.row + 1, column: n.startPosition.column + 1, endLine: n.endPosition.row + 1, endColumn: n.endPosition.column + 1 };
}

const MAX_EXPR_DEPTH = 200;

/** Extracts the facts of one file from its (possibly partial) tree. `words` finds calls of helper names. */
export class FactExtractor {
  private readonly local = new Map<string, string>(); // local import name → path, for std packages
  private readonly dotImports = new Set<string>();
  private readonly funcIndex = new Map<number, number>();
  private readonly funcNodes: Node[] = [];
  private readonly mayDeclare = new Map<string, boolean>();
  private readonly guard: DepthGuard;
  readonly facts: FileFacts;

  constructor(
    private readonly tree: Tree,
    private readonly text: string,
  ) {
    this.facts = { pkg: '', imports: [], consts: new Map(), funcs: [], calls: [], aliases: [] };
    this.guard = new DepthGuard(tree.rootNode);
  }

  /** Runs the extraction: `ranges` are the parsed parts of the text; `helperWords` matches helper names. */
  run(ranges: { start: number; end: number }[], helperWords: RegExp | null, libWords: RegExp | null = null): FileFacts {
    try {
      this.extract(ranges, helperWords, libWords);
    } finally {
      this.guard.delete();
    }
    const note = this.guard.note();
    if (note) this.facts.notes = [note];
    return this.facts;
  }

  private extract(ranges: { start: number; end: number }[], helperWords: RegExp | null, libWords: RegExp | null): void {
    const root = this.tree.rootNode;
    for (const top of root.namedChildren) {
      if (!top) continue;
      if (top.type === 'package_clause') this.facts.pkg = top.namedChildren[0]?.text ?? '';
      else if (top.type === 'import_declaration') this.readImports(top);
      else if (top.type === 'const_declaration') this.readConsts(top);
    }
    const seen = new Set<number>();
    for (const { start, end } of ranges) {
      const slice = this.text.slice(start, end);
      for (const re of helperWords ? [API_WORDS, helperWords] : [API_WORDS]) {
        re.lastIndex = 0;
        for (let m = re.exec(slice); m; m = re.exec(slice)) {
          const at = start + m.index;
          // NOTE: depth first: descendantForIndex, too, costs O(depth).
          if (!this.guard.admits(at)) continue;
          const word = root.descendantForIndex(at, at + m[0].length);
          if (!word || word.startIndex !== at || word.text !== m[0]) continue; // inside a comment or string
          const call = this.callOf(word);
          if (!call && re === API_WORDS) this.readAlias(word);
          if (!call || seen.has(call.id)) continue;
          seen.add(call.id);
          this.readCall(call, word, re === API_WORDS);
        }
      }
    }
    if (libWords) {
      const lib = new LibraryExtractor(root, this.text, { expr: (n, at) => this.expr(n, at, 0), funcOf: (n) => this.funcOf(n), localDecl: (n, name) => this.localDecl(n, name), admits: (i) => this.guard.admits(i) });
      lib.run(ranges, libWords);
      if (lib.structs.length || lib.calls.length || lib.autoload) this.facts.lib = { structs: lib.structs, calls: lib.calls, varTypes: lib.varTypes, autoload: lib.autoload };
    }
    for (const call of this.facts.calls) {
      if (call.func < 0) continue;
      const f = this.facts.funcs[call.func];
      if (f.returnedParams.length === 0 && (call.key?.t === 'param' || call.args?.some((a) => a.t === 'param'))) {
        f.returnedParams = this.returnedParams(this.funcNodes[call.func]);
      }
    }
  }

  private readImports(decl: Node): void {
    for (const spec of decl.descendantsOfType('import_spec')) {
      if (!spec) continue;
      const pathNode = spec.childForFieldName('path');
      const path = pathNode ? decodeStringLiteral(pathNode.text) : null;
      if (path === null) continue;
      const name = spec.childForFieldName('name')?.text ?? null;
      this.facts.imports.push({ name, path });
      if (name === '.') this.dotImports.add(path);
      else if (name !== '_') this.local.set(name ?? defaultImportName(path), path);
    }
  }

  private readConsts(decl: Node): void {
    let prev: Node[] = [];
    for (const spec of decl.namedChildren) {
      if (spec?.type !== 'const_spec') continue;
      const names = spec.childrenForFieldName('name').filter((n): n is Node => n?.type === 'identifier');
      const valueList = spec.childForFieldName('value');
      const values = valueList ? valueList.namedChildren.filter((v): v is Node => !!v) : prev;
      if (valueList) prev = values;
      names.forEach((n, i) => {
        const v = values.length === names.length ? values[i] : null;
        const usesIota = !!v && /\biota\b/.test(v.text);
        this.facts.consts.set(n.text, v && !usesIota ? this.expr(v, null, 0) : UNKNOWN);
      });
    }
  }

  /**
   * `var getenv = os.Getenv` at package level (kept swappable for tests): calls of the variable
   * are calls of the function it holds.
   */
  private readAlias(word: Node): void {
    const sel = word.parent;
    const values = sel?.parent;
    const spec = values?.parent;
    if (sel?.type !== 'selector_expression' || values?.type !== 'expression_list' || spec?.type !== 'var_spec') return;
    if (spec.parent?.type !== 'var_declaration' && spec.parent?.parent?.type !== 'var_declaration') return;
    for (let n: Node | null = spec.parent; n; n = n.parent) if (n.type === 'func_literal' || n.type === 'function_declaration' || n.type === 'method_declaration') return;
    const operand = sel.childForFieldName('operand');
    const pkg = operand?.type === 'identifier' ? this.local.get(operand.text) : undefined;
    const info = pkg === 'os' || pkg === 'syscall' ? ENV_APIS[pkg][word.text] : undefined;
    if (!info || info.kind === 'expand' || info.keyArg !== 0) return;
    const names = spec.childrenForFieldName('name').filter((n): n is Node => n?.type === 'identifier');
    const i = values.namedChildren.findIndex((v) => v?.id === sel.id);
    if (names.length === values.namedChildren.length && names[i]) this.facts.aliases.push({ name: names[i].text, api: `${pkg}.${word.text}`, kind: info.kind });
  }

  /** The call expression whose callee ends in `word`, if `word` is a callee name. */
  private callOf(word: Node): Node | null {
    let callee: Node | null = word;
    if (word.type === 'field_identifier') {
      const sel = word.parent;
      if (sel?.type !== 'selector_expression' || sel.childForFieldName('field')?.id !== word.id) return null;
      callee = sel;
    } else if (word.type !== 'identifier') return null;
    // Generic instantiations and parentheses around the callee: Get[int](…), (os.Getenv)(…).
    for (let p = callee.parent; p && WRAPPERS.has(p.type) && p.namedChildren[0]?.id === callee.id; p = callee.parent) callee = p;
    const call = callee.parent;
    return call?.type === 'call_expression' && call.childForFieldName('function')?.id === callee.id ? call : null;
  }

  /** The standard package an identifier names at `at` (not shadowed), if it is one of ours. */
  private stdPackage(ident: Node): string | null {
    const path = this.local.get(ident.text);
    if (!path || path.includes('.')) return null;
    return this.localDecl(ident, ident.text) ? null : path;
  }

  private readCall(call: Node, word: Node, isApiWord: boolean): void {
    const fn = unwrapCallee(call.childForFieldName('function'));
    const args = (call.childForFieldName('arguments')?.namedChildren ?? []).filter((a): a is Node => !!a && a.type !== 'comment');
    const name = word.text;
    if (isApiWord && fn) {
      let pkg: string | null = null;
      if (fn.type === 'selector_expression') {
        const operand = fn.childForFieldName('operand');
        if (operand?.type === 'identifier') pkg = this.stdPackage(operand);
        if (!pkg && name === 'Setenv' && operand && args.length === 2 && this.isTestingValue(operand, call)) {
          this.addApiCall(call, `testing.${this.testingType(operand)}.Setenv`, { kind: 'write', keyArg: 0 }, args);
          return;
        }
      } else if (fn.type === 'identifier' && !this.localDecl(fn, name)) {
        pkg = this.dotImports.has('os') && name in ENV_APIS.os ? 'os' : this.dotImports.has('syscall') ? 'syscall' : null;
      }
      const info = pkg === 'os' || pkg === 'syscall' ? ENV_APIS[pkg][name] : undefined;
      if (info) {
        if (name === 'Expand' && !this.isGetenvValue(args[1])) return;
        this.addApiCall(call, `${pkg}.${name}`, info, args);
        return;
      }
    }
    const callee = this.callee(fn, name);
    if (callee) this.facts.calls.push({ span: spanOf(call), callee, args: args.map((a) => this.expr(a, call, 0)), func: this.funcOf(call), defer: deferFact(call) });
  }

  private addApiCall(call: Node, api: string, info: ApiInfo, args: Node[]): void {
    const fact: CallFact = { span: spanOf(call), api, kind: info.kind, func: this.funcOf(call), defer: deferFact(call) };
    if (info.keyArg >= 0) {
      const arg = args[info.keyArg];
      fact.key = arg ? this.expr(arg, call, 0) : UNKNOWN;
      if (info.kind === 'expand' && arg && (arg.type === 'interpreted_string_literal' || arg.type === 'raw_string_literal')) {
        fact.vars = expandRefs(arg.text).map((r) => {
          const line = arg.startPosition.row + 1 + countNewlines(arg.text, r.offset);
          const lastNl = arg.text.lastIndexOf('\n', r.offset - 1);
          const column = lastNl < 0 ? arg.startPosition.column + 1 + r.offset : r.offset - lastNl;
          return { name: r.name, span: { line, column, endLine: line, endColumn: column + r.length } };
        });
      }
    }
    if (info.kind === 'read') {
      if (api.endsWith('.Getenv')) fact.fallback = this.cmpOrFallback(call);
      const written = fact.fallback ? null : fallbackOf(call);
      if (written) fact.fallback = this.expr(written, call, 0);
    }
    this.facts.calls.push(fact);
  }

  /** In `cmp.Or(os.Getenv("K"), "dflt")` the argument after the read is its default. */
  private cmpOrFallback(call: Node): Expr | undefined {
    const list = call.parent;
    const outer = list?.parent;
    if (list?.type !== 'argument_list' || outer?.type !== 'call_expression') return undefined;
    const f = unwrapCallee(outer.childForFieldName('function'));
    const op = f?.type === 'selector_expression' ? f.childForFieldName('operand') : null;
    if (f?.childForFieldName('field')?.text !== 'Or' || op?.type !== 'identifier' || this.local.get(op.text) !== 'cmp') return undefined;
    if (this.localDecl(op, op.text)) return undefined;
    const args = list.namedChildren.filter((a): a is Node => !!a && a.type !== 'comment');
    const next = args[args.findIndex((a) => a.id === call.id) + 1];
    return next ? this.expr(next, call, 0) : undefined;
  }

  private isGetenvValue(arg: Node | undefined): boolean {
    if (!arg) return false;
    if (arg.type === 'identifier') return arg.text === 'Getenv' && (this.dotImports.has('os') || this.dotImports.has('syscall'));
    if (arg.type !== 'selector_expression') return false;
    const operand = arg.childForFieldName('operand');
    return arg.childForFieldName('field')?.text === 'Getenv' && operand?.type === 'identifier' && !!this.stdPackage(operand);
  }

  /** Whether `operand` in `operand.Setenv(k, v)` is a *testing.T/B/F or testing.TB. */
  private isTestingValue(operand: Node, _call: Node): boolean {
    return this.testingType(operand) !== null;
  }

  private testingType(operand: Node): string | null {
    if (operand.type === 'call_expression') {
      // testify suites and the like: s.T().Setenv(...)
      const f = operand.childForFieldName('function');
      return f?.type === 'selector_expression' && f.childForFieldName('field')?.text === 'T' ? 'T' : null;
    }
    // A name whose type cannot be seen here (a struct field `s.t`, a package-level variable):
    // trust the conventional names, in files that import testing.
    const byName = (name: string | undefined): string | null =>
      [...this.local.values()].includes('testing') ? ({ t: 'T', T: 'T', b: 'B', f: 'F', tb: 'TB' } as Record<string, string>)[name ?? ''] ?? null : null;
    if (operand.type === 'selector_expression') return byName(operand.childForFieldName('field')?.text);
    if (operand.type !== 'identifier') return null;
    const decl = this.localDecl(operand, operand.text);
    if (!decl) return byName(operand.text);
    if (decl.type) {
      const t = decl.type.text.replace(/\s+/g, '');
      const m = /^(\*?)([A-Za-z_]\w*)\.(T|B|F|TB)$/.exec(t);
      if (!m || this.local.get(m[2]) !== 'testing' || !TESTING_TYPES.has(m[3])) return null;
      return (m[3] === 'TB') === (m[1] === '') ? m[3] : null;
    }
    const v = decl.value;
    if (v?.type === 'call_expression') return this.testingType(v);
    return null;
  }

  private callee(fn: Node | null, name: string): Callee | null {
    if (!fn) return null;
    if (fn.type === 'identifier') return this.localDecl(fn, name) ? null : { t: 'ident', name };
    if (fn.type !== 'selector_expression') return null;
    const operand = fn.childForFieldName('operand');
    if (operand?.type !== 'identifier') return null;
    const decl = this.localDecl(operand, operand.text);
    if (!decl) {
      // An import (whose name may differ from its path's last element) or a package-level
      // variable: the resolver tries the package first.
      return { t: 'qual', qual: operand.text, name };
    }
    return { t: 'method', name, recvType: typeName(decl.type ?? null) ?? valueType(decl.value ?? null) };
  }

  private funcOf(call: Node): number {
    const fn = enclosingNamedFunction(call);
    if (!fn) return -1;
    const known = this.funcIndex.get(fn.id);
    if (known !== undefined) return known;
    const name = fn.childForFieldName('name')?.text ?? '_';
    let recv: string | null = null;
    let qualified = name;
    if (fn.type === 'method_declaration') {
      const r = parameters(fn.childForFieldName('receiver'))[0]?.type ?? fn.childForFieldName('receiver')?.namedChildren[0]?.childForFieldName('type') ?? null;
      const t = typeName(r ?? null);
      recv = t?.name ?? '_';
      qualified = r?.type === 'pointer_type' ? `(*${recv}).${name}` : `${recv}.${name}`;
    }
    const params = parameters(fn.childForFieldName('parameters')).map((p) => p.name);
    const index = this.facts.funcs.length;
    this.facts.funcs.push({ qualified, name, recv, params, returnedParams: [] });
    this.funcIndex.set(fn.id, index);
    this.funcNodes.push(fn);
    return index;
  }

  /** Parameters a function returns (or assigns) as they are; only asked of would-be helpers. */
  private returnedParams(fn: Node): number[] {
    const out = new Set<number>();
    const body = fn.childForFieldName('body');
    if (!body) return [];
    for (const n of body.descendantsOfType(['return_statement', 'assignment_statement'])) {
      if (!n) continue;
      const list = n.type === 'return_statement' ? n.namedChildren[0] : n.childForFieldName('right');
      for (const e of list?.type === 'expression_list' ? list.namedChildren : [list]) {
        if (e?.type !== 'identifier' || !this.guard.admits(e.startIndex)) continue;
        const d = this.localDecl(e, e.text);
        if (d?.kind === 'param' && d.owner?.id === fn.id && d.index !== undefined) out.add(d.index);
      }
    }
    return [...out];
  }

  /**
   * findLocalDecl, with a text check first: a name that never appears in its function except
   * as `name.` (a package selector) cannot be declared there.
   */
  private localDecl(node: Node, name: string): LocalDecl | null {
    let outer: Node | null = null;
    for (let n: Node | null = node.parent; n; n = n.parent) {
      if (n.type === 'function_declaration' || n.type === 'method_declaration' || n.type === 'func_literal') outer = n;
    }
    if (!outer) return null;
    const key = `${outer.id}:${name}`;
    let may = this.mayDeclare.get(key);
    if (may === undefined) {
      may = usedBare(outer.text, name);
      this.mayDeclare.set(key, may);
    }
    return may ? findLocalDecl(node, name) : null;
  }

  /** The symbolic value of an expression; `at` is the call it appears in (null at package level). */
  private expr(n: Node, at: Node | null, depth: number): Expr {
    if (depth > MAX_EXPR_DEPTH) return UNKNOWN;
    switch (n.type) {
      case 'interpreted_string_literal':
      case 'raw_string_literal': {
        const v = decodeStringLiteral(n.text);
        return v === null ? UNKNOWN : { t: 'str', v };
      }
      case 'int_literal':
      case 'float_literal':
      case 'true':
      case 'false':
        return { t: 'lit', v: n.text };
      case 'parenthesized_expression': {
        const inner = n.namedChildren[0];
        return inner ? this.expr(inner, at, depth + 1) : UNKNOWN;
      }
      case 'binary_expression': {
        // a + b + c nests to the left: walk the spine so long chains cost no depth.
        const rights: Node[] = [];
        let left: Node | null = n;
        while (left?.type === 'binary_expression') {
          const r = left.childForFieldName('right');
          if (left.childForFieldName('operator')?.text !== '+' || !r) return UNKNOWN;
          rights.push(r);
          left = left.childForFieldName('left');
        }
        if (!left) return UNKNOWN;
        const parts = [left, ...rights.reverse()].map((p) => this.expr(p, at, depth + 1));
        return { t: 'cat', parts };
      }
      case 'identifier':
        return this.identExpr(n, at, depth);
      case 'selector_expression': {
        const operand = n.childForFieldName('operand');
        const field = n.childForFieldName('field');
        if (operand?.type !== 'identifier' || !field) return UNKNOWN;
        if (at && this.localDecl(operand, operand.text)) return UNKNOWN;
        return { t: 'ref', qual: operand.text, name: field.text };
      }
      case 'call_expression':
        return this.callExpr(n, at, depth);
      case 'type_conversion_expression': {
        const operand = n.childForFieldName('operand');
        return operand ? this.expr(operand, at, depth + 1) : UNKNOWN;
      }
      default:
        return UNKNOWN;
    }
  }

  private identExpr(n: Node, at: Node | null, depth: number): Expr {
    if (n.text === 'iota' || n.text === 'nil' || n.text === '_') return UNKNOWN;
    const decl = at ? this.localDecl(n, n.text) : null;
    if (!decl) return { t: 'ref', name: n.text };
    if (decl.kind === 'const') return decl.value ? { t: 'local', e: this.expr(decl.value, at, depth + 1) } : UNKNOWN;
    if (decl.kind === 'param' && decl.index !== undefined && decl.owner && decl.owner.type !== 'func_literal') {
      return isReassigned(decl.owner, n.text) ? UNKNOWN : { t: 'param', index: decl.index };
    }
    return UNKNOWN;
  }

  private callExpr(n: Node, at: Node | null, depth: number): Expr {
    const fn = n.childForFieldName('function');
    const args = (n.childForFieldName('arguments')?.namedChildren ?? []).filter((a): a is Node => !!a && a.type !== 'comment');
    if (fn?.type === 'identifier' && fn.text === 'string' && args.length === 1) return this.expr(args[0], at, depth + 1);
    if (fn?.type !== 'selector_expression') return UNKNOWN;
    const operand = fn.childForFieldName('operand');
    if (operand?.type !== 'identifier' || fn.childForFieldName('field')?.text !== 'Sprintf' || args.length === 0) return UNKNOWN;
    if (this.local.get(operand.text) !== 'fmt' || (at && this.localDecl(operand, operand.text))) return UNKNOWN;
    return { t: 'fmt', format: this.expr(args[0], at, depth + 1), args: args.slice(1).map((a) => this.expr(a, at, depth + 1)) };
  }
}
