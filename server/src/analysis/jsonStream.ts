/**
 * A streaming reader for one large top-level JSON object: the values of ordinary fields are
 * handed over whole, the elements of chosen array fields (a report's `events`) one by one,
 * so a report with a million events is never held in memory at once.
 */

/** Receives the fields of the top-level object as they complete. */
export interface JsonObjectHandler {
  /** A field whose whole value was read (already parsed). */
  field(key: string, value: unknown): void;
  /** One element (raw JSON text) of an array field listed in `streamed`. */
  element(key: string, raw: string): void;
}

type State = 'start' | 'key' | 'keyString' | 'colon' | 'value' | 'capture' | 'elements' | 'done';

/** Push text chunks; throws SyntaxError (with a short reason) on malformed structure. */
export class JsonObjectStream {
  private state: State = 'start';
  private key = '';
  private buf = '';
  private depth = 0;
  private inString = false;
  private escape = false;
  private scalar = false;
  private inElements = false;

  constructor(
    private readonly handler: JsonObjectHandler,
    private readonly streamed: ReadonlySet<string>,
  ) {}

  /** True once the closing brace of the object was read. */
  get complete(): boolean {
    return this.state === 'done';
  }

  /** Feeds the next chunk of text. */
  push(text: string): void {
    let i = 0;
    const n = text.length;
    while (i < n) {
      const c = text.charCodeAt(i);
      switch (this.state) {
        case 'start':
          if (isWs(c)) i++;
          else if (c === 0x7b /* { */) {
            this.state = 'key';
            i++;
          } else throw new SyntaxError('a report is a JSON object');
          break;
        case 'key':
          if (isWs(c) || c === 0x2c /* , */) i++;
          else if (c === 0x7d /* } */) {
            this.state = 'done';
            i++;
          } else if (c === 0x22 /* " */) {
            this.state = 'keyString';
            this.buf = '"';
            this.escape = false;
            i++;
          } else throw new SyntaxError('expected a field name');
          break;
        case 'keyString':
          i = this.scanString(text, i);
          if (!this.inStringOpen()) {
            this.key = JSON.parse(this.buf) as string;
            this.buf = '';
            this.state = 'colon';
          }
          break;
        case 'colon':
          if (isWs(c)) i++;
          else if (c === 0x3a /* : */) {
            this.state = 'value';
            i++;
          } else throw new SyntaxError('expected ":"');
          break;
        case 'value':
          if (isWs(c)) i++;
          else if (c === 0x5b /* [ */ && this.streamed.has(this.key)) {
            this.state = 'elements';
            this.inElements = true;
            i++;
          } else this.startCapture(c);
          break;
        case 'elements':
          if (isWs(c) || c === 0x2c) i++;
          else if (c === 0x5d /* ] */) {
            this.inElements = false;
            this.state = 'key';
            i++;
          } else this.startCapture(c);
          break;
        case 'capture':
          i = this.scanValue(text, i);
          break;
        case 'done':
          if (isWs(c)) i++;
          else throw new SyntaxError('text after the end of the report');
          break;
      }
    }
  }

  private inStringOpen(): boolean {
    return this.inString;
  }

  private startCapture(c: number): void {
    this.state = 'capture';
    this.buf = '';
    this.depth = 0;
    this.inString = false;
    this.escape = false;
    this.scalar = !(c === 0x7b || c === 0x5b || c === 0x22);
  }

  /** Scans a field name's string from `i`; on its end, `buf` holds it whole. */
  private scanString(text: string, i: number): number {
    this.inString = true;
    const from = i;
    for (; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (this.escape) this.escape = false;
      else if (c === 0x5c) this.escape = true;
      else if (c === 0x22) {
        this.inString = false;
        this.buf += text.slice(from, i + 1);
        return i + 1;
      }
    }
    this.buf += text.slice(from);
    return i;
  }

  /** Scans the value being captured from `i`; hands it over when it ends. */
  private scanValue(text: string, i: number): number {
    const from = i;
    const n = text.length;
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (this.inString) {
        if (this.escape) this.escape = false;
        else if (c === 0x5c) this.escape = true;
        else if (c === 0x22) {
          this.inString = false;
          if (this.depth === 0) return this.finishValue(text, from, i + 1);
        }
        continue;
      }
      if (this.scalar) {
        if (c === 0x2c || c === 0x7d || c === 0x5d || isWs(c)) return this.finishValue(text, from, i);
        continue;
      }
      if (c === 0x22) this.inString = true;
      else if (c === 0x7b || c === 0x5b) this.depth++;
      else if (c === 0x7d || c === 0x5d) {
        this.depth--;
        if (this.depth === 0) return this.finishValue(text, from, i + 1);
      }
    }
    this.buf += text.slice(from);
    return n;
  }

  private finishValue(text: string, from: number, end: number): number {
    const raw = this.buf + text.slice(from, end);
    this.buf = '';
    if (this.inElements) {
      this.state = 'elements';
      this.handler.element(this.key, raw);
    } else {
      this.state = 'key';
      this.handler.field(this.key, JSON.parse(raw));
    }
    return end;
  }
}

function isWs(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}
