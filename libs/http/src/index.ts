/**
 * @rock/http: the Nest/Fastify pieces every ROCK HTTP service shares: {@link createRockApp}
 * (bootstrap, request ids, envelope errors, auth, ops routes, metrics, OpenAPI, graceful stop),
 * the handler decorators and the one error → response mapping.
 */
export { createRockApp, stopOnSignals } from './create-rock-app';
export type { RockApp, RockAppOptions } from './create-rock-app';
export type { ReadinessCheck } from './ops.routes';
export { ApiKeyGuard, presentedApiKey, principalFromHeaders } from './api-key.guard';
export type { ApiKeyAuthOptions } from './api-key.guard';
export { RockExceptionFilter } from './rock-exception.filter';
export { failureAnswer, normaliseError, sendFailure, DEFAULT_BARE_ERROR_PREFIXES } from './failure-reply';
export type { FailureAnswer } from './failure-reply';
export { FailureMessage, Principal, RequestHeaders, RequestId, RequestLog } from './request-context';
export { ANONYMOUS_PRINCIPAL, principalOf, requestIdOf, setFailureMessage, setOutcome } from './request-state';
export { PlainRouteDocs } from './plain-route-docs';
export type { PlainRouteDoc, DocumentedRouteConfig } from './plain-route-docs';
export { resolveServiceShared, runRockService } from './run-service';
export type { ServiceEntry, ServiceShared } from './run-service';
export { registerPlainPost } from './plain-route';
export type { PlainPostRoute } from './plain-route';
