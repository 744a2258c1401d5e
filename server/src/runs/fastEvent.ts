/**
 * A fast path for the one line shape that makes up nearly all of a process file: an event
 * record as the recorder writes it (`{"t":"E","seq":1,"g":1,...}`: flat, no whitespace,
 * integers, strings without escapes, booleans). Such a line is read from the file's bytes
 * (no decoding of the whole file, no JSON.parse) into an object of one fixed shape, and its
 * strings are interned, so that a million events cost neither a million parses nor a million
 * distinct key and value strings.
 *
 * Anything else (whitespace, escapes, fractions, arrays such as argv, unknown fields, a
 * truncated line) answers `undefined`: the caller then uses the tolerant `parseLine`, so what
 * is accepted or rejected stays exactly what JSON.parse and its validation decide.
 */
import type { EventRecord, Op } from './records';

/** At most this many distinct strings are interned per table; past it strings are copied. */
const MAX_INTERNED = 50_000;

/**
 * Strings of event fields, shared: a value seen again is the same string object (fast Map
 * keys, and no slice of a big read chunk is kept alive by what the visitors store).
 */
export class StringTable {
  private readonly map = new Map<string, string>();
  /** Recently seen strings by a hash of their bytes, with those bytes: a hit decodes nothing. */
  private readonly recent: (string | undefined)[] = new Array(RECENT).fill(undefined);
  private readonly recentBytes: (Buffer | undefined)[] = new Array(RECENT).fill(undefined);

  /** The shared string of the UTF-8 bytes `b[start, end)`, whose bytes hash to `hash`. */
  get(b: Buffer, start: number, end: number, hash: number): string {
    const slot = (hash ^ (hash >>> 16)) & (RECENT - 1);
    const rb = this.recentBytes[slot];
    if (rb !== undefined && rb.length === end - start && sameBytes(b, start, rb)) return this.recent[slot]!;
    const s = b.toString('utf8', start, end);
    let own = this.map.get(s);
    if (own === undefined) {
      own = s;
      if (this.map.size < MAX_INTERNED) this.map.set(own, own);
    }
    this.recent[slot] = own;
    this.recentBytes[slot] = Buffer.from(b.subarray(start, end));
    return own;
  }
}

function sameBytes(b: Buffer, at: number, text: Uint8Array): boolean {
  for (let k = 0; k < text.length; k++) if (b[at + k] !== text[k]) return false;
  return true;
}

const RECENT = 1 << 16;

const enum C {
  Quote = 34,
  Comma = 44,
  Minus = 45,
  Zero = 48,
  Nine = 57,
  Backslash = 92,
  Close = 125,
}

const PREFIX = '{"t":"E",';

/** The fields of the fast path; their text is `"name":`. */
const enum F {
  None, seq, g, pg, op, k, ok, v, h, n, err, t0, t1, s, api, wg, wf, cpid, d,
}

const FIELD_TEXT = ['', '"seq":', '"g":', '"pg":', '"op":', '"k":', '"ok":', '"v":', '"h":', '"n":', '"err":', '"t0":', '"t1":', '"s":', '"api":', '"wg":', '"wf":', '"cpid":', '"d":'];

/** Which known field's `"name":` starts at `i` (F.None for anything else). */
function fieldAt(b: Buffer, i: number, end: number): F {
  if (b[i] !== C.Quote) return F.None;
  let f: F;
  switch (b[i + 1]) {
    case 115 /* s */:
      f = b[i + 2] === C.Quote ? F.s : F.seq;
      break;
    case 103 /* g */:
      f = F.g;
      break;
    case 112 /* p */:
      f = F.pg;
      break;
    case 111 /* o */:
      f = b[i + 2] === 112 ? F.op : F.ok;
      break;
    case 107 /* k */:
      f = F.k;
      break;
    case 118 /* v */:
      f = F.v;
      break;
    case 104 /* h */:
      f = F.h;
      break;
    case 110 /* n */:
      f = F.n;
      break;
    case 101 /* e */:
      f = F.err;
      break;
    case 116 /* t */:
      f = b[i + 2] === 48 ? F.t0 : F.t1;
      break;
    case 97 /* a */:
      f = F.api;
      break;
    case 119 /* w */:
      f = b[i + 2] === 103 ? F.wg : F.wf;
      break;
    case 99 /* c */:
      f = F.cpid;
      break;
    case 100 /* d */:
      f = F.d;
      break;
    default:
      return F.None;
  }
  return matches(b, i, end, FIELD_TEXT[f]) ? f : F.None;
}

/** Whether the ASCII `text` occurs in `b[i, end)` at `i`. */
function matches(b: Buffer, i: number, end: number, text: string): boolean {
  if (i + text.length > end) return false;
  for (let k = 0; k < text.length; k++) if (b[i + k] !== text.charCodeAt(k)) return false;
  return true;
}

const OPS: Op[] = ['getenv', 'setenv', 'unsetenv', 'clearenv', 'environ', 'spawn', 'exec'];

/** The op whose name is exactly `b[from, to)`, or undefined. */
function opOf(b: Buffer, from: number, to: number): Op | undefined {
  for (const op of OPS) if (op.length === to - from && matches(b, from, to, op)) return op;
  return undefined;
}

/** A fresh event record with every field present (one hidden class for all of them). */
function blank(): EventRecord {
  return {
    t: 'E', seq: NaN, g: NaN, pg: undefined as unknown as number, op: undefined as unknown as Op, k: undefined, ok: undefined, v: undefined, h: undefined, n: undefined,
    err: undefined, t0: NaN, t1: undefined as unknown as number, d: undefined, s: undefined, api: undefined, wg: undefined, wf: undefined, path: undefined, argv: undefined, cpid: undefined,
  };
}

/**
 * Reads the event line at `start` in `b` (it ends at a newline or at `limit`) when it has the
 * recorder's plain shape, and sets `out.end` to the offset of its newline; `undefined` when
 * it is anything else (then `parseLine` decides). Never throws.
 */
export function fastEvent(b: Buffer, start: number, limit: number, strings: StringTable, out: { end: number }): EventRecord | undefined {
  const n = limit;
  if (n - start < 12 || !matches(b, start, n, PREFIX)) return undefined;
  const r = blank();
  let i = start + PREFIX.length;
  let seq = false;
  let g = false;
  let t0 = false;
  for (;;) {
    // "name":
    const name = fieldAt(b, i, n);
    if (name === F.None) return undefined;
    i += FIELD_TEXT[name].length;
    const c = b[i];
    let num = NaN;
    let str = false;
    let from = 0;
    let to = 0;
    let hash = 0;
    let bool: boolean | undefined;
    if (c === C.Quote) {
      let j = i + 1;
      for (; j < n; j++) {
        const d = b[j];
        if (d === C.Quote) break;
        if (d === C.Backslash || d < 32) return undefined;
        hash = (Math.imul(hash, 31) + d) | 0;
      }
      if (j >= n) return undefined;
      str = true;
      from = i + 1;
      to = j;
      i = j + 1;
    } else if ((c >= C.Zero && c <= C.Nine) || c === C.Minus) {
      let j = c === C.Minus ? i + 1 : i;
      const digits = j;
      let v = 0;
      for (; j < n; j++) {
        const d = b[j];
        if (d < C.Zero || d > C.Nine) break;
        v = v * 10 + (d - C.Zero);
      }
      const len = j - digits;
      // JSON forbids leading zeros; long numbers are rounded the way JSON.parse rounds them.
      if (len === 0 || (len > 1 && b[digits] === C.Zero)) return undefined;
      num = len > 15 ? Number(b.toString('latin1', i, j)) : c === C.Minus ? -v : v;
      i = j;
    } else if (matches(b, i, n, 'true')) {
      bool = true;
      i += 4;
    } else if (matches(b, i, n, 'false')) {
      bool = false;
      i += 5;
    } else return undefined; // null, arrays, objects: the slow path
    const isNum = !str && bool === undefined;
    switch (name) {
      case F.seq:
        if (!isNum) return undefined;
        r.seq = num;
        seq = true;
        break;
      case F.g:
        if (!isNum) return undefined;
        r.g = num;
        g = true;
        break;
      case F.pg:
        if (!isNum) return undefined;
        r.pg = num;
        break;
      case F.op: {
        const op = str ? opOf(b, from, to) : undefined;
        if (op === undefined) return undefined;
        r.op = op;
        break;
      }
      case F.k:
        if (!str) return undefined;
        r.k = strings.get(b, from, to, hash);
        break;
      case F.ok:
        if (bool === undefined) return undefined;
        r.ok = bool;
        break;
      case F.v:
        if (!str) return undefined;
        r.v = strings.get(b, from, to, hash);
        break;
      case F.h:
        if (!str) return undefined;
        r.h = strings.get(b, from, to, hash);
        break;
      case F.n:
        if (!isNum) return undefined;
        r.n = num;
        break;
      case F.err:
        if (!str) return undefined;
        r.err = strings.get(b, from, to, hash);
        break;
      case F.t0:
        if (!isNum) return undefined;
        r.t0 = num;
        t0 = true;
        break;
      case F.t1:
        if (!isNum) return undefined;
        r.t1 = num;
        break;
      case F.s:
        if (!isNum) return undefined;
        r.s = num;
        break;
      case F.api:
        if (!str) return undefined;
        r.api = strings.get(b, from, to, hash);
        break;
      case F.wg:
        if (!isNum) return undefined;
        r.wg = num;
        break;
      case F.wf:
        if (bool === undefined) return undefined;
        r.wf = bool;
        break;
      case F.cpid:
        if (!isNum) return undefined;
        r.cpid = num;
        break;
      case F.d:
        if (!isNum) return undefined;
        r.d = num;
        break;
      default:
        return undefined; // path (with argv), or a field this reader does not know
    }
    const sep = b[i];
    if (sep === C.Comma) i++;
    else if (sep === C.Close && (i + 1 === n || b[i + 1] === 10)) break;
    else return undefined;
  }
  out.end = i + 1;
  return seq && g && t0 && r.op !== undefined ? r : undefined;
}
