import { z } from 'zod';

/**
 * Thrown when a wire payload does not match its schema; `message` names every bad field
 * (`"image: must not be blank; cpus: must be > 0"`, API.md §1).
 */
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

type RawIssue = z.core.$ZodRawIssue;

function describeBound(issue: RawIssue & { code: 'too_small' | 'too_big' }): string {
  const small = issue.code === 'too_small';
  const bound = Number(small ? issue.minimum : issue.maximum);
  const op = small ? (issue.inclusive ? '>=' : '>') : issue.inclusive ? '<=' : '<';
  if (issue.origin === 'string') {
    if (small && bound === 1) return 'must not be empty';
    return `must be ${small ? 'at least' : 'at most'} ${bound} characters long`;
  }
  if (issue.origin === 'array' || issue.origin === 'set') {
    return `must have ${small ? 'at least' : 'at most'} ${bound} items`;
  }
  return `must be ${op} ${bound}`;
}

function describeType(expected: string, input: unknown): string {
  if (input === undefined) return 'is required';
  if (expected === 'int') return 'must be an integer';
  const article = /^[aeiou]/.test(expected) ? 'an' : 'a';
  return `must be ${article} ${expected}`;
}

/**
 * Default per-parse error map: short, human reasons ("is required", "must be > 0") for issues whose
 * schema did not set its own message. Schema-level messages always win.
 */
export function friendlyIssueMessage(issue: RawIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return describeType(String(issue.expected), issue.input);
    case 'too_small':
    case 'too_big':
      return describeBound(issue);
    case 'invalid_value':
      return `must be one of ${issue.values.map(String).join('|')}`;
    case 'invalid_format':
      return issue.format === 'regex' ? `must match ${String(issue.pattern)}` : `must be a valid ${issue.format}`;
    case 'not_multiple_of':
      return `must be a multiple of ${String(issue.divisor)}`;
    case 'invalid_union':
      return 'has an invalid type or value';
    case 'invalid_key':
    case 'invalid_element':
      return issue.issues[0]?.message ?? 'is invalid';
    case 'unrecognized_keys':
      return `unknown field(s) ${issue.keys.join(', ')}`;
    default:
      return 'is invalid';
  }
}

/** Formats zod issues as `"image: must not be blank; cpus: must be > 0"` (API.md §1). */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((issue) => {
    const path = issue.path.map(String).join('.') || '(body)';
    return `${path}: ${issue.message}`;
  });
}

/**
 * Parses `input` with `schema`, returning the typed value or throwing a {@link ValidationError}
 * that lists every bad field at once.
 */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input, { error: friendlyIssueMessage });
  if (!result.success) throw new ValidationError(describeIssues(result.error.issues));
  return result.data;
}

/** Like {@link parseOrThrow} but returns the problems instead of throwing (expected outcome, STYLE §5). */
export function safeParseWire<S extends z.ZodType>(
  schema: S,
  input: unknown,
): { ok: true; value: z.output<S> } | { ok: false; problems: string[] } {
  const result = schema.safeParse(input, { error: friendlyIssueMessage });
  return result.success
    ? { ok: true, value: result.data }
    : { ok: false, problems: describeIssues(result.error.issues) };
}
