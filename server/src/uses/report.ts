/** The uses report from the flows of a set of sites: per-site uses, and each key's role and risk (risk.ts). */
import type { Site } from '../scan/types';
import type { UsesStats } from './analyze';
import { keyRisk } from './risk';
import type { KeyRisk, SiteFlow, Use } from './types';

/** The uses of a set of sites and the role and risk of their keys. */
export interface UsesReport {
  siteUses: (Use[] | null)[];
  keys: Record<string, KeyRisk>;
  stats: UsesStats & { ms: number };
}

/** The report of `sites` given their flows (index for index; null for sites other than reads). */
export function assembleReport(sites: Site[], flows: (SiteFlow | null)[], stats: UsesStats & { ms: number }): UsesReport {
  const byKey = new Map<string, { site: Site; flow: SiteFlow }[]>();
  sites.forEach((site, i) => {
    const flow = flows[i];
    if (!flow || site.key === null) return;
    const list = byKey.get(site.key) ?? [];
    list.push({ site, flow });
    byKey.set(site.key, list);
  });
  const keys: Record<string, KeyRisk> = {};
  for (const key of [...byKey.keys()].sort()) keys[key] = keyRisk(key, byKey.get(key)!);
  return { siteUses: flows.map((f) => f?.uses ?? null), keys, stats };
}
