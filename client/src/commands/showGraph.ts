/**
 * "envtrace: Show Dependency Graph": keys → functions → sinks of the whole workspace or of one
 * package — given as an argument (the package clause lens: `{ folderUri, dir }`), else picked
 * (Enter: the whole workspace).
 */
import * as vscode from 'vscode';
import type { EnvtraceContext } from '../context';
import type { GraphResult } from '../../../server/src/protocol';
import { showGraphPanel, type GraphScope } from '../webviews/graphPanel';

/** Creates the Show Dependency Graph handler; resolves to the panel (undefined when the picker is dismissed). */
export function showGraphCommand(ctx: EnvtraceContext) {
  return async (arg?: GraphScope): Promise<vscode.WebviewPanel | undefined> => {
    if (arg && typeof arg.folderUri === 'string' && typeof arg.dir === 'string') return showGraphPanel(ctx, arg);
    const graph = await ctx.server.request<GraphResult>('envtrace/graph', {});
    const packages = graph?.packages ?? [];
    if (packages.length < 2) return showGraphPanel(ctx, undefined);
    type Item = vscode.QuickPickItem & { scope: GraphScope };
    const items: Item[] = [
      { label: 'Whole workspace', description: `${packages.length} packages`, scope: undefined },
      ...packages.map((p): Item => ({ label: p.label, description: 'package', scope: { folderUri: p.folderUri, dir: p.dir } })),
    ];
    const pick = await vscode.window.showQuickPick(items, { title: 'Dependency graph of…', placeHolder: 'The whole workspace or one package' });
    return pick && showGraphPanel(ctx, pick.scope);
  };
}
