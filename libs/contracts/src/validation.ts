import { type z } from 'zod';

/** Thrown when a wire payload does not match its schema; `message` names every bad field. */
export class ValidationError extends Error {
  readonly code = 'ROCK_INVALID_PARAMETER';
  constructor(
    /** One entry per bad field: `"<field.path>: <reason>"`. */
    readonly problems: string[],
  ) {
    super(problems.join('; '));
    this.name = 'ValidationError';
  }
}

/** Formats zod issues as `"image: must not be blank; cpus: must be > 0"` (API.md §1). */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((issue) => {
    const path = issue.path.map(String).join('.') || '(body)';
    return `${path}: ${issue.message}`;
  });
}

/** Parses `input` with `schema`, returning the typed value or throwing a {@link ValidationError}. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw new ValidationError(describeIssues(result.error.issues));
  return result.data;
}
