/** Initial scans of workspace folders, reported to the client through `window/workDoneProgress`. */
import type { Connection, WorkDoneProgressReporter, WorkspaceFolder } from 'vscode-languageserver/node';
import type { Workspace } from './workspace';

/**
 * Adds `folders` to the workspace (at once, so later messages see them) and reports the scan
 * as one progress: begin, a report per tenth of the files, end. Resolves when all are indexed.
 */
export async function indexFolders(connection: Connection, workspace: Workspace, folders: WorkspaceFolder[]): Promise<void> {
  if (folders.length === 0) return;
  const started = Date.now();
  const counts = new Map<string, { done: number; total: number }>();
  let reporter: WorkDoneProgressReporter | undefined;
  let reported = -1;
  const report = () => {
    let done = 0;
    let total = 0;
    for (const c of counts.values()) ((done += c.done), (total += c.total));
    const pct = total > 0 ? Math.floor((done * 100) / total) : 0;
    if (reporter && (pct >= reported + 10 || (done === total && pct !== reported))) {
      reported = pct;
      reporter.report(pct, `${done}/${total} files`);
    }
  };
  const scans = folders.map((f) =>
    workspace.addFolder(f.uri, (done, total) => {
      counts.set(f.uri, { done, total });
      report();
    }),
  );
  // NOTE: a client that refuses the progress token still gets its folders indexed.
  reporter = await connection.window.createWorkDoneProgress().catch(() => connection.window.attachWorkDoneProgress(undefined));
  reporter.begin('envtrace: indexing Go files', 0, `${folders.length} folder(s)`, false);
  report();
  await Promise.all(scans);
  const s = workspace.stats();
  const summary = `${s.files} Go files, ${s.sites} sites, ${s.keys} keys in ${Date.now() - started} ms`;
  reporter.report(100, summary);
  reporter.done();
  connection.console.info(`envtrace: indexed ${summary}`);
}
