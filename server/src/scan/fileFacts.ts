/**
 * The facts of one parsed Go file (what facts.ts extracts, independently of every other
 * file): the shape that workers send back and resolve.ts joins across files.
 */
import type { Expr } from './expr';
import type { DeferFact } from './deferred';
import type { LibCallFact, StructFact, TypeRef } from './libraryFacts';
import type { SiteKind } from './types';
// A type only: the uses analysis' flows, which a parse may keep beside the facts (extract.ts).
import type { LocalFlows } from '../uses/siteFlows';

/** A 1-based source range (end column exclusive), as in Site. */
export interface Span {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** A named function or method of the file that contains calls of interest. */
export interface FuncFact {
  /** Name without package: `getenv`, `(*Loader).Load`, `Loader.Load`. */
  qualified: string;
  name: string;
  /** Receiver type name for methods, else null. */
  recv: string | null;
  params: string[];
  /** Parameters returned (or assigned to a result) as they are: candidates for the default. */
  returnedParams: number[];
}

/** How a possibly-helper call names its callee. */
export type Callee =
  | { t: 'ident'; name: string }
  | { t: 'qual'; qual: string; name: string }
  | { t: 'method'; name: string; recvType: { qual?: string; name: string } | null };

/** One call of interest: a standard env API call or a call that may be a helper call. */
export interface CallFact {
  span: Span;
  /** Set for standard API calls: `os.Getenv`, `testing.T.Setenv`, ... */
  api?: string;
  kind?: SiteKind | 'expand';
  /** The key argument of an API call (absent: the call has no key). */
  key?: Expr;
  /** The fallback written next to a read (`cmp.Or(os.Getenv("K"), "dflt")`). */
  fallback?: Expr;
  /** For ExpandEnv/Expand on a literal: the variables with their spans. */
  vars?: { name: string; span: Span }[];
  /** Set for calls that may be helper calls. */
  callee?: Callee;
  args?: Expr[];
  /** Index into FileFacts.funcs of the enclosing named function, or -1 (package level). */
  func: number;
  /** Set when the call is made by a `defer` statement. */
  defer?: DeferFact;
}

/** An import of the file. `name` is the alias as written (`.`, `_`, an identifier) or null. */
export interface ImportFact {
  name: string | null;
  path: string;
}

/** Everything the resolver needs from one file. */
export interface FileFacts {
  pkg: string;
  imports: ImportFact[];
  consts: Map<string, Expr>;
  funcs: FuncFact[];
  calls: CallFact[];
  /** Package-level variables holding an env function (`var getenv = os.Getenv`): name → API. */
  aliases: { name: string; api: string; kind: SiteKind }[];
  /** Config-library facts (issue 6), when the file imports a library or has env tags. */
  lib?: LibraryFacts;
  /** What the extraction left out and why (syntax nested too deep); absent when nothing. */
  notes?: string[];
  /** The uses analysis' flows of the file's calls, computed on the same tree when asked (LocalFlowsHook). */
  flows?: LocalFlows;
}

/** Struct types, package-level variable types and config-library calls of a file. */
export interface LibraryFacts {
  structs: StructFact[];
  calls: LibCallFact[];
  varTypes: Record<string, TypeRef>;
  /** Range of a `_ "github.com/joho/godotenv/autoload"` import. */
  autoload: Span | null;
}
