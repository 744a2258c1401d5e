/**
 * The report's event lines written straight into UTF-8 bytes: the same bytes as the text of
 * eventJson.ts (`JSON.stringify(reportEvent(e))`) encoded, without building a string per
 * event, joining a megabyte of them and encoding it again. The JSON forms of the strings an
 * event carries (api, key, value, file, function, stack: interned by the reader, and they
 * repeat) are encoded once and copied; integers are written digit by digit.
 */
import type { RunEvent } from './reader';

const MAX_CACHED = 50_000;
/** A chunk is handed over once it holds this many bytes. */
export const EVENT_CHUNK = 1 << 20;

const ascii = (s: string) => Buffer.from(s, 'latin1');
const T = {
  seq: ascii('{"seq":'),
  pid: ascii(',"pid":'),
  goroutine: ascii(',"goroutine":'),
  parentGoroutine: ascii(',"parentGoroutine":'),
  time: ascii(',"time":'),
  op: ascii(',"op":'),
  api: ascii(',"api":'),
  key: ascii(',"key":'),
  foundTrue: ascii(',"found":true'),
  foundFalse: ascii(',"found":false'),
  value: ascii(',"value":'),
  redactedTrue: ascii(',"redacted":true'),
  redactedFalse: ascii(',"redacted":false'),
  hash: ascii(',"hash":'),
  length: ascii(',"length":'),
  error: ascii(',"error":'),
  file: ascii(',"file":'),
  line: ascii(',"line":'),
  function: ascii(',"function":'),
  noUser: ascii(',"file":null,"line":null,"function":null'),
  stack: ascii(',"stack":'),
  noStack: ascii(',"stack":null'),
  test: ascii(',"test":'),
  path: ascii(',"path":'),
  argv: ascii(',"argv":'),
  childPid: ascii(',"childPid":'),
  count: ascii(',"count":'),
  close: ascii('}'),
  null: ascii('null'),
};

/** Event JSON appended to a growing chunk of bytes; `take()` hands the chunk over. */
export class EventBytes {
  private buf = Buffer.allocUnsafe(EVENT_CHUNK + (64 << 10));
  private at = 0;
  private readonly strings = new Map<string, Buffer>();

  /** Bytes written since the last `take()`. */
  get size(): number {
    return this.at;
  }

  /** The bytes written so far (a fresh chunk is started). */
  take(): Buffer {
    const out = this.buf.subarray(0, this.at);
    this.buf = Buffer.allocUnsafe(EVENT_CHUNK + (64 << 10));
    this.at = 0;
    return out;
  }

  /** Appends `sep` (ASCII) and e's JSON: the bytes of `sep + reportEventJson(e)`. */
  event(e: RunEvent, sep: Buffer): void {
    this.put(sep);
    this.put(T.seq);
    this.num(e.seq);
    this.put(T.pid);
    this.num(e.pid);
    this.put(T.goroutine);
    this.num(e.goroutine);
    this.put(T.parentGoroutine);
    this.num(e.parentGoroutine);
    this.put(T.time);
    this.num(e.time);
    this.put(T.op);
    this.str(e.op);
    this.put(T.api);
    this.str(e.api);
    if (e.key !== undefined) {
      this.put(T.key);
      this.str(e.key);
    }
    this.put(e.found ? T.foundTrue : T.foundFalse);
    if (e.value !== undefined && !e.redacted) {
      this.put(T.value);
      this.str(e.value);
    }
    this.put(e.redacted ? T.redactedTrue : T.redactedFalse);
    if (e.redacted) {
      if (e.hash !== undefined) {
        this.put(T.hash);
        this.str(e.hash);
      }
      if (e.length !== undefined) {
        this.put(T.length);
        this.num(e.length);
      }
    }
    if (e.error !== undefined) {
      this.put(T.error);
      this.str(e.error);
    }
    const u = e.user;
    if (u) {
      this.put(T.file);
      this.str(u.file);
      this.put(T.line);
      this.num(u.line);
      this.put(T.function);
      this.str(u.function);
    } else this.put(T.noUser);
    if (e.stack === null) this.put(T.noStack);
    else {
      this.put(T.stack);
      this.str(e.stack);
    }
    if (e.test !== undefined) {
      this.put(T.test);
      this.str(e.test);
    }
    if (e.path !== undefined) {
      this.put(T.path);
      this.str(e.path);
    }
    if (e.argv !== undefined) {
      this.put(T.argv);
      this.put(Buffer.from(JSON.stringify(e.argv), 'utf8'));
    }
    if (e.childPid !== undefined) {
      this.put(T.childPid);
      this.num(e.childPid);
    }
    if (e.weight !== 1) {
      this.put(T.count);
      this.num(e.weight);
    }
    this.put(T.close);
  }

  private room(n: number): void {
    if (this.at + n <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.at + n));
    this.buf.copy(bigger, 0, 0, this.at);
    this.buf = bigger;
  }

  private put(b: Buffer): void {
    const n = b.length;
    this.room(n);
    const buf = this.buf;
    let at = this.at;
    // NOTE: a loop beats a copy only for the shortest pieces (measured: from ~10 bytes on, set wins).
    if (n <= 8) for (let i = 0; i < n; i++) buf[at++] = b[i];
    else {
      buf.set(b, at);
      at += n;
    }
    this.at = at;
  }

  /** `JSON.stringify(s)`'s bytes, cached. */
  private str(s: string): void {
    let b = this.strings.get(s);
    if (b === undefined) {
      b = Buffer.from(JSON.stringify(s), 'utf8');
      if (this.strings.size < MAX_CACHED) this.strings.set(s, b);
    }
    this.put(b);
  }

  /** A number as JSON.stringify writes it (null when not finite). */
  private num(x: number): void {
    if (x >= 0 && x <= 0x7fffffff && (x | 0) === x) {
      // seq, pid, goroutine ids, lines: small integers (the 32-bit arithmetic is fast)
      this.room(10);
      const buf = this.buf;
      let y = x | 0;
      let digits = 1;
      for (let z = y; z >= 10; z = (z / 10) | 0) digits++;
      let at = this.at + digits;
      this.at = at;
      do {
        const q = (y / 10) | 0;
        buf[--at] = 48 + y - q * 10;
        y = q;
      } while (y > 0);
      return;
    }
    if (!Number.isFinite(x)) return this.put(T.null);
    const text = String(x);
    this.room(text.length);
    this.at += this.buf.write(text, this.at, 'latin1');
  }
}
