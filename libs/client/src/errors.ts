/**
 * Typed errors of `@rock/client`. `code` follows ROCK's result codes: 4xxx bad request (including
 * "not found"), 5xxx internal, 6xxx a command failed. Match on the class or `code`, never the text.
 */
export class RockError extends Error {
  constructor(
    /** ROCK result code (4000, 5000, 6000, …). */
    readonly code: number,
    message: string,
    /** HTTP status when the server answered one other than 200, else `null`. */
    readonly httpStatus: number | null = null,
  ) {
    super(message);
    this.name = 'RockError';
  }
}

/** The request was refused: invalid parameters, unknown sandbox, quota (code 4xxx). */
export class BadRequestError extends RockError {
  constructor(message: string, code = 4000, httpStatus: number | null = null) {
    super(code, message, httpStatus);
    this.name = 'BadRequestError';
  }
}

/** The server or the sandbox failed, or the call ran out of time (code 5xxx). */
export class InternalError extends RockError {
  constructor(message: string, code = 5000, httpStatus: number | null = null) {
    super(code, message, httpStatus);
    this.name = 'InternalError';
  }
}

/** A command ran and failed (code 6xxx): carries its exit code and output. */
export class CommandError extends RockError {
  constructor(
    message: string,
    /** The command's exit code, `null` when it did not finish. */
    readonly exitCode: number | null,
    /** Whatever the command printed. */
    readonly output: string,
    code = 6000,
  ) {
    super(code, message);
    this.name = 'CommandError';
  }
}

/** The error class a ROCK result code maps to. */
export function errorForCode(code: number, message: string, httpStatus: number | null = null): RockError {
  if (code >= 4000 && code < 5000) return new BadRequestError(message, code, httpStatus);
  if (code >= 6000 && code < 7000) return new CommandError(message, null, '', code);
  return new InternalError(message, code >= 5000 && code < 6000 ? code : 5000, httpStatus);
}

/** The error class an HTTP status maps to (for bare-JSON routes and non-envelope answers). */
export function errorForHttpStatus(status: number, message: string): RockError {
  if (status >= 400 && status < 500) return new BadRequestError(message, 4000, status);
  return new InternalError(message, 5000, status);
}
