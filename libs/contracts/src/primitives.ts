import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { formatBytes, normaliseSize, parseSizeToBytes } from './sizes';

/** Caller-chosen sandbox ids (API.md §2). */
export const SANDBOX_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** A fresh server-chosen sandbox id: a 32-hex uuid, as ROCK makes them. */
export function newSandboxId(): string {
  return randomUUID().replace(/-/g, '');
}

/** ISO-8601 with an explicit `+00:00` offset (parsed by every client, incl. Python < 3.11). */
export function isoTimestamp(ms: number = Date.now()): string {
  return new Date(ms).toISOString().replace('Z', '+00:00');
}

/** A sandbox id as it appears in requests. */
export const SandboxIdSchema = z
  .string()
  .regex(SANDBOX_ID_PATTERN, { error: 'must match [a-z0-9][a-z0-9-]{0,62}' });

/** A required, non-blank string. */
export const nonBlankString = z.string().refine((s) => s.trim().length > 0, { error: 'must not be blank' });

/** Treats `null` as absent so clients that send `"field": null` get the default. */
export function nullToUndefined<S extends z.ZodType>(schema: S) {
  return z.preprocess((v) => (v === null ? undefined : v), schema);
}

/** An optional field that is `null` in the output when absent or null. */
export function nullable<S extends z.ZodType>(schema: S) {
  return nullToUndefined(schema.optional()).transform((v): z.output<S> | null => v ?? null);
}

/** A field with a default used when absent or `null`. */
export function withDefault<S extends z.ZodType>(schema: S, fallback: z.output<S> | (() => z.output<S>)) {
  const make = typeof fallback === 'function' ? (fallback as () => z.output<S>) : () => fallback;
  return nullToUndefined(schema.optional()).transform((v): z.output<S> => v ?? make());
}

/** Numbers also accepted as numeric strings (query strings, form fields, lax clients). */
export function numberLike(schema: z.ZodNumber = z.number()) {
  return z.preprocess((v) => (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v)) ? Number(v) : v), schema);
}

/** Booleans also accepted as `"true"|"false"|"1"|"0"` (query strings, multipart fields). */
export const booleanLike = z.preprocess((v) => {
  if (typeof v !== 'string') return v;
  const s = v.trim().toLowerCase();
  if (s === 'true' || s === '1') return true;
  if (s === 'false' || s === '0' || s === '') return false;
  return v;
}, z.boolean());

/** Limits that keep one record small in Redis and in every listing. */
export const MAP_LIMITS = {
  metadataEntries: 64,
  metadataKeyLength: 128,
  metadataValueLength: 1024,
  envEntries: 512,
  envValueLength: 32 * 1024,
} as const;

function boundedMap<K extends z.ZodString, V extends z.ZodString>(key: K, value: V, maxEntries: number) {
  return z.record(key, value).refine((map) => Object.keys(map).length <= maxEntries, {
    error: `must have at most ${maxEntries} entries`,
  });
}

/** Map string → string (metadata, labels): listable and filterable, so kept small. */
export const StringMapSchema = boundedMap(
  z.string().min(1, { error: 'keys must not be empty' }).max(MAP_LIMITS.metadataKeyLength, {
    error: `keys must be at most ${MAP_LIMITS.metadataKeyLength} characters`,
  }),
  z.string({ error: 'must be a string' }).max(MAP_LIMITS.metadataValueLength, {
    error: `must be at most ${MAP_LIMITS.metadataValueLength} characters`,
  }),
  MAP_LIMITS.metadataEntries,
);

/** Environment variables: names without `=` or NUL, string values. */
export const EnvMapSchema = boundedMap(
  z.string().regex(/^[^=\0]+$/, { error: 'must be a non-empty name without "=" or NUL' }),
  z.string({ error: 'must be a string' }).max(MAP_LIMITS.envValueLength, {
    error: `must be at most ${MAP_LIMITS.envValueLength} characters`,
  }),
  MAP_LIMITS.envEntries,
);

/**
 * A Docker size string (`512m`, `8g`) normalised to its canonical spelling; `minBytes` rejects
 * sizes below a floor (Docker refuses memory below 6 MiB).
 */
export function dockerSize(unitCase: 'lower' | 'upper', minBytes = 1) {
  return z.string().transform((text, ctx) => {
    const bytes = parseSizeToBytes(text);
    const normalised = normaliseSize(text, unitCase);
    if (bytes === null || normalised === null) {
      ctx.addIssue({ code: 'custom', message: 'must be a size like 512m or 8g' });
      return z.NEVER;
    }
    if (bytes < minBytes) {
      ctx.addIssue({ code: 'custom', message: `must be at least ${formatBytes(minBytes)}` });
      return z.NEVER;
    }
    return normalised;
  });
}
