import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Which standard-library files the overlay replaces and how. Each replaced file is the
 * original with some functions renamed (found by their exact signature) and recorder code
 * from server/go/<fragments> appended; extra imports go on the `package` line so that the
 * original line numbers (shown in stacks) do not move. Files are only replaced, never added.
 */
export interface Patch {
  /** Path under GOROOT, with / separators. */
  file: string;
  /** Functions renamed to envtraceOrig<Name> (first letter upper-cased); `sig` must occur exactly once. */
  renames: { name: string; sig: string }[];
  /**
   * Text put on an anchor line that must occur exactly once (same line, so nothing moves):
   * after it, or with `before` between its indentation and its statement.
   */
  inserts?: { anchor: string; text: string; before?: boolean }[];
  /** Imports added on the package line (alias → path). */
  imports?: Record<string, string>;
  /** Directory under server/go whose *.go fragments are appended (sorted by name). */
  fragments?: string;
}

const ENV_RENAMES = [
  { name: 'Getenv', sig: 'func Getenv(key string) (value string, found bool) {' },
  { name: 'Setenv', sig: 'func Setenv(key, value string) error {' },
  { name: 'Unsetenv', sig: 'func Unsetenv(key string) error {' },
  { name: 'Clearenv', sig: 'func Clearenv() {' },
  { name: 'Environ', sig: 'func Environ() []string {' },
];
const START_PROCESS = {
  name: 'StartProcess',
  sig: 'func StartProcess(argv0 string, argv []string, attr *ProcAttr) (pid int, handle uintptr, err error) {',
};
const EXEC = { name: 'Exec', sig: 'func Exec(argv0 string, argv []string, envv []string) (err error) {' };

/** The patch set, identical for every supported Go release (1.21+). */
export const PATCHES: Patch[] = [
  { file: 'src/syscall/env_unix.go', renames: ENV_RENAMES, fragments: 'syscall/env' },
  { file: 'src/syscall/env_windows.go', renames: ENV_RENAMES, fragments: 'syscall/env' },
  {
    file: 'src/syscall/exec_unix.go',
    renames: [
      START_PROCESS,
      EXEC,
      { name: 'ForkExec', sig: 'func ForkExec(argv0 string, argv []string, attr *ProcAttr) (pid int, err error) {' },
    ],
    fragments: 'syscall/exec_unix',
  },
  { file: 'src/syscall/exec_windows.go', renames: [START_PROCESS, EXEC], fragments: 'syscall/exec_windows' },
  // Dies with envtrace (ENVTRACE_ALIVE): Linux only, no renames.
  { file: 'src/syscall/exec_linux.go', renames: [], fragments: 'syscall/exec_linux' },
  { file: 'src/runtime/env_posix.go', renames: [{ name: 'gogetenv', sig: 'func gogetenv(key string) string {' }], fragments: 'runtime' },
  // Goroutine exits (the `GX` record): goexit1 runs on the exiting goroutine for every
  // goroutine; the hook is set by the recorder and writes only for goroutines that made events.
  {
    file: 'src/runtime/proc.go',
    renames: [],
    inserts: [{ anchor: 'func goexit1() {', text: ' if envtraceExitHook != nil { envtraceExitHook() };' }],
  },
  // Test records: start (`T`), the pause in t.Parallel (`TP`), and the end (`TE`), written
  // just before tRunner signals the parent, after subtests and cleanups.
  {
    file: 'src/testing/testing.go',
    renames: [],
    imports: { envtraceSyscall: 'syscall' },
    inserts: [
      { anchor: 'func tRunner(t *T, fn func(t *T)) {', text: ' envtraceSyscall.EnvtraceTestStart(t.Name());' },
      { anchor: '\t\t\tt.signal <- signal', text: 'envtraceSyscall.EnvtraceTestEnd(t.Name()); ', before: true },
      { anchor: '\tt.signal <- true   // Release calling test.', text: 'envtraceSyscall.EnvtraceTestParallel(); ', before: true },
    ],
  },
];

/** Raised when a GOROOT file does not look as the patch expects; the message names version and file. */
export class PatchError extends Error {}

interface Fragment {
  imports: string[];
  body: string;
}

/** Reads the fragments of one server/go directory: import lines and the text after `//envtrace:begin`. */
export function readFragments(goSrcDir: string, dir: string): Fragment[] {
  const full = join(goSrcDir, dir);
  return readdirSync(full)
    .filter((f) => f.endsWith('.go'))
    .sort()
    .map((f) => {
      const text = readFileSync(join(full, f), 'utf8');
      const mark = text.indexOf('//envtrace:begin\n');
      if (mark < 0) throw new Error(`${join(full, f)}: missing //envtrace:begin`);
      const head = text.slice(0, mark);
      const block = /\nimport \(\n([\s\S]*?)\n\)/.exec(head);
      const imports = block ? block[1].split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('//')) : [];
      return { imports, body: `\n// ---- envtrace: ${dir}/${f} ----\n` + text.slice(mark + '//envtrace:begin\n'.length) };
    });
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function countLines(text: string, line: string): number {
  return text.split('\n').filter((l) => l === line).length;
}

/** Applies one patch to the original file text; throws PatchError when an anchor is not unique. */
export function applyPatch(p: Patch, original: string, goVersion: string, goSrcDir: string): string {
  const refuse = (what: string, n: number): never => {
    throw new PatchError(
      `envtrace cannot patch ${goVersion}: $GOROOT/${p.file}: expected exactly one line "${what}", found ${n}` +
        ' (this Go release changed the file; envtrace needs an update)',
    );
  };
  let text = original;
  for (const r of p.renames) {
    const n = countLines(text, r.sig);
    if (n !== 1) refuse(r.sig, n);
    // Renames the definition and the file's own calls (e.g. Windows' Clearenv calls Unsetenv).
    text = text.replace(new RegExp(`\\b${escapeRe(r.name)}\\(`, 'g'), `envtraceOrig${r.name[0].toUpperCase()}${r.name.slice(1)}(`);
  }
  for (const ins of p.inserts ?? []) {
    const n = countLines(text, ins.anchor);
    if (n !== 1) refuse(ins.anchor, n);
    const indent = /^\s*/.exec(ins.anchor)![0];
    const line = ins.before ? indent + ins.text + ins.anchor.slice(indent.length) : ins.anchor + ins.text;
    text = text.replace(`\n${ins.anchor}\n`, () => `\n${line}\n`);
  }
  const frags = p.fragments ? readFragments(goSrcDir, p.fragments) : [];
  const imports = new Set<string>(Object.entries(p.imports ?? {}).map(([a, path]) => `${a} "${path}"`));
  for (const f of frags) for (const i of f.imports) imports.add(i);
  if (imports.size) {
    const pkg = /^package (\w+)$/m.exec(text);
    if (!pkg) refuse('package <name>', 0);
    const line = `${pkg![0]}; import (${[...imports].join('; ')})`;
    text = text.replace(/^package (\w+)$/m, line);
  }
  return text + frags.map((f) => f.body).join('');
}
