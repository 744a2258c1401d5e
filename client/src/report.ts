/** The JSON report's shape and summaries live in the engine (server/src/docs/jsonReport.ts), shared with the CLI. */
export * from '../../server/src/docs/jsonReport';
