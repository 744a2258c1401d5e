/** Walks a subcommand's arguments: `--name=value` and `--name value` alike, `--` ends the flags. */
import { CliError } from './io';

export class ArgCursor {
  private i = -1;
  private eq = -1;
  private current = '';

  constructor(private readonly args: readonly string[]) {}

  /** The next argument, or undefined after the last. */
  next(): string | undefined {
    if (++this.i >= this.args.length) return undefined;
    this.current = this.args[this.i];
    this.eq = this.current.startsWith('--') ? this.current.indexOf('=') : -1;
    return this.current;
  }

  /** The current argument's flag name (`--format=json` → `--format`). */
  get name(): string {
    return this.eq > 0 ? this.current.slice(0, this.eq) : this.current;
  }

  /** The current flag's value: after `=`, else the next argument (a usage error when there is none). */
  value(): string {
    if (this.eq > 0) return this.current.slice(this.eq + 1);
    if (this.i + 1 >= this.args.length) throw new CliError(`${this.name} needs a value`);
    return this.args[++this.i];
  }

  /** The arguments after the current one, consumed (what follows `--`). */
  rest(): string[] {
    const r = this.args.slice(this.i + 1);
    this.i = this.args.length;
    return r;
  }
}
