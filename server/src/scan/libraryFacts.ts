/**
 * What one file says about config libraries (issue 6): struct types with their fields and
 * tags, calls of caarlos0/env, kelseyhightower/envconfig, spf13/viper and joho/godotenv, and
 * package-level variables' types (to find the struct a call is given). Resolved in librarySites.ts.
 */
import type { Node } from 'web-tree-sitter';
import type { Expr } from './expr';
import { libraryOf, type Library } from './libraryKeys';
import { defaultImportName } from './modules';
import type { LocalDecl } from './scope';
import { typeName, unwrapCallee, valueType } from './syntax';

/** A 1-based source range (end column exclusive), as in Site. */
interface Span {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/**
 * A named type as written: `Config`, `config.DB`. A type declared inside a function goes by
 * `Name@line:column` (its name's position), an anonymous struct by `struct@line:column`: no Go
 * name has an `@`, so neither collides with a package-level type (see isLocalType).
 */
export interface TypeRef {
  qual?: string;
  name: string;
}

/** One field of a struct type. */
export interface FieldFact {
  /** Field name; for an embedded field, the type's name. */
  name: string;
  embedded: boolean;
  /** The named type of the field (through pointers), or null (slices, maps, builtins are named too). */
  type: TypeRef | null;
  /** The field's type is written as a pointer (`*T`). */
  pointer?: boolean;
  /** For `[]T` and `*[]T`: the element type T (caarlos0/env parses slices of structs). */
  elem?: TypeRef;
  /** Fields of an inline `struct { … }` type. */
  inline?: FieldFact[];
  /** The tag's text (decoded), '' when none. */
  tag: string;
  span: Span;
}

/** A struct type declared at package level or inside a function (named as in TypeRef). */
export interface StructFact {
  name: string;
  fields: FieldFact[];
}

/** One call of a config library. */
export interface LibCallFact {
  lib: Library;
  /** The function or method: `Process`, `Parse`, `BindEnv`, `GetString`, `Load`, … */
  fn: string;
  /** True for package functions (`viper.BindEnv`), false for methods of a value (`v.BindEnv`). */
  pkgCall: boolean;
  span: Span;
  args: Expr[];
  /** Struct type of the argument that is a pointer to a config struct (envconfig, caarlos0). */
  struct?: TypeRef | null;
  /** A generic type argument: `env.ParseAs[Config]()`. */
  typeArg?: TypeRef | null;
  /** `env.Options{Prefix: …}` given to caarlos0/env. */
  prefix?: Expr;
  /** `env.Options{UseFieldNameByDefault: true}`: untagged fields read under their names. */
  byName?: boolean;
  /** For strings.NewReplacer(…) given to SetEnvKeyReplacer: its arguments. */
  replacer?: Expr[] | null;
  func: number;
}

/** The extractor's services that library extraction needs. */
export interface LibraryHost {
  expr(n: Node, at: Node | null): Expr;
  funcOf(call: Node): number;
  localDecl(node: Node, name: string): LocalDecl | null;
  /** Whether a position is shallow enough in the tree to walk up from (depth.ts). */
  admits(index: number): boolean;
}

const VIPER_METHODS = /^(?:(?:Must)?BindEnv|SetEnvPrefix|AutomaticEnv|SetEnvKeyReplacer|IsSet|Get(?:String|Bool|Int|Int32|Int64|Uint|Uint8|Uint16|Uint32|Uint64|Float64|Time|Duration|IntSlice|StringSlice|StringMap|StringMapString|StringMapStringSlice|SizeInBytes)?)$/;
// NOTE: the keyword is not a name: `import "github.com/kelseyhightower/envconfig"` on one line
// imports it as envconfig, not as `import`.
const IMPORT_RE = /(?:^|[\s(;])(?:(?!import\s)([A-Za-z_]\w*|\.)\s+)?"(github\.com\/(?:caarlos0\/env(?:\/v\d+)?|kelseyhightower\/envconfig|spf13\/viper(?:\/v\d+)?|joho\/godotenv(?:\/autoload)?))"/g;

/** The library imports of a file's text by local name (no parse), e.g. env → caarlos0. */
export function libraryImports(text: string): Map<string, Library> {
  const out = new Map<string, Library>();
  const end = /^(?:func|type|var|const)\b/m.exec(text)?.index ?? text.length;
  const head = text.slice(0, end);
  IMPORT_RE.lastIndex = 0;
  for (let m = IMPORT_RE.exec(head); m; m = IMPORT_RE.exec(head)) {
    const lib = libraryOf(m[2]);
    if (lib) out.set(m[1] ?? defaultImportName(m[2]), lib);
  }
  return out;
}

/**
 * A regex finding the words that may start a library call in a file (its library import names
 * and viper's method names), or null when the file has neither library imports nor env tags.
 */
export function libraryWords(text: string): RegExp | null {
  const libs = libraryImports(text);
  const tags = text.includes('env:"') || text.includes('envconfig:"');
  if (!libs.size && !tags) return null;
  const names = [...libs.keys()].filter((n) => n !== '_' && n !== '.');
  if ([...libs.values()].includes('viper')) names.push('BindEnv', 'MustBindEnv', 'SetEnvPrefix', 'AutomaticEnv', 'SetEnvKeyReplacer', 'Get\\w*', 'IsSet');
  return names.length ? new RegExp(`\\b(?:${names.join('|')})\\b`, 'g') : /(?!)/g;
}

function spanOf(n: Node): Span {
  return { line: n.startPosition.row + 1, column: n.startPosition.column + 1, endLine: n.endPosition.row + 1, endColumn: n.endPosition.column + 1 };
}

/** Reads struct types, package-level variable types and library calls of a parsed file. */
export class LibraryExtractor {
  private readonly libs: Map<string, Library>;
  readonly structs: StructFact[] = [];
  readonly calls: LibCallFact[] = [];
  readonly varTypes: Record<string, TypeRef> = {};
  /** `_ "github.com/joho/godotenv/autoload"`: the import spec's range. */
  autoload: Span | null = null;

  constructor(
    private readonly root: Node,
    private readonly text: string,
    private readonly host: LibraryHost,
  ) {
    this.libs = libraryImports(text);
  }

  /** Runs over the top-level declarations and the words `re` finds in `ranges`. */
  run(ranges: { start: number; end: number }[], re: RegExp): void {
    for (const top of this.root.namedChildren) {
      if (top?.type === 'var_declaration') this.readVars(top);
      else if (top?.type === 'import_declaration') this.readAutoload(top);
    }
    // Struct types anywhere in the parsed code: package level, inside functions (tests often
    // declare them there), and anonymous ones (`var cfg struct{ … }`), named by their position.
    for (const t of this.root.descendantsOfType('struct_type')) {
      if (!t || !this.host.admits(t.startIndex)) continue;
      const parent = t.parent;
      if (!parent || parent.type === 'field_declaration') continue;
      const name = parent.type === 'type_spec' ? specName(parent) : anonymousName(t);
      if (name) this.structs.push({ name, fields: this.fields(t, 0) });
    }
    const seen = new Set<number>();
    for (const { start, end } of ranges) {
      const slice = this.text.slice(start, end);
      re.lastIndex = 0;
      for (let m = re.exec(slice); m; m = re.exec(slice)) {
        const at = start + m.index;
        if (!this.host.admits(at)) continue;
        const word = this.root.descendantForIndex(at, at + m[0].length);
        if (!word || word.startIndex !== at || word.text !== m[0]) continue;
        const call = this.callAt(word);
        if (call && !seen.has(call.node.id)) {
          seen.add(call.node.id);
          this.readCall(call.node, call.lib, call.fn, call.pkgCall);
        }
      }
    }
  }

  private readAutoload(decl: Node): void {
    for (const spec of decl.descendantsOfType('import_spec')) {
      if (spec && /"github\.com\/joho\/godotenv\/autoload"/.test(spec.text)) this.autoload = spanOf(spec);
    }
  }

  private fields(struct: Node, depth: number): FieldFact[] {
    const out: FieldFact[] = [];
    const list = struct.namedChildren.find((c) => c?.type === 'field_declaration_list');
    for (const f of list?.namedChildren ?? []) {
      if (f?.type !== 'field_declaration') continue;
      const tagNode = f.childForFieldName('tag');
      const tag = tagNode ? (decodeTag(tagNode.text) ?? '') : '';
      const typeNode = f.childForFieldName('type');
      const type = this.localized(typeName(typeNode), f);
      const inline = typeNode?.type === 'struct_type' && depth < 8 ? this.fields(typeNode, depth + 1) : undefined;
      const names = f.childrenForFieldName('name').filter((n): n is Node => !!n);
      const elem = this.localized(sliceElem(typeNode), f);
      const base = { type, tag, span: spanOf(f), ...(typeNode?.type === 'pointer_type' ? { pointer: true } : {}), ...(elem ? { elem } : {}), ...(inline ? { inline } : {}) };
      if (names.length === 0) {
        if (type) out.push({ name: type.name, embedded: true, ...base });
      } else for (const n of names) out.push({ name: n.text, embedded: false, ...base });
    }
    return out;
  }

  private readVars(decl: Node): void {
    for (const spec of decl.descendantsOfType('var_spec')) {
      if (!spec) continue;
      const names = spec.childrenForFieldName('name').filter((n): n is Node => !!n);
      const type = typeName(spec.childForFieldName('type'));
      const values = spec.childForFieldName('value')?.namedChildren ?? [];
      names.forEach((n, i) => {
        const t = type ?? valueType(values.length === names.length ? (values[i] ?? null) : null);
        if (t) this.varTypes[n.text] = t;
      });
    }
  }

  /** The library call whose callee ends in `word`, if any. */
  private callAt(word: Node): { node: Node; lib: Library; fn: string; pkgCall: boolean } | null {
    let sel: Node | null = null;
    let pkgCall = false;
    let lib: Library | undefined;
    if (word.type === 'identifier' && word.parent?.type === 'selector_expression' && word.parent.childForFieldName('operand')?.id === word.id) {
      lib = this.libs.get(word.text);
      if (!lib || this.host.localDecl(word, word.text)) return null;
      sel = word.parent;
      pkgCall = true;
    } else if (word.type === 'field_identifier' && VIPER_METHODS.test(word.text)) {
      sel = word.parent;
      if (sel?.type !== 'selector_expression' || sel.childForFieldName('field')?.id !== word.id) return null;
      const operand = sel.childForFieldName('operand');
      if (operand?.type === 'identifier' && this.libs.has(operand.text) && !this.host.localDecl(operand, operand.text)) return null; // a package call, found by its operand
      if (!this.isViperValue(operand)) return null;
      lib = 'viper';
    } else if (word.type === 'package_identifier' && this.libs.get(word.text) === 'caarlos0') {
      // `env.ParseAsWithOptions[T](opts)` parses as a conversion to a generic type.
      const q = word.parent;
      const g = q?.parent;
      const conv = g?.parent;
      if (q?.type !== 'qualified_type' || g?.type !== 'generic_type' || conv?.type !== 'type_conversion_expression') return null;
      return { node: conv, lib: 'caarlos0', fn: q.childForFieldName('name')?.text ?? '', pkgCall: true };
    } else return null;
    const fn = sel.childForFieldName('field')?.text ?? '';
    let callee: Node = sel;
    while (callee.parent && (callee.parent.type === 'index_expression' || callee.parent.type === 'type_instantiation_expression') && callee.parent.namedChildren[0]?.id === callee.id) callee = callee.parent;
    const call = callee.parent;
    if (call?.type !== 'call_expression' || call.childForFieldName('function')?.id !== callee.id) return null;
    return { node: call, lib, fn, pkgCall };
  }

  /** Whether a method's receiver is a *viper.Viper: a variable made by viper.New() or typed so. */
  private isViperValue(operand: Node | null): boolean {
    if (operand?.type !== 'identifier') return false;
    const viper = [...this.libs].find(([, l]) => l === 'viper')?.[0];
    if (!viper) return false;
    const decl = this.host.localDecl(operand, operand.text);
    const t = decl ? decl.type : null;
    if (t) return t.text.replace(/[\s*]/g, '') === `${viper}.Viper`;
    const v = decl?.value;
    if (v) return v.type === 'call_expression' && unwrapCallee(v.childForFieldName('function'))?.text === `${viper}.New`;
    const pkgVar = this.varTypes[operand.text];
    return !decl && (pkgVar ? pkgVar.qual === viper && pkgVar.name === 'Viper' : true);
  }

  private readCall(call: Node, lib: Library, fn: string, pkgCall: boolean): void {
    const conv = call.type === 'type_conversion_expression';
    const argNodes = conv ? [call.childForFieldName('operand')] : (call.childForFieldName('arguments')?.namedChildren ?? []);
    const args = argNodes.filter((a): a is Node => !!a && a.type !== 'comment');
    const fact: LibCallFact = { lib, fn, pkgCall, span: spanOf(call), args: [], func: this.host.funcOf(call) };
    if (conv) {
      const targs = call.childForFieldName('type')?.childForFieldName('type_arguments');
      fact.typeArg = this.localized(typeName(targs?.namedChildren[0]?.namedChildren[0] ?? null), call);
    } else {
      const fnNode = call.childForFieldName('function');
      if (fnNode?.type === 'index_expression') fact.typeArg = this.localized(typeRefOf(fnNode.childForFieldName('index')), call);
      else if (fnNode?.type === 'type_instantiation_expression') fact.typeArg = this.localized(typeRefOf(fnNode.namedChildren[1]?.namedChildren[0] ?? fnNode.namedChildren[1] ?? null), call);
    }
    if (lib === 'viper' && fn === 'SetEnvKeyReplacer') {
      const r = args[0];
      const f = r?.type === 'call_expression' ? unwrapCallee(r.childForFieldName('function')) : null;
      fact.replacer = f?.type === 'selector_expression' && f.childForFieldName('field')?.text === 'NewReplacer'
        ? (r!.childForFieldName('arguments')?.namedChildren ?? []).filter((a): a is Node => !!a && a.type !== 'comment').map((a) => this.host.expr(a, call))
        : null;
    } else fact.args = args.map((a) => this.host.expr(a, call));
    if (lib === 'envconfig' || lib === 'caarlos0') {
      const target = lib === 'envconfig' ? args[1] : args[0];
      fact.struct = target ? this.structOf(target) : null;
      const opts = lib === 'caarlos0' ? args.find((a) => a.type === 'composite_literal') : undefined;
      const option = (name: string) => opts?.childForFieldName('body')?.namedChildren.find((kv) => kv?.type === 'keyed_element' && kv.namedChildren[0]?.text === name)?.namedChildren[1];
      const value = option('Prefix');
      if (value) fact.prefix = this.host.expr(value.type === 'literal_element' ? (value.namedChildren[0] ?? value) : value, call);
      if (option('UseFieldNameByDefault')?.text === 'true') fact.byName = true;
    }
    this.calls.push(fact);
  }

  /** The struct type a pointer argument points to: `&cfg` (cfg of type T), `&T{}`, `new(T)`, `cfg` (cfg := &T{}). */
  private structOf(arg: Node): TypeRef | null {
    const direct = this.localized(valueType(arg), arg);
    if (direct) return direct;
    let id = arg;
    if (arg.type === 'unary_expression' && arg.childForFieldName('operator')?.text === '&') id = arg.childForFieldName('operand') ?? arg;
    if (id.type !== 'identifier') return null;
    const decl = this.host.localDecl(id, id.text);
    if (!decl) return this.varTypes[id.text] ?? null;
    if (decl.type?.type === 'struct_type') return { name: anonymousName(decl.type) };
    if (decl.type) return this.localized(typeName(decl.type), decl.type);
    return decl.value ? this.localized(valueType(decl.value), decl.value) : null;
  }

  /** `t` as seen at `at`: a bare name that a function-local type declaration shadows goes by that type's local name. */
  private localized(t: TypeRef | null, at: Node, depth = 0): TypeRef | null {
    if (!t || t.qual !== undefined) return t;
    const decl = this.host.localDecl(at, t.name);
    if (decl?.kind !== 'type') return t;
    if (!decl.spec) return null;
    // `type L = Config` or `type L Config`: the same fields as the type it names.
    const named = decl.spec.childForFieldName('type');
    if (named && named.type !== 'struct_type' && depth < 8) return this.localized(typeName(named), decl.spec, depth + 1);
    return { name: specName(decl.spec) ?? t.name };
  }
}

/** The name a declared type goes by in the facts: its Go name at package level, `Name@line:column` inside a function. */
function specName(spec: Node): string | undefined {
  const name = spec.childForFieldName('name');
  if (!name) return undefined;
  for (let n = spec.parent; n; n = n.parent) {
    if (n.type === 'function_declaration' || n.type === 'method_declaration' || n.type === 'func_literal') {
      return `${name.text}@${name.startPosition.row + 1}:${name.startPosition.column + 1}`;
    }
  }
  return name.text;
}

/** Whether a type name in the facts is one only its own file can see (declared in a function, or anonymous). */
export function isLocalType(name: string): boolean {
  return name.includes('@');
}

/** The element type of `[]T` or `*[]T` when T is named (a slice of pointers is no slice of structs to caarlos0/env). */
function sliceElem(t: Node | null): TypeRef | null {
  const slice = t?.type === 'pointer_type' ? t.namedChildren[0] : t;
  if (slice?.type !== 'slice_type') return null;
  const e = slice.childForFieldName('element');
  return e?.type === 'type_identifier' || e?.type === 'qualified_type' || e?.type === 'generic_type' ? typeName(e) : null;
}

/** The name an anonymous struct type goes by in the facts: its position, which no Go name can be. */
function anonymousName(t: Node): string {
  return `struct@${t.startPosition.row + 1}:${t.startPosition.column + 1}`;
}

/** A type named by an expression node (`T`, `pkg.T`) or a type node. */
function typeRefOf(n: Node | null): TypeRef | null {
  if (!n) return null;
  if (n.type === 'identifier') return { name: n.text };
  if (n.type === 'selector_expression') {
    const q = n.childForFieldName('operand')?.text;
    const name = n.childForFieldName('field')?.text;
    return name ? { qual: q, name } : null;
  }
  return typeName(n.type === 'type_elem' ? n.namedChildren[0] : n);
}

/** A struct tag literal's text (raw or interpreted). */
function decodeTag(src: string): string | null {
  if (src.startsWith('`')) return src.slice(1, -1);
  try {
    const v: unknown = JSON.parse(src);
    return typeof v === 'string' ? v : null;
  } catch {
    return null;
  }
}
