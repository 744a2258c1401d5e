/**
 * The "Environment" tree: keys → sites (with observed values and badges); the shown runs' go
 * commands → their warnings and settings (value and source); runs → processes → keys read.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { runCli } from '../cli';
import { commandIds } from '../commandIds';
import type { EnvtraceContext } from '../context';
import { type Inventory, type KeyRisk, type KeySite, toInventory } from '../inventory';
import { patternMatches } from '../../../server/src/analysis/patterns';
import { keysByProcess, processRead, showValue, type JsonReport, type ReportProcess, type ReportVar } from '../report';
import type { RunInfo } from '../runStore';
import { type GoCommandProcess, goCommandDescription, goCommandLabel, goCommandsOf, goSettingDescription, goSettings } from '../goCommandView';
import type { GoConfigEntry } from '../../../server/src/runs/goConfig';
import { fleetGroups, osPid, serviceName, type PlaceGroup, type ServiceGroup } from '../../../server/src/runs/fleetGroups';

type Node =
  | { kind: 'group'; id: 'keys' | 'runs' | 'go' }
  | { kind: 'key'; key: string; sites: KeySite[]; observed?: ReportVar; matched?: ReportVar[]; folder: string; risk?: KeyRisk }
  | { kind: 'site'; site: KeySite; observed?: ReportVar; folder: string }
  | { kind: 'run'; run: RunInfo }
  | { kind: 'service'; run: RunInfo; group: ServiceGroup<ReportProcess>; places: 'pod' | 'host'; keys: Map<number, string[]> }
  | { kind: 'place'; run: RunInfo; group: PlaceGroup<ReportProcess>; keys: Map<number, string[]> }
  | { kind: 'process'; run: RunInfo; process: ReportProcess; keys: string[] }
  | { kind: 'processKey'; key: string; read?: { text: string; file?: string; line?: number } }
  | { kind: 'matched'; key: string; observed: ReportVar }
  | { kind: 'goCommand'; run: RunInfo; process: GoCommandProcess }
  | { kind: 'goSetting'; entry: GoConfigEntry }
  | { kind: 'goWarning'; text: string }
  | { kind: 'message'; text: string };

/** One item of the view as the user sees it. */
export interface ViewItem {
  label: string;
  description: string;
  tooltip: string;
  /** The command run on click, if any. */
  command: string | undefined;
}

function labelOf(item: vscode.TreeItem): string {
  return typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
}

/** Tree data for the `envtrace.environment` view. */
export class EnvironmentTree implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subs: vscode.Disposable[];
  private inventory: Promise<{ folder: string; inventory: Inventory }[]> | undefined;

  constructor(private readonly ctx: EnvtraceContext) {
    this.subs = [ctx.onRunsChanged(() => this.refresh(false))];
  }

  /** Reloads the tree; `rescan` also reloads the keys from the server or scanner. */
  refresh(rescan = true): void {
    if (rescan) this.inventory = undefined;
    this.changed.fire(undefined);
  }

  getTreeItem(n: Node): vscode.TreeItem {
    switch (n.kind) {
      case 'group': {
        const item = new vscode.TreeItem(n.id === 'keys' ? 'Keys' : n.id === 'runs' ? 'Runs' : 'Go command', vscode.TreeItemCollapsibleState.Expanded);
        item.id = `group:${n.id}`;
        return item;
      }
      case 'key': {
        const item = new vscode.TreeItem(n.key, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `key:${n.folder}:${n.key}`;
        const badges = [`${n.sites.length} site${n.sites.length === 1 ? '' : 's'}`];
        // A pattern's badges come from the keys it matched.
        const seen = n.observed ? [n.observed] : (n.matched ?? []);
        if (n.matched?.length) badges.push(`${n.matched.length} key${n.matched.length === 1 ? '' : 's'} matched`);
        else if (n.observed?.values[0]) badges.push(`= ${showValue(n.observed.values[0], 24)}`);
        const unset = seen.some((v) => v.unsetReads > 0);
        const race = seen.find((v) => v.race)?.race;
        if (unset) badges.push('unset');
        if (race) badges.push(`⚠ ${race.level} race`);
        // Issue 15: role and risk from where the value goes; unknown keys get no badge.
        const risk = n.risk && n.risk.risk !== 'unknown' ? n.risk : undefined;
        if (risk) badges.push(`${risk.role} · ${risk.risk} risk`);
        item.description = badges.join(' · ');
        if (risk) item.tooltip = `${n.key}: ${risk.role}, ${risk.risk} risk\n${risk.reasons.join('\n')}`;
        const loud = risk?.risk === 'critical' || risk?.risk === 'high';
        item.iconPath = race ? new vscode.ThemeIcon('warning') : unset ? new vscode.ThemeIcon('circle-slash') : loud ? new vscode.ThemeIcon('shield', new vscode.ThemeColor(risk?.risk === 'critical' ? 'errorForeground' : 'editorWarning.foreground')) : new vscode.ThemeIcon('symbol-key');
        item.contextValue = 'envtraceKey';
        return item;
      }
      case 'site': {
        const rel = path.relative(n.folder, n.site.absFile);
        const item = new vscode.TreeItem(`${rel}:${n.site.line}`, vscode.TreeItemCollapsibleState.None);
        const rw = n.site.kind === 'read' ? 'read' : n.site.kind;
        const def = n.site.default !== null && n.site.default !== undefined ? ` · default ${JSON.stringify(n.site.default)}` : '';
        const seen = n.observed?.sites.find((s) => s.file === n.site.absFile && s.line === n.site.line);
        item.description = `${rw} · ${n.site.api}${def}${seen ? ` · ×${seen.count}` : ''}`;
        item.iconPath = new vscode.ThemeIcon(n.site.kind === 'read' ? 'arrow-right' : 'edit');
        item.command = { command: commandIds.openSite, title: 'Open', arguments: [vscode.Uri.file(n.site.absFile), n.site.line, n.site.column] };
        return item;
      }
      case 'run': {
        const item = new vscode.TreeItem(n.run.label || n.run.id, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `run:${n.run.dir}`;
        item.description = `${n.run.start ? new Date(n.run.start).toLocaleString() : ''} · ${n.run.interrupted ? 'interrupted' : `exit ${n.run.exitCode ?? '?'}`}`;
        item.iconPath = new vscode.ThemeIcon(n.run.exitCode === 0 ? 'pass' : 'history');
        item.contextValue = 'envtraceRun';
        return item;
      }
      case 'service': {
        // A fleet run (issue 13): its processes by service, then by pod.
        const item = new vscode.TreeItem(serviceName(n.group.service), vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `service:${n.run.dir}:${n.group.service}`;
        item.description = `${n.group.processes} process${n.group.processes === 1 ? '' : 'es'} on ${n.group.places.length} ${n.places}${n.group.places.length === 1 ? '' : 's'}`;
        item.iconPath = new vscode.ThemeIcon('layers');
        return item;
      }
      case 'place': {
        const item = new vscode.TreeItem(n.group.place, vscode.TreeItemCollapsibleState.Collapsed);
        const procs = n.group.processes.length;
        item.description = [`${procs} process${procs === 1 ? '' : 'es'}`, n.group.host ? `on ${n.group.host}` : ''].filter(Boolean).join(' · ');
        const w = n.group.processes[0]?.where;
        item.tooltip = [w?.pod && `pod ${w.pod}`, w?.namespace && `namespace ${w.namespace}`, w?.host && `host ${w.host}`, w?.container && `container ${w.container.slice(0, 12)}`].filter(Boolean).join('\n');
        item.iconPath = new vscode.ThemeIcon('vm');
        return item;
      }
      case 'process': {
        const item = new vscode.TreeItem(path.basename(n.process.argv[0] ?? `pid ${n.process.pid}`), vscode.TreeItemCollapsibleState.Collapsed);
        item.description = `pid ${osPid(n.process.pid)} · ${n.keys.length} keys`;
        item.tooltip = n.process.argv.join(' ');
        item.iconPath = new vscode.ThemeIcon('server-process');
        return item;
      }
      case 'processKey': {
        const item = new vscode.TreeItem(n.key, vscode.TreeItemCollapsibleState.None);
        item.description = n.read?.text ?? '';
        if (n.read?.file && n.read.line) item.command = { command: commandIds.openSite, title: 'Open', arguments: [vscode.Uri.file(n.read.file), n.read.line] };
        return item;
      }
      case 'matched': {
        const item = new vscode.TreeItem(n.key, vscode.TreeItemCollapsibleState.None);
        const v = n.observed;
        item.description = [v.values[0] ? `= ${showValue(v.values[0], 24)}` : '', v.unsetReads > 0 ? 'unset' : ''].filter(Boolean).join(' · ');
        item.iconPath = new vscode.ThemeIcon(v.unsetReads > 0 ? 'circle-slash' : 'symbol-key');
        const at = v.sites[0];
        if (at) item.command = { command: commandIds.openSite, title: 'Open', arguments: [vscode.Uri.file(at.file), at.line] };
        return item;
      }
      case 'goCommand': {
        const item = new vscode.TreeItem(goCommandLabel(n.process), vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `go:${n.run.dir}:${n.process.pid}`;
        item.description = goCommandDescription(n.process);
        item.tooltip = [n.process.argv.join(' '), ...n.process.goCommand.warnings.map((w) => `⚠ ${w}`)].join('\n');
        item.iconPath = new vscode.ThemeIcon(n.process.goCommand.warnings.length ? 'warning' : 'terminal');
        return item;
      }
      case 'goSetting': {
        const item = new vscode.TreeItem(n.entry.key, vscode.TreeItemCollapsibleState.None);
        item.description = goSettingDescription(n.entry);
        item.iconPath = new vscode.ThemeIcon('settings');
        if (n.entry.setAt) item.command = { command: commandIds.openSite, title: 'Open', arguments: [vscode.Uri.file(n.entry.setAt.file), n.entry.setAt.line] };
        return item;
      }
      case 'goWarning': {
        const item = new vscode.TreeItem(n.text, vscode.TreeItemCollapsibleState.None);
        item.tooltip = n.text;
        item.iconPath = new vscode.ThemeIcon('warning');
        return item;
      }
      case 'message':
        return new vscode.TreeItem(n.text, vscode.TreeItemCollapsibleState.None);
    }
  }

  /**
   * The items shown under the node reached by following `labels` from the root (for the
   * extension's API and the tests): label, description, tooltip and whether clicking does something.
   */
  async itemsAt(labels: string[]): Promise<ViewItem[]> {
    let children = await this.getChildren();
    for (const l of labels) {
      const next = children.find((c) => labelOf(this.getTreeItem(c)) === l);
      if (!next) return [];
      children = await this.getChildren(next);
    }
    return children.map((c) => {
      const item = this.getTreeItem(c);
      return { label: labelOf(item), description: typeof item.description === 'string' ? item.description : '', tooltip: typeof item.tooltip === 'string' ? item.tooltip : (item.tooltip?.value ?? ''), command: item.command?.command };
    });
  }

  async getChildren(n?: Node): Promise<Node[]> {
    if (!n) {
      const go = await this.goCommandNodes();
      return [{ kind: 'group', id: 'keys' }, ...(go.length ? [{ kind: 'group', id: 'go' } as Node] : []), { kind: 'group', id: 'runs' }];
    }
    if (n.kind === 'group' && n.id === 'keys') return this.keyNodes();
    if (n.kind === 'group' && n.id === 'go') return this.goCommandNodes();
    if (n.kind === 'goCommand') {
      const warnings: Node[] = n.process.goCommand.warnings.map((text) => ({ kind: 'goWarning', text }));
      return [...warnings, ...goSettings(n.process).map((entry): Node => ({ kind: 'goSetting', entry }))];
    }
    if (n.kind === 'group' && n.id === 'runs') {
      const runs = await this.ctx.allRuns();
      return runs.length ? runs.map((run) => ({ kind: 'run', run })) : [{ kind: 'message', text: 'No runs yet: "envtrace: Run with envtrace"' }];
    }
    if (n.kind === 'key') {
      const sites: Node[] = n.sites.map((site) => ({ kind: 'site', site, observed: n.observed, folder: n.folder }));
      return [...sites, ...(n.matched ?? []).map((observed): Node => ({ kind: 'matched', key: observed.key, observed }))];
    }
    if (n.kind === 'run') {
      const report = await this.ctx.reports.report(n.run);
      if (typeof report === 'string') return [{ kind: 'message', text: report }];
      const keys = keysByProcess(report);
      // The programs; the go commands that built them are not programs (their configuration is in the "Go command" group).
      const programs = report.processes.filter((p) => p.kind !== 'go-command');
      const fleet = fleetGroups(programs);
      if (fleet) return fleet.services.map((group) => ({ kind: 'service', run: n.run, group, places: fleet.kind, keys }));
      return programs.map((p) => ({ kind: 'process', run: n.run, process: p, keys: keys.get(p.pid) ?? [] }));
    }
    if (n.kind === 'service') return n.group.places.map((group) => ({ kind: 'place', run: n.run, group, keys: n.keys }));
    if (n.kind === 'place') return n.group.processes.map((p) => ({ kind: 'process', run: n.run, process: p, keys: n.keys.get(p.pid) ?? [] }));
    if (n.kind === 'process') {
      const report = await this.ctx.reports.report(n.run);
      return n.keys.map((key) => ({ kind: 'processKey', key, read: typeof report === 'object' ? processRead(report, n.process.pid, key) : undefined }));
    }
    return [];
  }

  private async keyNodes(): Promise<Node[]> {
    this.inventory ??= this.loadInventory();
    const [inventories, observed] = await Promise.all([this.inventory, this.observedVars()]);
    const nodes: Node[] = [];
    for (const { folder, inventory } of inventories) {
      const own = new Set(inventory.map((k) => k.key));
      for (const k of inventory) {
        const pattern = k.sites.find((x) => x.pattern)?.pattern;
        const matched = pattern ? [...observed.values()].filter((v) => !own.has(v.key) && patternMatches(pattern, v.key)) : undefined;
        nodes.push({ kind: 'key', key: k.key, sites: k.sites, observed: observed.get(k.key), matched, folder, risk: k.risk });
      }
    }
    return nodes.length ? nodes : [{ kind: 'message', text: 'No environment access found' }];
  }

  /** The go commands of the shown runs (the group is left out when there are none). */
  private async goCommandNodes(): Promise<Node[]> {
    const nodes: Node[] = [];
    for (const run of await this.ctx.shownRuns()) {
      const r: JsonReport | string = await this.ctx.reports.report(run);
      if (typeof r === 'object') for (const process of goCommandsOf(r.processes ?? [])) nodes.push({ kind: 'goCommand', run, process });
    }
    return nodes;
  }

  private async observedVars(): Promise<Map<string, ReportVar>> {
    const m = new Map<string, ReportVar>();
    for (const run of await this.ctx.shownRuns()) {
      const r: JsonReport | string = await this.ctx.reports.report(run);
      if (typeof r === 'object') for (const v of r.vars ?? []) if (!m.has(v.key)) m.set(v.key, v);
    }
    return m;
  }

  private async loadInventory(): Promise<{ folder: string; inventory: Inventory }[]> {
    const out = [];
    for (const f of vscode.workspace.workspaceFolders ?? []) {
      const root = f.uri.fsPath;
      let data: unknown = await this.ctx.server.request('envtrace/inventory', { folderUri: f.uri.toString() });
      if (data === undefined || data === null) {
        const r = await runCli(this.ctx.extension.extensionPath, ['scan', '--json', root], root);
        try {
          data = JSON.parse(r.stdout);
        } catch {
          this.ctx.log.warn(`envtrace scan failed in ${root}: ${r.stderr.trim()}`);
          data = [];
        }
      }
      out.push({ folder: root, inventory: toInventory(data, root) });
    }
    return out;
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
    this.changed.dispose();
  }
}
