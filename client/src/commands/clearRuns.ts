/** "envtrace: Clear Runs": deletes every stored run of the workspace after a confirmation. */
import * as fs from 'node:fs/promises';
import * as vscode from 'vscode';
import type { EnvtraceContext } from '../context';

/** Creates the handler; `{ confirmed: true }` skips the question. Resolves to the number of runs deleted. */
export function clearRunsCommand(ctx: EnvtraceContext) {
  return async (opts?: { confirmed?: boolean }): Promise<number> => {
    const runs = await ctx.allRuns();
    if (runs.length === 0) {
      void vscode.window.showInformationMessage('envtrace: no stored runs.');
      return 0;
    }
    if (!opts?.confirmed) {
      const yes = await vscode.window.showWarningMessage(`Delete ${runs.length} stored or imported envtrace run(s)?`, { modal: true }, 'Delete');
      if (yes !== 'Delete') return 0;
    }
    let deleted = 0;
    for (const run of runs) {
      try {
        await fs.rm(run.dir, { recursive: true, force: true });
        deleted++;
      } catch (e) {
        ctx.log.error(`cannot delete ${run.dir}: ${String(e)}`);
      }
    }
    await ctx.select(undefined);
    ctx.refresh(true);
    return deleted;
  };
}
