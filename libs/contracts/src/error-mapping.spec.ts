import { ResultCodeSchema, ResultCode, successEnvelope } from './envelope';
import { toE2BFailure, toFailureEnvelope, toGemFailure } from './error-mapping';
import {
  AdmissionRejectedError,
  CommandFailedError,
  RockletCallError,
  RuntimeUnavailableError,
  SandboxAlreadyExistsError,
  SandboxNotFoundError,
  UnsupportedByRuntimeError,
} from './errors';
import { SandboxStartRequestSchema } from './sandbox-start';
import { parseOrThrow } from './validation';

function validationErrorOf(input: unknown): unknown {
  try {
    parseOrThrow(SandboxStartRequestSchema, input);
  } catch (error) {
    return error;
  }
  throw new Error('expected a validation error');
}

describe('toFailureEnvelope', () => {
  it('answers validation errors with "invalid parameter", every field, and result null', () => {
    const answer = toFailureEnvelope(validationErrorOf({ image: '', cpus: -1 }), 'start sandbox failed');
    expect(answer).toEqual({
      body: {
        status: 'Failed',
        message: 'invalid parameter',
        error: 'image: must not be blank; cpus: must be > 0',
        result: null,
      },
      httpStatus: 400,
    });
  });

  it('maps a not-found sandbox to 4000 with the failure triple', () => {
    const answer = toFailureEnvelope(new SandboxNotFoundError('abc'), 'get status failed');
    expect(answer.body).toEqual({
      status: 'Failed',
      message: 'get status failed',
      error: 'Sandbox abc not found',
      result: { code: 4000, exit_code: null, failure_reason: 'Sandbox abc not found' },
    });
    expect(answer.httpStatus).toBe(404);
  });

  it('carries Retry-After for admission rejections and unavailable runtimes', () => {
    const rejected = toFailureEnvelope(new AdmissionRejectedError('max_sandboxes', 'too many sandboxes (10 of 10)', 7), 'm');
    expect(rejected).toMatchObject({ httpStatus: 429, retryAfterSeconds: 7, body: { result: { code: 4000 } } });
    const down = toFailureEnvelope(new RuntimeUnavailableError('docker', 'connect ENOENT /var/run/docker.sock'), 'm');
    expect(down).toMatchObject({ httpStatus: 503, retryAfterSeconds: 5, body: { result: { code: 5000 } } });
    expect(down.body.error).toBe('runtime docker is unavailable: connect ENOENT /var/run/docker.sock');
  });

  it('keeps a failed command 6000 with its exit code, and rocklet errors exit_code -1', () => {
    const failed = toFailureEnvelope(new CommandFailedError('exit 3: boom', 3), 'run in session failed');
    expect(failed.body.result).toEqual({ code: 6000, exit_code: 3, failure_reason: 'exit 3: boom' });
    expect(failed.httpStatus).toBe(200);
    const rocklet = toFailureEnvelope(new RockletCallError('execute', 'rocklet unreachable'), 'execute failed');
    expect(rocklet.body.result).toEqual({ code: 5000, exit_code: -1, failure_reason: 'rocklet unreachable' });
    const timeout = toFailureEnvelope(new RockletCallError('run_in_session', 'timed out'), 'm', { resultNull: true });
    expect(timeout.body).toMatchObject({ status: 'Failed', error: 'timed out', result: null });
  });

  it('states the runtime that lacks an operation', () => {
    expect(new UnsupportedByRuntimeError('restart', 'local').message).toBe('restart is not supported by runtime local');
  });

  it('turns unknown errors into 5000 internal errors', () => {
    const answer = toFailureEnvelope(new TypeError('x is undefined'), 'stop sandbox failed');
    expect(answer.body.result).toEqual({ code: 5000, exit_code: null, failure_reason: 'internal error: x is undefined' });
    expect(answer.httpStatus).toBe(500);
  });

  it('only ever produces result codes the clients know', () => {
    for (const error of [new SandboxAlreadyExistsError('a'), new CommandFailedError('c', 1), 'text', null]) {
      const result = toFailureEnvelope(error, 'm').body.result;
      expect(ResultCodeSchema.safeParse(result?.code).success).toBe(true);
    }
  });
});

describe('GEM and E2B failures', () => {
  it('answer bare {detail} / {code, message} with real statuses', () => {
    expect(toGemFailure(new SandboxNotFoundError('g1'))).toEqual({ body: { detail: 'Sandbox g1 not found' }, httpStatus: 404 });
    expect(toGemFailure(validationErrorOf({}))).toEqual({ body: { detail: 'image: is required' }, httpStatus: 400 });
    expect(toE2BFailure(new SandboxAlreadyExistsError('e'))).toEqual({
      body: { code: 409, message: 'Sandbox e already exists' },
      httpStatus: 409,
    });
  });
});

describe('successEnvelope', () => {
  it('wraps a result with null error', () => {
    expect(successEnvelope('abc stopped')).toEqual({ status: 'Success', message: null, error: null, result: 'abc stopped' });
    expect(ResultCode.CommandError).toBe(6000);
  });
});
