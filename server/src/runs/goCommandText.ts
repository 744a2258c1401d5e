/**
 * The text trace's `[GOCMD]` block: one per go command, its command line and the settings
 * that did not come from the defaults, each with its source, then the trip-up warnings.
 */
import { homedir } from 'node:os';
import type { GoCommandConfig, GoConfigEntry } from './goConfig';
import { escapeControls, showValue } from './text';

/** Keys shown even when they are defaults (the ones people ask about). */
const ALWAYS = new Set(['GO111MODULE', 'GOFLAGS', 'GOTOOLCHAIN']);

function tilde(file: string): string {
  const home = homedir();
  return home && file.startsWith(home + '/') ? '~' + file.slice(home.length) : file;
}

function sourceText(c: GoConfigEntry): string {
  if (c.file) return `${c.source} ${escapeControls(tilde(c.file))}`;
  if (c.setBy) return `${c.source}, set by ${escapeControls(c.setBy)}`;
  return c.source;
}

function valueText(c: GoConfigEntry): string {
  if (c.redacted) return `redacted (${c.length ?? '?'} bytes, hash ${escapeControls(c.hash ?? '')})`;
  return showValue(c.value ?? '');
}

/** The entries worth a line: not from the defaults, or asked about and set. */
export function shownConfig(cfg: GoCommandConfig): GoConfigEntry[] {
  return cfg.config.filter((c) => c.source !== 'default' ? c.key !== 'GOFLAGS' || c.value !== '' || c.redacted : ALWAYS.has(c.key) && (c.value ?? '') !== '');
}

/** The block of one go command: `[GOCMD] go build ./... (pid 1234): GO111MODULE="off" (go env file ~/.config/go/env) · …`. */
export function goCommandText(pid: number, argv: readonly string[], cfg: GoCommandConfig): string[] {
  const cmd = escapeControls(['go', ...argv.slice(1)].join(' '));
  const shown = shownConfig(cfg).map((c) => `${c.key}=${valueText(c)} (${sourceText(c)})`);
  const lines = [`[GOCMD] ${cmd} (pid ${pid}): ${shown.length ? shown.join(' · ') : 'all defaults'}`];
  for (const w of cfg.warnings) lines.push(`⚠ [GOCMD] ${escapeControls(w)}`);
  return lines;
}
