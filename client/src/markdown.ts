/** The Markdown helpers live in the engine (server/src/docs/markdown.ts), shared with the CLI. */
export * from '../../server/src/docs/markdown';
