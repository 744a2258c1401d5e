/**
 * Hover sections for where a value goes (issue 15): "Used as: password → sqlx.Connect
 * (db.go:18)" per use with a link to it, then the key's role, risk and the rules that gave it.
 */
import type { KeyRisk, Use } from '../uses/index';
import { escapeMarkdown, lineLink, link } from './markdown';

/** How many uses a hover lists before summarising the rest. */
const MAX_USES = 12;

/** Markdown sections (escaped) for one site's uses and its key's risk; `uriOf` maps a root-relative file to its URI. */
export function usesSections(uses: readonly Use[], risk: KeyRisk | undefined, uriOf: (file: string) => string): string[] {
  const out: string[] = [];
  if (uses.length) {
    const items = uses.slice(0, MAX_USES).map((u) => {
      const what = `${u.part ? `${escapeMarkdown(dsnLabel(u))} → ` : ''}${escapeMarkdown(u.api)}`;
      const err = u.errorChecked === false ? ' — error not checked' : '';
      return `- ${what} (${link(`${u.file}:${u.line}`, lineLink(uriOf(u.file), u.line, u.column))})${err}`;
    });
    if (uses.length > MAX_USES) items.push(`- … and ${uses.length - MAX_USES} more`);
    out.push(`Used as:\n\n${items.join('\n')}`);
  }
  if (risk && risk.risk !== 'unknown') {
    const reasons = risk.reasons.map((r) => `- ${escapeMarkdown(r)}`).join('\n');
    out.push(`Role: ${escapeMarkdown(risk.role)} · Risk: **${escapeMarkdown(risk.risk.toUpperCase())}**\n\n${reasons}`);
  }
  return out;
}

/** `DSN password` for parts of a connection string, else the part as it is. */
function dsnLabel(u: Use): string {
  if (u.kind === 'database' && u.part && u.part !== 'dsn') return `DSN ${u.part}`;
  return u.part === 'dsn' ? 'DSN' : (u.part ?? '');
}
