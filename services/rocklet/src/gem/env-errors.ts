/**
 * Failures of the `/env/*` routes. They answer with a real HTTP status and `{"detail": message}`
 * (API.md §4 shape), unlike the 511 `rockletexception` of the other rocklet routes.
 */
export class EnvRequestError extends Error {
  constructor(
    readonly status: 400 | 404 | 409 | 413,
    message: string,
  ) {
    super(message);
    this.name = 'EnvRequestError';
  }
}

export const envBadRequest = (message: string): EnvRequestError => new EnvRequestError(400, message);

/** reset/step before any make, or after `/env/close`. */
export const envNotMade = (closedEnvId: string | null): EnvRequestError =>
  new EnvRequestError(
    404,
    closedEnvId === null
      ? 'no env in this sandbox: call /env/make first'
      : `env ${closedEnvId} was closed: call /env/make to start a new one`,
  );
