import type * as vscode from 'vscode';

/** Activates envtrace (filled in by the client work). */
export async function activate(_context: vscode.ExtensionContext): Promise<void> {}

export function deactivate(): void {}
