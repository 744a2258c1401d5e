/**
 * What a stack says about an access: the public API used (`os.Getenv`, `testing.T.Setenv`,
 * …) and the first frame outside the standard library.
 */
import type { Op } from './records';

/** A frame after path mapping. */
export interface Frame {
  function: string;
  file: string;
  line: number;
}

// NOTE: the Go toolchain records at most 2^20-1 lines per file (cmd/internal/src's lineMax;
// later lines are reported as that one), so anything above it did not come from a build.
/** The highest line number a Go stack can give. */
export const MAX_GO_LINE = (1 << 20) - 1;

/** True for a line number a Go build can record: an integer from 1 to MAX_GO_LINE. */
export function validLine(line: unknown): line is number {
  return typeof line === 'number' && Number.isInteger(line) && line >= 1 && line <= MAX_GO_LINE;
}

/** A frame's line as shown: the number, `?` when unknown, `(invalid line)` for one no Go build records (stored as 0). */
export function lineText(line: number | null): string {
  return line === null ? '?' : validLine(line) ? String(line) : '(invalid line)';
}

/** True for a count or length a run file can hold: a non-negative safe integer. */
export function validCount(n: unknown): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
}

/** The import path of the package a Go function name belongs to: `net/http.(*Server).Serve` → `net/http`. */
export function packagePath(name: string): string {
  const fn = name.replace(/\[.*\]/g, '');
  const slash = fn.lastIndexOf('/', fn.indexOf('(') >= 0 ? fn.indexOf('(') : fn.length);
  const dot = fn.indexOf('.', slash + 1);
  return dot < 0 ? fn : fn.slice(0, dot);
}

/**
 * True for frames of the standard library: the package path's first element has no dot
 * (so not a module path), it is not `main`, and no known workspace module claims it.
 * The generated `_testmain.go` counts as library code too.
 */
export function isStdFrame(frame: Frame, modulePaths: readonly string[] = []): boolean {
  if (frame.file.endsWith('/_testmain.go') || frame.file === '_testmain.go') return true;
  const pkg = packagePath(frame.function);
  if (pkg === 'main') return false;
  if (modulePaths.some((m) => pkg === m || pkg.startsWith(m + '/'))) return false;
  const first = pkg.split('/')[0];
  return !first.includes('.');
}

/** `testing.(*T).Setenv` → `testing.T.Setenv`: the spelling used in docs and in the report. */
export function apiName(fn: string): string {
  return fn.replace(/\(\*([^)]+)\)/g, '$1').replace(/\[[^\]]*\]/g, '');
}

/** Env APIs of the standard library, by function name (closures stripped) → the name to show. */
const KNOWN_APIS: Record<string, string> = {
  'os.Getenv': 'os.Getenv',
  'os.LookupEnv': 'os.LookupEnv',
  'os.Setenv': 'os.Setenv',
  'os.Unsetenv': 'os.Unsetenv',
  'os.Clearenv': 'os.Clearenv',
  'os.Environ': 'os.Environ',
  'os.ExpandEnv': 'os.ExpandEnv',
  'testing.(*T).Setenv': 'testing.T.Setenv',
  'testing.(*B).Setenv': 'testing.B.Setenv',
  'testing.(*F).Setenv': 'testing.F.Setenv',
  'testing.(*common).Setenv': 'testing.T.Setenv',
};

const SYSCALL_API: Record<Op, string> = {
  getenv: 'syscall.Getenv',
  setenv: 'syscall.Setenv',
  unsetenv: 'syscall.Unsetenv',
  clearenv: 'syscall.Clearenv',
  environ: 'syscall.Environ',
  spawn: 'syscall.StartProcess',
  exec: 'syscall.Exec',
};

/** `testing.(*common).Setenv.func1` → `testing.(*common).Setenv`. */
function withoutClosure(fn: string): string {
  return fn.replace(/(\.func\d+|\.gowrap\d+|\.deferwrap\d+)+$/, '');
}

/** What a stack tells about one access. */
export interface StackFacts {
  api: string;
  /** The first frame outside the standard library, or null. */
  user: Frame | null;
}

/**
 * Derives the API and the first non-std frame from a stack (innermost first, starting at the
 * caller of the syscall function). The API is the outermost known env API among the standard
 * library frames below the first user frame; else the std function the user called; else
 * the syscall function itself (a direct `syscall.Getenv` call, or a non-std wrapper).
 */
export function stackFacts(frames: readonly Frame[], op: Op, modulePaths: readonly string[] = []): StackFacts {
  let userIndex = frames.findIndex((f) => !isStdFrame(f, modulePaths));
  const user = userIndex >= 0 ? frames[userIndex] : null;
  if (userIndex < 0) userIndex = frames.length;
  let known: string | null = null;
  for (let i = 0; i < userIndex; i++) {
    const name = KNOWN_APIS[withoutClosure(frames[i].function)];
    if (name) known = name;
  }
  if (known) return { api: known, user };
  if (userIndex === 0) return { api: SYSCALL_API[op], user };
  // A std function with no known env API: name the one the user called (or, with no user
  // frame at all, the innermost one, e.g. time.initLocal reading TZ).
  const std = user ? frames[userIndex - 1] : frames[0];
  return { api: apiName(withoutClosure(std.function)), user };
}

/** True for the accesses testing.T.Setenv (B, F) makes: the set, the lookup of the old value, the restoring cleanup. */
export function isTestSetenv(api: string): boolean {
  return api.startsWith('testing.') && api.endsWith('.Setenv');
}

/**
 * How an access counts for the program's own reads and writes. `t.Setenv` looks the key up
 * (to restore it later) and registers a cleanup that sets or unsets it again: that is the
 * testing package's bookkeeping, not a read or write of the test (null). Its set is a write.
 * The cleanup is told from the set by having no frame outside the standard library.
 */
export function userAccess(op: Op, api: string, user: Frame | null): 'read' | 'write' | null {
  if (op === 'getenv') return isTestSetenv(api) ? null : 'read';
  if (op === 'setenv' || op === 'unsetenv') return isTestSetenv(api) && user === null ? null : 'write';
  return null;
}
