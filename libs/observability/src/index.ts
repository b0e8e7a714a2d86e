/**
 * @rock/observability: structured logging (pino) and Prometheus metrics (prom-client) behind typed
 * APIs, so services never import prom-client (STYLE §2).
 */
export { createLogger, requestLogger, resolveRequestId, REQUEST_ID_HEADERS, REDACTED_PATHS } from './logger';
export type { RockLogger, LoggerOptions } from './logger';
export { RockMetrics, startTimer } from './rock-metrics';
export type { RockMetricsOptions, Outcome, HttpOutcome, RockletOutcome, QueueState } from './rock-metrics';
export { METRIC_NAMES, ALL_METRIC_NAMES } from './metric-names';
export type { MetricName } from './metric-names';
