import { ApiException } from '@kubernetes/client-node';
import { fromApiError, KubernetesApiError, toApiError } from './kubernetes-pod.api';

describe('client-node errors as driver errors', () => {
  it("reads the API server's Status out of an ApiException body", () => {
    const body = JSON.stringify({ kind: 'Status', code: 409, reason: 'AlreadyExists', message: 'pods "rock-a" already exists' });
    const err = toApiError(new ApiException(409, 'Unknown API Status Code!', body, {}));
    expect(err).toEqual(new KubernetesApiError(409, 'AlreadyExists', 'pods "rock-a" already exists'));
    expect(fromApiError(err, 'creating pod rock-a')).toMatchObject({ code: 'CONFLICT', message: 'creating pod rock-a: pods "rock-a" already exists' });
  });

  it('keeps the status of the answers the OpenAPI spec names without a body (401)', () => {
    const err = toApiError(new ApiException(401, 'Unauthorized', undefined, {}));
    expect(fromApiError(err, 'listing sandbox pods')).toMatchObject({ code: 'RUNTIME_ERROR', transient: false, message: 'listing sandbox pods: API server answered 401: Unauthorized' });
  });

  it('maps a watch refused with a status, 5xx/429 as transient, and transport errors with their cause', () => {
    const watch = Object.assign(new Error('Forbidden'), { statusCode: 403 });
    expect(fromApiError(toApiError(watch), 'watching')).toMatchObject({ code: 'RUNTIME_ERROR', message: 'watching: API server answered 403: Forbidden' });
    const busy = toApiError(new ApiException(429, 'Unknown API Status Code!', 'slow down', {}));
    expect(fromApiError(busy, 'x')).toMatchObject({ code: 'RUNTIME_UNAVAILABLE', transient: true, message: 'x: API server answered 429: slow down' });
    const refused = new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:6443') });
    expect(fromApiError(toApiError(refused), 'listing')).toMatchObject({
      code: 'RUNTIME_UNAVAILABLE',
      transient: true,
      message: 'listing: API server unreachable: fetch failed: connect ECONNREFUSED 127.0.0.1:6443',
    });
    expect(fromApiError(toApiError(new ApiException(404, 'x', '', {})), 'y')).toMatchObject({ code: 'NOT_FOUND' });
  });
});
