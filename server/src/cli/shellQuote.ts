/** Quoting for POSIX shells, so printed commands and exports can be pasted back into one. */

/** A value quoted for POSIX shells: as is when it holds only safe characters, else in single quotes. */
export function shQuote(v: string): string {
  return /^[\w@%+=:,./-]+$/.test(v) ? v : `'${v.replace(/'/g, `'\\''`)}'`;
}

/** A command line (argv) as a POSIX shell would need it typed. */
export function shellCommand(argv: readonly string[]): string {
  return argv.map(shQuote).join(' ');
}
