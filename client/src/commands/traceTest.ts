/** "trace" lenses: run one test, or a package's tests, under envtrace. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { EnvtraceContext } from '../context';
import { runPattern } from '../goTests';
import { TASK_TYPE } from '../tasks';
import { moduleRoot, packageArg, traceDefinition, type RunResult } from './run';

/** Creates the handler of `envtrace.traceTest` (uri, test name) and `envtrace.tracePackageTests` (uri). */
export function traceTestCommand(ctx: EnvtraceContext) {
  return async (uri?: vscode.Uri, testName?: string): Promise<RunResult> => {
    const target = uri ?? vscode.window.activeTextEditor?.document.uri;
    const folder = target && vscode.workspace.getWorkspaceFolder(target);
    if (!target || !folder) {
      void vscode.window.showWarningMessage('envtrace: open a Go test file of the workspace to trace its tests.');
      return false;
    }
    const pkgDir = path.dirname(target.fsPath);
    const mod = moduleRoot(pkgDir, folder.uri.fsPath) ?? folder.uri.fsPath;
    const pkg = packageArg(mod, pkgDir);
    const flags = ctx.config(folder.uri)['test.flags'];
    const command = ['go', 'test', ...flags, ...(testName ? ['-run', runPattern(testName)] : []), pkg];
    const label = testName ? `${testName} (${pkg})` : `tests of ${pkg}`;
    return traceDefinition(ctx, { type: TASK_TYPE, command, cwd: path.relative(folder.uri.fsPath, mod) || undefined, label }, folder, `trace ${label}`);
  };
}
