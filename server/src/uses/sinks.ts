/**
 * The calls that consume a value, by import path and name: which argument they take it in,
 * what kind of sink they are, and the calls that only pass a value on (string building).
 * Pure tables and lookups; the flow (follow.ts) decides which argument a value is.
 */
import type { SinkKind } from './types';

/** A sink: its kind, and which arguments carry the consumed value (undefined: any). */
interface SinkSpec {
  kind: SinkKind;
  args?: number[];
  part?: string;
  /** Also pass the value on (filepath.Join is a path and returns one). */
  passes?: boolean;
}

const any = (kind: SinkKind, part?: string): SinkSpec => ({ kind, part });
const at = (kind: SinkKind, args: number[], part?: string): SinkSpec => ({ kind, args, part });

const OUTPUT_LOG = ['Print', 'Printf', 'Println', 'Fatal', 'Fatalf', 'Fatalln', 'Panic', 'Panicf', 'Panicln'];
const SLOG = ['Info', 'Debug', 'Warn', 'Error', 'InfoContext', 'DebugContext', 'WarnContext', 'ErrorContext', 'Log'];

function table(entries: [string, SinkSpec][]): Map<string, SinkSpec> {
  return new Map(entries);
}

/** Package functions: `<import path>.<Name>`. */
const FUNCS = table([
  ['database/sql.Open', at('database', [1], 'dsn')],
  ...['Open', 'Connect', 'MustConnect', 'MustOpen', 'ConnectContext'].map((n): [string, SinkSpec] => [`github.com/jmoiron/sqlx.${n}`, { kind: 'database', args: n === 'ConnectContext' ? [2] : [1], part: 'dsn' }]),
  ['github.com/jackc/pgx/v5.Connect', at('database', [1], 'dsn')],
  ['github.com/jackc/pgx/v4.Connect', at('database', [1], 'dsn')],
  ['github.com/jackc/pgx/v5.ParseConfig', at('database', [0], 'dsn')],
  ['github.com/jackc/pgx/v4.ParseConfig', at('database', [0], 'dsn')],
  ['github.com/jackc/pgx/v5/pgxpool.New', at('database', [1], 'dsn')],
  ['github.com/jackc/pgx/v5/pgxpool.ParseConfig', at('database', [0], 'dsn')],
  ['github.com/jackc/pgx/v4/pgxpool.Connect', at('database', [1], 'dsn')],
  ['github.com/go-sql-driver/mysql.ParseDSN', at('database', [0], 'dsn')],
  ['gorm.io/gorm.Open', at('database', [0], 'dsn')],
  ['gorm.io/driver/postgres.Open', at('database', [0], 'dsn')],
  ['gorm.io/driver/mysql.Open', at('database', [0], 'dsn')],
  ['gorm.io/driver/sqlite.Open', at('database', [0], 'dsn')],
  ['gorm.io/driver/sqlserver.Open', at('database', [0], 'dsn')],
  ['github.com/redis/go-redis/v9.ParseURL', at('database', [0], 'dsn')],
  ['github.com/go-redis/redis/v8.ParseURL', at('database', [0], 'dsn')],
  ['net/http.ListenAndServe', at('listen', [0], 'addr')],
  ['net/http.ListenAndServeTLS', { kind: 'listen', args: [0], part: 'addr' }],
  ['net.Listen', at('listen', [1], 'addr')],
  ['net/http.Get', at('outbound', [0], 'url')],
  ['net/http.Post', at('outbound', [0], 'url')],
  ['net/http.Head', at('outbound', [0], 'url')],
  ['net/http.NewRequest', at('outbound', [1], 'url')],
  ['net/http.NewRequestWithContext', at('outbound', [2], 'url')],
  ['net/url.Parse', { kind: 'outbound', args: [0], part: 'url', passes: true }],
  ['net.Dial', at('outbound', [1], 'addr')],
  ['google.golang.org/grpc.Dial', at('outbound', [0], 'addr')],
  ['google.golang.org/grpc.DialContext', at('outbound', [1], 'addr')],
  ['google.golang.org/grpc.NewClient', at('outbound', [0], 'addr')],
  ['crypto/tls.LoadX509KeyPair', at('credential', [0, 1], 'cert')],
  ['os.Open', at('file', [0])],
  ['os.OpenFile', at('file', [0])],
  ['os.ReadFile', at('file', [0])],
  ['os.WriteFile', at('file', [0])],
  ['os.Create', at('file', [0])],
  ['os.Mkdir', at('file', [0])],
  ['os.MkdirAll', at('file', [0])],
  ['os.Remove', at('file', [0])],
  ['os.RemoveAll', at('file', [0])],
  ['os.ReadDir', at('file', [0])],
  ['os.Stat', at('file', [0])],
  ['path/filepath.Join', { kind: 'file', passes: true }],
  ['github.com/gin-gonic/gin.SetMode', at('mode', [0])],
  ['strconv.ParseBool', at('flag', [0])],
  ['strconv.Atoi', at('parse', [0], 'number')],
  ['strconv.ParseInt', at('parse', [0], 'number')],
  ['strconv.ParseUint', at('parse', [0], 'number')],
  ['strconv.ParseFloat', at('parse', [0], 'number')],
  ['time.ParseDuration', at('parse', [0], 'duration')],
  ...OUTPUT_LOG.map((n): [string, SinkSpec] => [`log.${n}`, any('output')]),
  ...['Print', 'Printf', 'Println', 'Fprint', 'Fprintf', 'Fprintln'].map((n): [string, SinkSpec] => [`fmt.${n}`, any('output')]),
  ...SLOG.map((n): [string, SinkSpec] => [`log/slog.${n}`, any('output')]),
  ...['Info', 'Infof', 'Debug', 'Debugf', 'Warn', 'Warnf', 'Error', 'Errorf', 'Fatal', 'Fatalf', 'Print', 'Printf', 'Println'].map((n): [string, SinkSpec] => [`github.com/sirupsen/logrus.${n}`, any('output')]),
]);

/** Package functions that build a new value from their arguments (the value flows on). */
const PASSING = new Set([
  'fmt.Sprintf', 'fmt.Sprint', 'fmt.Sprintln', 'fmt.Errorf', 'strings.Join', 'strings.TrimSpace', 'strings.ToLower', 'strings.ToUpper', 'strings.Trim',
  'strings.TrimPrefix', 'strings.TrimSuffix', 'strings.ReplaceAll', 'strings.Replace', 'net.JoinHostPort', 'path.Join', 'net/url.JoinPath',
  'net/url.UserPassword', 'net/url.User', 'net/url.QueryEscape', 'net/url.PathEscape', 'cmp.Or',
  'log/slog.String', 'log/slog.Any', 'go.uber.org/zap.String', 'go.uber.org/zap.Any', 'github.com/sirupsen/logrus.WithField',
]);

/** Fields of struct literals that consume a value: `<import path>.<Type>.<Field>`. */
const FIELDS = table([
  ['net/http.Server.Addr', at('listen', [], 'addr')],
  ['github.com/go-sql-driver/mysql.Config.User', at('database', [], 'user')],
  ['github.com/go-sql-driver/mysql.Config.Passwd', at('database', [], 'password')],
  ['github.com/go-sql-driver/mysql.Config.Addr', at('database', [], 'host')],
  ['github.com/go-sql-driver/mysql.Config.DBName', at('database', [], 'name')],
  ...['github.com/redis/go-redis/v9', 'github.com/go-redis/redis/v8'].flatMap((p): [string, SinkSpec][] => [
    [`${p}.Options.Addr`, at('database', [], 'host')],
    [`${p}.Options.Password`, at('database', [], 'password')],
    [`${p}.Options.Username`, at('database', [], 'user')],
  ]),
  ['net/url.URL.Host', at('outbound', [], 'host')],
  ['net/url.URL.User', at('outbound', [], 'user')],
]);

/**
 * Methods, known by name only in files that import their package (no type information):
 * `<import path needed>#<Method>`. Output methods of loggers are in LOGGER_METHODS.
 */
const METHODS = table([
  ['github.com/gin-gonic/gin#Run', at('listen', [0], 'addr')],
  ['github.com/gin-gonic/gin#RunTLS', at('listen', [0], 'addr')],
  ['github.com/labstack/echo/v4#Start', at('listen', [0], 'addr')],
  ['github.com/labstack/echo/v4#StartTLS', at('listen', [0], 'addr')],
  ['github.com/golang-jwt/jwt/v5#SignedString', at('credential', [0], 'key')],
  ['github.com/golang-jwt/jwt/v4#SignedString', at('credential', [0], 'key')],
  ['net/http#SetBasicAuth', at('credential', [0, 1], 'basic auth')],
]);

const LOGGER_PACKAGES = ['go.uber.org/zap', 'github.com/sirupsen/logrus', 'log/slog', 'log'];
const LOGGER_METHODS = new Set(['Info', 'Infof', 'Infow', 'Debug', 'Debugf', 'Debugw', 'Warn', 'Warnf', 'Warnw', 'Error', 'Errorf', 'Errorw', 'Fatal', 'Fatalf', 'Printf', 'Println', 'Print']);

/** A sink found for an argument: its kind, the API as shown, the part the value plays. */
export interface SinkHit {
  kind: SinkKind;
  api: string;
  part?: string;
  passes?: boolean;
}

/** Short display name of a package path: its import name (last element, major version dropped). */
export function shortPkg(path: string): string {
  const parts = path.split('/');
  const last = parts[parts.length - 1];
  return /^v\d+$/.test(last) && parts.length > 1 ? parts[parts.length - 2] : last;
}

function hit(spec: SinkSpec | undefined, arg: number, api: string): SinkHit | null {
  if (!spec || (spec.args && spec.args.length && !spec.args.includes(arg))) return null;
  return { kind: spec.kind, api, part: spec.part === 'cert' ? (arg === 1 ? 'key file' : 'cert file') : spec.part, passes: spec.passes };
}

/** A package function given the value in argument `arg`; `passes` alone for string building. */
export function packageCall(path: string, name: string, arg: number): SinkHit | 'passes' | null {
  if (PASSING.has(`${path}.${name}`)) return 'passes';
  return hit(FUNCS.get(`${path}.${name}`), arg, `${shortPkg(path)}.${name}`);
}

/** A method call `x.Name(…)` in a file importing `imports`, the value in argument `arg`. */
export function methodCall(name: string, arg: number, imports: ReadonlySet<string>, firstArgText: string | null): SinkHit | null {
  if ((name === 'Set' || name === 'Add') && arg === 1 && firstArgText === 'Authorization') return { kind: 'credential', api: `Header.${name}("Authorization")`, part: 'auth header' };
  if (name === 'Write' && imports.has('net/http')) return { kind: 'output', api: 'http.ResponseWriter.Write' };
  for (const path of imports) {
    const h = hit(METHODS.get(`${path}#${name}`), arg, `${shortPkg(path)}.${name}`);
    if (h) return h;
  }
  if (LOGGER_METHODS.has(name) && LOGGER_PACKAGES.some((p) => imports.has(p))) {
    const lib = LOGGER_PACKAGES.find((p) => imports.has(p)) ?? 'log';
    return { kind: 'output', api: `${shortPkg(lib)}.Logger.${name}` };
  }
  return null;
}

/** A keyed field of a struct literal of type `<path>.<Type>`. */
export function literalField(path: string, type: string, field: string): SinkHit | null {
  return hit(FIELDS.get(`${path}.${type}.${field}`), 0, `${shortPkg(path)}.${type}.${field}`);
}

/** An assignment `x.Debug = v` in a file importing echo: the echo debug mode. */
export function assignedField(field: string, imports: ReadonlySet<string>): SinkHit | null {
  if (field === 'Debug' && imports.has('github.com/labstack/echo/v4')) return { kind: 'mode', api: 'echo.Echo.Debug' };
  return null;
}

/** A comparison with a string literal: a feature flag for boolean words, else a mode. */
export function comparison(literal: string, op: string): SinkHit {
  const boolish = /^(true|false|1|0|yes|no|on|off|enabled|disabled)$/i.test(literal);
  return { kind: boolish ? 'flag' : 'mode', api: `${op} ${JSON.stringify(literal)}` };
}
