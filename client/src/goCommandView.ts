/**
 * The Environment view's "Go command" group as plain text (no `vscode` import; unit tests load
 * it): per traced go command its label and badges, per setting its value and source.
 */
import type { GoConfigEntry } from '../../server/src/runs/goConfig';
import { shownConfig } from '../../server/src/runs/goCommandText';
import type { ReportProcess } from './report';
import { showValue } from './report';

/** A go command of a shown run. */
export type GoCommandProcess = ReportProcess & { goCommand: NonNullable<ReportProcess['goCommand']> };

/** The go commands of a report, in start order. */
export function goCommandsOf(processes: readonly ReportProcess[]): GoCommandProcess[] {
  return processes.filter((p): p is GoCommandProcess => p.kind === 'go-command' && !!p.goCommand);
}

/** `go build ./...` */
export function goCommandLabel(p: GoCommandProcess): string {
  return ['go', p.goCommand.subcommand, ...p.goCommand.args].filter(Boolean).join(' ');
}

/** `pid 812 · go1.26.8 · ⚠ 2 warnings` */
export function goCommandDescription(p: GoCommandProcess): string {
  const n = p.goCommand.warnings.length;
  return [`pid ${p.pid}`, p.goCommand.goVersion ?? '', n ? `⚠ ${n} warning${n === 1 ? '' : 's'}` : ''].filter(Boolean).join(' · ');
}

/** The settings worth a line (not from the defaults, or asked about: GO111MODULE, GOFLAGS, GOTOOLCHAIN). */
export function goSettings(p: GoCommandProcess): GoConfigEntry[] {
  return shownConfig(p.goCommand);
}

/** `"off" · go env file /home/u/.config/go/env` */
export function goSettingDescription(c: GoConfigEntry): string {
  const value = showValue(c.redacted ? { length: c.length, count: 1 } : { value: c.value ?? '', count: 1 });
  const from = c.file ? `${c.source} ${c.file}` : c.setBy ? `${c.source}, set by ${c.setBy}` : c.source;
  return `${value} · ${from}`;
}
