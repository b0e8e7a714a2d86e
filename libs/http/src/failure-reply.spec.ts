import {
  AdmissionRejectedError,
  GEM_API_PREFIX,
  InternalError,
  SANDBOX_API_PREFIX,
  SandboxNotFoundError,
  ValidationError,
} from '@rock/contracts';
import type { FastifyRequest } from 'fastify';
import { DEFAULT_BARE_ERROR_PREFIXES, failureAnswer, normaliseError } from './failure-reply';
import { outcomeOf, setFailureMessage } from './request-state';

function request(url: string, headers: Record<string, string> = {}, message?: string): FastifyRequest {
  const req = { url, headers } as unknown as FastifyRequest;
  if (message) setFailureMessage(req, message);
  return req;
}

const answer = (error: unknown, req: FastifyRequest) => failureAnswer(error, req, DEFAULT_BARE_ERROR_PREFIXES);

describe('failureAnswer', () => {
  it('answers validation errors as "invalid parameter" with HTTP 200, or 400 on opt-in', () => {
    const error = new ValidationError(['image: is required', 'cpus: must be > 0']);
    const plain = answer(error, request(`${SANDBOX_API_PREFIX}/start`, {}, 'start sandbox failed'));
    expect(plain).toEqual({
      statusCode: 200,
      body: { status: 'Failed', message: 'invalid parameter', error: 'image: is required; cpus: must be > 0', result: null },
    });
    expect(answer(error, request(`${SANDBOX_API_PREFIX}/start`, { 'x-rock-http-status': 'true' })).statusCode).toBe(400);
  });

  it('uses the route message and the typed error code', () => {
    const req = request(`${SANDBOX_API_PREFIX}/stop`, {}, 'stop sandbox failed');
    expect(answer(new SandboxNotFoundError('abc'), req).body).toEqual({
      status: 'Failed',
      message: 'stop sandbox failed',
      error: 'Sandbox abc not found',
      result: { code: 4000, exit_code: null, failure_reason: 'Sandbox abc not found' },
    });
    expect(outcomeOf(req, 200)).toBe('failed');
  });

  it('falls back to "<segment> failed" and marks unexpected errors as 5000 / outcome error', () => {
    const req = request(`${SANDBOX_API_PREFIX}/commit?x=1`);
    const res = answer(new Error('boom'), req);
    expect(res.body).toMatchObject({ message: 'commit failed', error: 'internal error: boom', result: { code: 5000 } });
    expect(res.statusCode).toBe(200);
    expect(outcomeOf(req, 200)).toBe('error');
  });

  it('adds Retry-After only when real statuses are asked for', () => {
    const full = new AdmissionRejectedError('max_sandboxes', 'capacity reached: 2 of 2 live sandboxes', 9);
    expect(answer(full, request(`${SANDBOX_API_PREFIX}/start`))).not.toHaveProperty('retryAfterSeconds');
    expect(answer(full, request(`${SANDBOX_API_PREFIX}/start`, { 'x-rock-http-status': '1' }))).toMatchObject({
      statusCode: 429,
      retryAfterSeconds: 9,
    });
  });

  it('answers GEM routes with bare {detail} and a real status', () => {
    expect(answer(new SandboxNotFoundError('g'), request(`${GEM_API_PREFIX}/close`))).toEqual({
      statusCode: 404,
      body: { detail: 'Sandbox g not found' },
    });
    expect(answer(new InternalError('disk full'), request(`${GEM_API_PREFIX}/make`)).statusCode).toBe(500);
  });

  it('maps framework errors: bad bodies to invalid parameter, unknown routes to a real 404', () => {
    const badJson = Object.assign(new Error('Body is not valid JSON'), { getStatus: () => 400 });
    expect(answer(badJson, request(`${SANDBOX_API_PREFIX}/start`)).body).toMatchObject({
      message: 'invalid parameter',
      error: '(body): Body is not valid JSON',
    });
    const tooLarge = Object.assign(new Error('Request body is too large'), { statusCode: 413 });
    expect(normaliseError(tooLarge)).toBeInstanceOf(ValidationError);
    const missing = Object.assign(new Error('Cannot POST /x'), { getStatus: () => 404 });
    expect(answer(missing, request(`${SANDBOX_API_PREFIX}/x`)).statusCode).toBe(404);
  });
});
