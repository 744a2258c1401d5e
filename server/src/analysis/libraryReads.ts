/**
 * Reads a library made of a key, for the struct-field and bind sites that declare the key for
 * that library (issue 6): its getenv calls of the key, and — when it took the whole
 * environment through `os.Environ`, as caarlos0/env does — the key's value in the calling
 * process's starting environment.
 */
import { IdList } from './idList';
import type { Entry } from './observations';
import type { MergeContext } from './workspaceFrames';

/**
 * The library reads of `key` made by the library a site's api names: the api's first word
 * (`env tag` → env, `viper.BindEnv` → viper, `envconfig` → envconfig) must be an element of
 * the library frames' package path (github.com/caarlos0/env/v11 → caarlos0, env).
 */
export function libraryReads(ctx: MergeContext, key: string, api: string): Entry[] {
  const token = api.toLowerCase().split(/[\s.:/()*]+/)[0];
  const out: Entry[] = [];
  for (const e of ctx.libraryByKey.get(key.toUpperCase()) ?? []) {
    if (e.op === 'getenv' && ctx.views[e.stack].libraryNames.has(token)) out.push(e);
  }
  for (const e of ctx.libraryEnviron) {
    if (ctx.views[e.stack].libraryNames.has(token)) out.push(...environReads(ctx, e, key));
  }
  return out;
}

/**
 * The reads a library made of `key` through one `os.Environ` call: the key's value in each
 * calling process's starting environment (left out when the process wrote the key itself,
 * since the starting value then no longer tells). Cached per call entry and key.
 */
function environReads(ctx: MergeContext, e: Entry, key: string): Entry[] {
  const k = key.toUpperCase();
  let byKey = ctx.derived.get(e);
  if (!byKey) ctx.derived.set(e, (byKey = new Map()));
  let list = byKey.get(k);
  if (list) return list;
  list = [];
  for (const proc of e.processes) {
    const p = ctx.obs.processes[proc];
    if (!p || !p.env.length || ctx.wrote(proc, k)) continue;
    const found = p.env.find((x) => (e.windows ? x.k.toUpperCase() === k : x.k === key));
    const single = e.processes.size === 1;
    const d: Entry = {
      run: e.run,
      stack: e.stack,
      op: 'getenv',
      api: e.api,
      key: found?.k ?? key,
      found: found !== undefined,
      redacted: found !== undefined && found.v === undefined,
      windows: e.windows,
      count: single ? e.count : 1,
      processes: IdList.of([proc]),
      goroutines: IdList.of([...e.goroutines].filter((g) => single || (g & 1023) === (proc & 1023))),
      tests: e.tests,
      lastProc: proc,
      lastG: -1,
    };
    if (found?.v !== undefined) {
      d.value = found.v;
      d.length = Buffer.byteLength(found.v);
    } else if (found) {
      d.hash = found.h;
      d.length = found.n ?? 0;
    }
    list.push(d);
  }
  byKey.set(k, list);
  return list;
}

