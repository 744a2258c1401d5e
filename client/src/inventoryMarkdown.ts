/** The Markdown inventory is built by the engine (server/src/docs/inventoryMarkdown.ts), shared with `envtrace docs`. */
export { inventoryMarkdown } from '../../server/src/docs/inventoryMarkdown';
