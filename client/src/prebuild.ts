/**
 * The background pre-build of a trusted Go workspace (`envtrace prebuild --if-needed`, setting
 * `envtrace.prebuild`): the first traced `go test` then finds the standard library compiled and
 * vetted with the recorder instead of spending most of its time on it. The CLI performs it (the
 * language server never starts processes); a cancellable notification shows while it works.
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { cliPath, nodeEnv, pathWithGo } from './cli';
import type { EnvtraceContext } from './context';

/** Starts the pre-build of the first workspace folder holding a go.mod, once per session. */
export async function startPrebuild(ctx: EnvtraceContext, context: vscode.ExtensionContext, log: vscode.LogOutputChannel): Promise<void> {
  if (!vscode.workspace.isTrusted) return;
  const [goMod] = await vscode.workspace.findFiles('go.mod', undefined, 1).then((r) => (r.length ? r : vscode.workspace.findFiles('**/go.mod', '**/{vendor,testdata,node_modules}/**', 1)));
  if (!goMod || goMod.scheme !== 'file') return;
  const config = ctx.config(goMod);
  if (!config.prebuild) return;
  const cwd = path.dirname(goMod.fsPath);
  const args = [cliPath(context.extensionPath), 'prebuild', '--if-needed', ...(config.goPath ? ['--go', config.goPath] : [])];
  const child = spawn(process.execPath, args, {
    cwd,
    env: { ...process.env, ...nodeEnv(), PATH: pathWithGo(config.goPath) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  // Closing the window stops a build still at work (the go command's cache keeps what is done).
  context.subscriptions.push({ dispose: () => void child.kill() });
  const stderr: string[] = [];
  const ended = new Promise<number | null>((resolve) => {
    child.on('error', (e) => {
      stderr.push(e.message);
      resolve(null);
    });
    child.on('close', (code) => resolve(code));
  });
  let shown = false;
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr.push(chunk);
    // Only a real build is announced; `--if-needed` with nothing to do ends silently.
    if (shown || !stderr.join('').includes('prebuilding')) return;
    shown = true;
    log.info(`pre-building for traced runs in ${cwd}`);
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'envtrace: compiling the standard library with the recorder (once per Go version), so that traced runs start fast', cancellable: true },
      async (_progress, token) => {
        token.onCancellationRequested(() => child.kill());
        await ended;
      },
    );
  });
  const code = await ended;
  if (code === 0) log.info(shown ? 'pre-build done' : 'pre-build: already done');
  else log.warn(`pre-build ended with ${code ?? 'an error'}: ${stderr.join('').trim().split('\n').slice(-3).join(' / ')}`);
}
