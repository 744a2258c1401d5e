/**
 * The JSON text of a report event, written by hand: the same text as
 * `JSON.stringify(reportEvent(e))` (same fields, order and number forms), several times
 * faster for the million events of a big report, since the strings of an event (api, key,
 * value, file, function, stack) repeat and their JSON forms are cached.
 */
import type { RunEvent } from './reader';

const MAX_CACHED = 50_000;

/** JSON texts of strings seen before (event strings are interned by the reader). */
export class JsonStrings {
  private readonly map = new Map<string, string>();

  /** `JSON.stringify(s)`, cached. */
  q(s: string): string {
    let j = this.map.get(s);
    if (j === undefined) {
      j = JSON.stringify(s);
      if (this.map.size < MAX_CACHED) this.map.set(s, j);
    }
    return j;
  }
}

function num(x: number | undefined): string {
  return x !== undefined && Number.isFinite(x) ? String(x) : 'null';
}

/** `JSON.stringify(reportEvent(e))` (load.ts), without building the object. */
export function reportEventJson(e: RunEvent, js: JsonStrings): string {
  let s = `{"seq":${num(e.seq)},"pid":${num(e.pid)},"goroutine":${num(e.goroutine)},"parentGoroutine":${num(e.parentGoroutine)},"time":${num(e.time)},"op":${js.q(e.op)},"api":${js.q(e.api)}`;
  if (e.key !== undefined) s += `,"key":${js.q(e.key)}`;
  s += e.found ? ',"found":true' : ',"found":false';
  if (e.value !== undefined && !e.redacted) s += `,"value":${js.q(e.value)}`;
  s += e.redacted ? ',"redacted":true' : ',"redacted":false';
  if (e.redacted) {
    if (e.hash !== undefined) s += `,"hash":${js.q(e.hash)}`;
    if (e.length !== undefined) s += `,"length":${num(e.length)}`;
  }
  if (e.error !== undefined) s += `,"error":${js.q(e.error)}`;
  const u = e.user;
  s += u ? `,"file":${js.q(u.file)},"line":${num(u.line)},"function":${js.q(u.function)}` : ',"file":null,"line":null,"function":null';
  s += e.stack === null ? ',"stack":null' : `,"stack":${js.q(e.stack)}`;
  if (e.test !== undefined) s += `,"test":${js.q(e.test)}`;
  if (e.path !== undefined) s += `,"path":${js.q(e.path)}`;
  if (e.argv !== undefined) s += `,"argv":${JSON.stringify(e.argv)}`;
  if (e.childPid !== undefined) s += `,"childPid":${num(e.childPid)}`;
  if (e.weight !== 1) s += `,"count":${num(e.weight)}`;
  return s + '}';
}
