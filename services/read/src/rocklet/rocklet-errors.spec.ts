import { CommandFailedError, ResourceConflictError, ResourceNotFoundError, RockletCallError, BadRequestError, ResultCode } from '@rock/contracts';
import { rockletErrorFrom, RockletTimeoutError } from './rocklet-errors';

const exception = (classPath: string, message: string, extra: Record<string, unknown> = {}): string =>
  JSON.stringify({ rockletexception: { message, class_path: classPath, extra_info: extra } });

describe('rockletErrorFrom', () => {
  it('maps missing and existing sessions to 4000', () => {
    const missing = rockletErrorFrom('run_in_session', 511, exception('rocklet.SessionNotFound', "session 'x' does not exist"));
    expect(missing).toBeInstanceOf(ResourceNotFoundError);
    expect(missing).toMatchObject({ code: ResultCode.BadRequest, message: "session 'x' does not exist" });
    const exists = rockletErrorFrom('create_session', 511, exception('rocklet.SessionExists', "session 'x' already exists"));
    expect(exists).toBeInstanceOf(ResourceConflictError);
    expect(exists.code).toBe(ResultCode.BadRequest);
  });

  it('maps NonZeroExitCodeError to the 6000 command failure with its exit code', () => {
    const failed = rockletErrorFrom('run_in_session', 511, exception('rocklet.NonZeroExitCodeError', 'command failed with exit code 3. Output:\nboom', { exit_code: 3, output: 'boom' }));
    expect(failed).toBeInstanceOf(CommandFailedError);
    expect(failed).toMatchObject({ code: ResultCode.CommandError, exitCode: 3, message: 'command failed with exit code 3. Output:\nboom' });
  });

  it('maps other 511s, 504s and unexpected answers to rocklet errors with exit code -1', () => {
    const busy = rockletErrorFrom('run_in_session', 511, exception('rocklet.SessionBusy', 'busy'));
    expect(busy).toBeInstanceOf(RockletCallError);
    expect(busy).toMatchObject({ code: ResultCode.Internal, exitCode: -1, message: 'busy' });
    const slow = rockletErrorFrom('execute', 504, JSON.stringify({ detail: 'command timed out after 1 s' }));
    expect(slow).toBeInstanceOf(RockletTimeoutError);
    expect(slow).toMatchObject({ exitCode: -1, message: 'command timed out after 1 s' });
    const weird = rockletErrorFrom('execute', 502, '<html>bad gateway</html>');
    expect(weird).toMatchObject({ exitCode: -1, message: 'rocklet execute answered HTTP 502: <html>bad gateway</html>' });
    const unauthorized = rockletErrorFrom('execute', 401, JSON.stringify({ detail: 'missing token' }));
    expect(unauthorized).toBeInstanceOf(RockletCallError);
  });

  it('keeps the sentence and status of {detail} 4xx answers (GEM /env/*)', () => {
    expect(rockletErrorFrom('env_step', 404, JSON.stringify({ detail: 'no env' }))).toBeInstanceOf(ResourceNotFoundError);
    const bad = rockletErrorFrom('env_step', 400, JSON.stringify({ detail: 'action: required' }));
    expect(bad).toBeInstanceOf(BadRequestError);
    expect(bad.message).toBe('action: required');
  });
});
