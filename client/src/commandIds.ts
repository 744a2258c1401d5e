/** The ids of every command the extension registers (package.json must declare each palette command). */
export const commandIds = {
  run: 'envtrace.run',
  traceTest: 'envtrace.traceTest',
  tracePackageTests: 'envtrace.tracePackageTests',
  rerun: 'envtrace.rerun',
  stop: 'envtrace.stop',
  showRuns: 'envtrace.showRuns',
  importRun: 'envtrace.importRun',
  compareRuns: 'envtrace.compareRuns',
  clearRuns: 'envtrace.clearRuns',
  export: 'envtrace.export',
  openTrace: 'envtrace.openTrace',
  restartServer: 'envtrace.restartServer',
  refresh: 'envtrace.refresh',
  openSite: 'envtrace.openSite',
  showFlameGraph: 'envtrace.showFlameGraph',
  showTimeline: 'envtrace.showTimeline',
  showDependencyGraph: 'envtrace.showDependencyGraph',
} as const;

/** Commands that run something: refused in untrusted workspaces. */
export const runningCommands: readonly string[] = [
  commandIds.run,
  commandIds.traceTest,
  commandIds.tracePackageTests,
  commandIds.rerun,
];

/** Commands used only from lenses and tree items, hidden from the palette. */
export const internalCommands: readonly string[] = [commandIds.traceTest, commandIds.tracePackageTests, commandIds.openSite, commandIds.refresh];
