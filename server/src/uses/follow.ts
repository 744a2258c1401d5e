/**
 * Follows one value through one file: up through the expressions that build on it (`+`,
 * Sprintf, conversions), into the variables it is assigned to and their later reads, to the
 * calls and struct literals that consume it. What leaves the file (a struct field, a
 * package-level variable, a function's result or parameter) becomes an Escape that
 * analyze.ts follows into the files concerned.
 */
import type { Node } from 'web-tree-sitter';
import { unwrapCallee } from '../scan/syntax';
import { aroundVerb, dsnPart } from './dsn';
import { assignedField, comparison, literalField, methodCall, packageCall, type SinkHit } from './sinks';
import type { SiteFlow } from './types';
import { argumentsOf, functionName, importOf, literalText, outerFunction, referencesAfter, type FileView } from './view';

/** Where a value leaves the file's function: followed elsewhere by name. */
export type Escape =
  | { t: 'field'; dir: string; name: string; part: string | null }
  | { t: 'pkgvar'; dir: string; name: string; part: string | null }
  | { t: 'result'; dir: string; name: string; part: string | null }
  | { t: 'param'; dir: string; name: string; index: number; part: string | null };

interface Item {
  node: Node;
  part: string | null;
}

/** Steps one value may take in a file before the flow gives up (guards pathological code). */
const MAX_STEPS = 400;

/** Follows values from `starts` in one file; adds uses and escapes to `out`. */
export class Follower {
  private readonly seen = new Set<number>();
  private steps = 0;

  constructor(
    private readonly view: FileView,
    private readonly out: SiteFlow & { escapes: Escape[] },
  ) {}

  run(starts: Item[]): void {
    const work = [...starts];
    while (work.length && this.steps++ < MAX_STEPS) {
      const item = work.pop()!;
      if (this.seen.has(item.node.id)) continue;
      this.seen.add(item.node.id);
      this.step(item, (n, part) => work.push({ node: n, part }));
    }
  }

  private step({ node, part }: Item, push: (n: Node, part: string | null) => void): void {
    const p = node.parent;
    if (!p) return;
    switch (p.type) {
      case 'parenthesized_expression':
      case 'unary_expression':
      case 'type_conversion_expression':
      case 'slice_expression':
      case 'literal_element':
        return push(p, part);
      case 'binary_expression':
        return this.binary(p, node, part, push);
      case 'argument_list':
        if (p.parent?.type === 'call_expression') this.call(p.parent, argumentsOf(p.parent).findIndex((a) => a.id === node.id), part, push);
        return;
      case 'expression_list':
        return this.list(p, node, part, push);
      case 'keyed_element':
        return this.keyed(p, node, part);
      case 'var_spec':
        return this.assignTo(p.childrenForFieldName('name').filter((n): n is Node => !!n)[0] ?? null, p, part, push);
      case 'return_statement':
        return this.returned(node, part);
    }
  }

  private use(at: Node, h: SinkHit, part: string | null, extra: { errorChecked?: boolean } = {}): void {
    const shown = h.part === 'dsn' || h.part === undefined ? (part ?? h.part) : h.part;
    this.out.uses.push({
      kind: h.kind,
      api: h.api,
      file: this.view.rel,
      line: at.startPosition.row + 1,
      column: at.startPosition.column + 1,
      function: functionName(this.view, at),
      ...(shown ? { part: shown } : {}),
      ...extra,
    });
  }

  private binary(p: Node, node: Node, part: string | null, push: (n: Node, part: string | null) => void): void {
    const op = p.childForFieldName('operator')?.text ?? '';
    if (op === '+') {
      // The literal text on each side of the value along the whole `+` chain.
      let top = p;
      while (top.parent?.type === 'binary_expression' && top.parent.childForFieldName('operator')?.text === '+') top = top.parent;
      const leaves: Node[] = [];
      const flat = (n: Node): void => {
        if (n.type === 'binary_expression' && n.childForFieldName('operator')?.text === '+') {
          for (const side of [n.childForFieldName('left'), n.childForFieldName('right')]) if (side) flat(side);
        } else leaves.push(n);
      };
      flat(top);
      const i = leaves.findIndex((l) => l.startIndex <= node.startIndex && node.endIndex <= l.endIndex);
      const text = (ls: Node[]) => ls.map((l) => literalText(l) ?? '\u0000').join('');
      if (i >= 0) part ??= dsnPart(text(leaves.slice(0, i)), text(leaves.slice(i + 1)));
      return push(top, part);
    }
    if (op === '==' || op === '!=') {
      const other = p.childForFieldName('left')?.id === node.id ? p.childForFieldName('right') : p.childForFieldName('left');
      const lit = literalText(other);
      if (lit === '') this.out.checked = true;
      else if (lit !== null) this.use(p, comparison(lit, op), null);
    }
  }

  private call(call: Node, arg: number, part: string | null, push: (n: Node, part: string | null) => void): void {
    const fn = unwrapCallee(call.childForFieldName('function'));
    if (!fn || arg < 0) return;
    if (fn.type === 'identifier') {
      if (fn.text === 'len') this.out.checked = true;
      else if (fn.text === 'string' || fn.text === 'append') push(call, part);
      else this.out.escapes.push({ t: 'param', dir: this.view.dir, name: fn.text, index: arg, part });
      return;
    }
    if (fn.type !== 'selector_expression') return;
    const operand = fn.childForFieldName('operand');
    const name = fn.childForFieldName('field')?.text ?? '';
    const path = operand ? importOf(this.view, operand) : null;
    const args = argumentsOf(call);
    if (path) {
      const h = packageCall(path, name, arg);
      if (h === 'passes') {
        const format = path === 'fmt' && arg > 0 ? literalText(args[0]) : null;
        const around = format !== null ? aroundVerb(format, arg - 1) : null;
        if (around) part ??= dsnPart(around.before, around.after);
        return push(call, part);
      }
      if (!h) return;
      if (h.kind === 'parse' || h.kind === 'flag') this.use(call, h, part, { errorChecked: errorChecked(this.view, call) });
      else this.use(call, h, part);
      if (h.passes) push(call, part);
      return;
    }
    const h = methodCall(name, arg, this.view.importPaths, literalText(args[0]));
    if (h) this.use(call, h, part);
  }

  /** `a, b := x, y` / `a = x` / `return x`: the value goes into the names on the left. */
  private list(list: Node, node: Node, part: string | null, push: (n: Node, part: string | null) => void): void {
    const stmt = list.parent;
    if (!stmt) return;
    if (stmt.type === 'return_statement') return this.returned(node, part);
    if (stmt.type !== 'short_var_declaration' && stmt.type !== 'assignment_statement' && stmt.type !== 'var_spec') return;
    const right = stmt.childForFieldName(stmt.type === 'var_spec' ? 'value' : 'right');
    if (right?.id !== list.id) return;
    const left = stmt.type === 'var_spec' ? stmt.childrenForFieldName('name').filter((n): n is Node => !!n) : (stmt.childForFieldName('left')?.namedChildren ?? []).filter((n): n is Node => !!n);
    const values = list.namedChildren.filter((n): n is Node => !!n);
    const i = values.findIndex((v) => v.id === node.id);
    if (left.length === values.length) this.assignTo(left[i] ?? null, stmt, part, push);
    else if (values.length === 1) {
      // v, ok := os.LookupEnv("K"): the value is the first name; any read of ok checks it.
      this.assignTo(left[0] ?? null, stmt, part, push);
      const ok = left[1];
      const scope = outerFunction(stmt);
      if (ok?.type === 'identifier' && ok.text !== '_' && scope && referencesAfter(this.view, scope, ok.text, stmt.endIndex).length) this.out.checked = true;
    }
  }

  private assignTo(target: Node | null, stmt: Node, part: string | null, push: (n: Node, part: string | null) => void): void {
    if (!target) return;
    if (target.type === 'identifier') {
      if (target.text === '_') return;
      const scope = outerFunction(stmt);
      if (!scope) return void this.out.escapes.push({ t: 'pkgvar', dir: this.view.dir, name: target.text, part });
      for (const ref of referencesAfter(this.view, scope, target.text, stmt.endIndex)) push(ref, part);
      return;
    }
    if (target.type === 'selector_expression') {
      const field = target.childForFieldName('field')?.text ?? '';
      const h = assignedField(field, this.view.importPaths) ?? this.configField(field);
      if (h) return this.use(stmt, h, part);
      this.out.escapes.push({ t: 'field', dir: this.view.dir, name: field, part });
    }
  }

  /** `cfg.Passwd = v` on a value of unknown type: a driver config field, if the file imports the driver. */
  private configField(field: string): SinkHit | null {
    for (const path of this.view.importPaths) {
      for (const type of ['Config', 'Options']) {
        const h = literalField(path, type, field);
        if (h) return h;
      }
    }
    return null;
  }

  /** `T{Field: v}`: a sink when T and Field are known, else the field is followed. */
  private keyed(el: Node, node: Node, part: string | null): void {
    const kids = el.namedChildren.filter((n): n is Node => !!n);
    if (kids[kids.length - 1]?.id !== node.id || kids.length < 2) return;
    const field = kids[0].text;
    let lit: Node | null = el.parent;
    while (lit && lit.type !== 'composite_literal') lit = lit.type === 'literal_value' || lit.type === 'literal_element' ? lit.parent : null;
    const type = lit?.childForFieldName('type');
    if (type?.type === 'qualified_type') {
      const pkg = type.childForFieldName('package')?.text ?? '';
      const path = this.view.imports.get(pkg);
      const h = path ? literalField(path, type.childForFieldName('name')?.text ?? '', field) : null;
      if (h) return this.use(el, h, part);
    }
    if (/^[A-Z]/.test(field)) this.out.escapes.push({ t: 'field', dir: this.view.dir, name: field, part });
  }

  private returned(node: Node, part: string | null): void {
    for (let n: Node | null = node.parent; n; n = n.parent) {
      if (n.type === 'func_literal') return;
      if (n.type === 'function_declaration' || n.type === 'method_declaration') {
        const name = n.childForFieldName('name')?.text;
        if (name) this.out.escapes.push({ t: 'result', dir: this.view.dir, name, part });
        return;
      }
    }
  }
}

/** Whether a call's error result is looked at: `n, err := strconv.Atoi(v)` followed by a read of err. */
export function errorChecked(view: FileView, call: Node): boolean {
  const list = call.parent;
  const stmt = list?.parent;
  // Not assigned to names (passed on, or dropped): nobody looks at the error.
  if (list?.type !== 'expression_list' || !stmt || (stmt.type !== 'short_var_declaration' && stmt.type !== 'assignment_statement')) return false;
  const left = (stmt.childForFieldName('left')?.namedChildren ?? []).filter((n): n is Node => !!n);
  const err = left[left.length - 1];
  if (left.length < 2 || err?.type !== 'identifier' || err.text === '_') return false;
  const scope = stmt.parent?.type === 'if_statement' ? stmt.parent : outerFunction(stmt);
  return !!scope && referencesAfter(view, scope, err.text, stmt.endIndex).length > 0;
}
