/**
 * The go command's own configuration in a run: which processes are go commands (the traced
 * go that `envtrace run` puts first on PATH), and, per configuration variable they consulted,
 * the first read and the first write. cmd/go reads each variable from the environment, then
 * the go env file, then $GOROOT/go.env, and os.Setenv's the resolved value (cmd/go/main.go);
 * analysis/goConfig.ts turns those events into "value and where it came from".
 */
import type { ProcessInfo, RunEvent, RunVisitor } from './reader';

/** The variables of the go command's configuration that envtrace reports (`go help environment`). */
export const GO_CONFIG_KEYS: ReadonlySet<string> = new Set([
  'GO111MODULE', 'GOFLAGS', 'GOOS', 'GOARCH', 'CGO_ENABLED', 'GOTOOLCHAIN', 'GOPROXY', 'GONOPROXY', 'GOPRIVATE',
  'GOSUMDB', 'GONOSUMDB', 'GOINSECURE', 'GOVCS', 'GOAUTH', 'GOWORK', 'GOPATH', 'GOMODCACHE', 'GOCACHE', 'GOCACHEPROG',
  'GOROOT', 'GOENV', 'GOBIN', 'GOEXPERIMENT', 'GOAMD64', 'GOARM', 'GOARM64', 'GO386', 'GOFIPS140', 'GOTMPDIR',
  'GOTELEMETRY', 'GODEBUG', 'CC', 'CXX', 'AR',
]);

/** True when a process is a go command (argv[0] is `go`). */
export function isGoCommand(p: Pick<ProcessInfo, 'argv'>): boolean {
  return /^go(\.exe)?$/i.test((p.argv[0] ?? '').split(/[\\/]/).pop() ?? '');
}

/** What one go command process did with one configuration variable. */
export interface GoKeyEvents {
  /** The first read (the environment as the process found it). */
  read?: RunEvent;
  /** The first write by the process itself (cmd/go's resolved value). */
  set?: RunEvent;
}

/** One go command process and its configuration events. */
export interface GoCommandEvents {
  process: ProcessInfo;
  keys: Map<string, GoKeyEvents>;
  /** exec events: a GOTOOLCHAIN switch replaces the process with another go. */
  execs: RunEvent[];
}

/** A write of a configuration variable by any traced process (to name who set it for a child). */
export interface ConfigWrite {
  pid: number;
  key: string;
  event: RunEvent;
}

/** Collects, in the same pass as the aggregate, what the go command report needs. */
export class GoCommandCollector implements RunVisitor {
  readonly commands = new Map<number, GoCommandEvents>();
  readonly processes = new Map<number, ProcessInfo>();
  readonly writes: ConfigWrite[] = [];

  process(p: ProcessInfo): void {
    this.processes.set(p.pid, p);
    if (isGoCommand(p)) this.commands.set(p.pid, { process: p, keys: new Map(), execs: [] });
  }

  event(e: RunEvent): void {
    if (e.op === 'setenv' && e.key !== undefined && GO_CONFIG_KEYS.has(e.key)) this.writes.push({ pid: e.pid, key: e.key, event: e });
    const cmd = this.commands.get(e.pid);
    if (!cmd) return;
    if (e.op === 'exec') {
      cmd.execs.push(e);
      return;
    }
    if (e.key === undefined || !GO_CONFIG_KEYS.has(e.key)) return;
    let k = cmd.keys.get(e.key);
    if (!k) cmd.keys.set(e.key, (k = {}));
    if (e.op === 'getenv' && !k.read && !k.set) k.read = e;
    else if (e.op === 'setenv' && !k.set) k.set = e;
  }
}

/**
 * A visitor that hands the run to `agg` and `go`, except the events of go command
 * processes, which only `go` gets: the go command's own reads (a hundred of them, unset
 * GOARM64 and the like) are shown as its resolved configuration, not as the program's reads.
 */
export function splitGoCommands(agg: RunVisitor, go: GoCommandCollector): RunVisitor {
  return {
    // A go command is a process of the report (kind go-command) but not one of the programs
    // the aggregate counts and the summary names.
    process: (p) => {
      go.process(p);
      if (!go.commands.has(p.pid)) agg.process?.(p);
    },
    stack: (id, f) => agg.stack?.(id, f),
    goroutine: (pid, g, pg, start) => agg.goroutine?.(pid, g, pg, start),
    mark: (pid, g, kind, at) => agg.mark?.(pid, g, kind, at),
    processEnd: (p) => agg.processEnd?.(p),
    event: (e, p) => {
      go.event(e);
      return go.commands.has(e.pid) ? undefined : agg.event?.(e, p);
    },
  };
}

/** `visitor` without the go command processes and their events (the editor, diff and check read programs only). */
export function withoutGoCommands(visitor: RunVisitor): RunVisitor {
  return splitGoCommands(visitor, new GoCommandCollector());
}
