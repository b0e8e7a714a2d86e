import { RockletErrorClass, type RockletErrorClassPath } from '@rock/contracts';

/**
 * Base of every expected rocklet failure. The error handler maps it to HTTP 511
 * `{"rockletexception": {message, class_path, extra_info}}`; callers match on `classPath`, never text.
 */
export class RockletError extends Error {
  constructor(
    readonly classPath: RockletErrorClassPath,
    message: string,
    readonly extraInfo: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = classPath.replace('rocklet.', '');
  }
}

/** A request over its time budget: answered 504 `{"detail": message}`. */
export class RockletTimeoutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RockletTimeoutError';
  }
}

export const sessionNotFound = (name: string): RockletError =>
  new RockletError(RockletErrorClass.SessionNotFound, `session '${name}' does not exist`, { session: name });

export const sessionExists = (name: string): RockletError =>
  new RockletError(RockletErrorClass.SessionExists, `session '${name}' already exists`, { session: name });

export const sessionBusy = (name: string): RockletError =>
  new RockletError(
    RockletErrorClass.SessionBusy,
    `session '${name}' is busy running another command; wait for it or use another session`,
    { session: name },
  );

export const fileNotFound = (path: string): RockletError =>
  new RockletError(RockletErrorClass.FileNotFound, `file '${path}' does not exist`, { path });

export const fileTooLarge = (path: string, size: number, limit: number): RockletError =>
  new RockletError(RockletErrorClass.FileTooLarge, `file '${path}' is ${size} bytes, over the limit of ${limit} bytes`, {
    path,
    size,
    limit,
  });

export const invalidParameter = (message: string): RockletError =>
  new RockletError(RockletErrorClass.InvalidParameter, message);

/** SWE-ReX semantics for `check: "raise"`: output and exit code are in the message. */
export const nonZeroExit = (prefix: string, exitCode: number, output: string): RockletError =>
  new RockletError(
    RockletErrorClass.NonZeroExitCode,
    `${prefix ? `${prefix}: ` : ''}command failed with exit code ${exitCode}. Output:\n${output}`,
    { exit_code: exitCode, output },
  );
