/**
 * The subcommands that send OTLP logs (`export --otlp`, `ship`): a bundle of their own
 * (dist/otlpCommands.js), so the OpenTelemetry SDK is parsed only when one of them runs.
 */
export { exportCommand } from './export';
export { shipCommand } from './ship';
