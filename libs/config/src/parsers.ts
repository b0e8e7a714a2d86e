import { parseSizeToBytes } from '@rock/contracts';
import { z } from 'zod';

/**
 * Parsers from an environment variable's text to its typed value. Each one states its rule in one
 * sentence, which becomes the "ROCK_X: <rule>" line of a configuration error.
 */
export type TextParser<T> = z.ZodType<T, string>;

function fromText<T>(rule: string, convert: (text: string) => T | undefined): TextParser<T> {
  return z.string().transform((text, ctx) => {
    const value = convert(text.trim());
    if (value === undefined) {
      ctx.addIssue({ code: 'custom', message: rule });
      return z.NEVER;
    }
    return value;
  });
}

/** An integer in `[min, max]`. */
export function integer(min: number, max: number = Number.MAX_SAFE_INTEGER): TextParser<number> {
  const rule = max === Number.MAX_SAFE_INTEGER ? `must be an integer >= ${min}` : `must be an integer ${min}-${max}`;
  return fromText(rule, (t) => {
    if (!/^-?\d+$/.test(t)) return undefined;
    const n = Number(t);
    return Number.isSafeInteger(n) && n >= min && n <= max ? n : undefined;
  });
}

/** A finite number > 0. */
export function positiveNumber(): TextParser<number> {
  return fromText('must be a number > 0', (t) => {
    const n = t === '' ? NaN : Number(t);
    return Number.isFinite(n) && n > 0 ? n : undefined;
  });
}

/** One of a fixed set of words. */
export function oneOf<const T extends string>(values: readonly T[]): TextParser<T> {
  return fromText(`must be one of ${values.join('|')}`, (t) => values.find((v) => v === t.toLowerCase()));
}

/** `true|false|1|0|yes|no|on|off`. */
export function boolean(): TextParser<boolean> {
  return fromText('must be true or false', (t) => {
    const s = t.toLowerCase();
    if (['true', '1', 'yes', 'on'].includes(s)) return true;
    if (['false', '0', 'no', 'off'].includes(s)) return false;
    return undefined;
  });
}

/** A Docker size (`512m`, `64g`) as bytes. */
export function sizeInBytes(): TextParser<number> {
  return fromText('must be a size like 512m or 64g', (t) => {
    const bytes = parseSizeToBytes(t);
    return bytes !== null && bytes > 0 ? bytes : undefined;
  });
}

/** Any non-empty text. */
export function text(): TextParser<string> {
  return fromText('must not be empty', (t) => (t === '' ? undefined : t));
}

/** A URL with one of the given protocols (`redis:`, `rediss:`). */
export function url(protocols: readonly string[]): TextParser<string> {
  const names = protocols.map((p) => `${p}//`).join(' or ');
  return fromText(`must be a URL starting with ${names}`, (t) => {
    try {
      return protocols.includes(new URL(t).protocol) ? t : undefined;
    } catch {
      return undefined;
    }
  });
}

/** `key:principal,key2:principal2` → key → principal (keys ≥ 16 characters). */
export function apiKeys(): TextParser<ReadonlyMap<string, string>> {
  const rule = 'must be "key:principal,..." with keys of at least 16 characters';
  return fromText(rule, (t) => {
    const keys = new Map<string, string>();
    for (const entry of t.split(',').map((e) => e.trim()).filter(Boolean)) {
      const at = entry.lastIndexOf(':');
      const key = entry.slice(0, at).trim();
      const principal = entry.slice(at + 1).trim();
      if (at <= 0 || key.length < 16 || principal === '' || keys.has(key)) return undefined;
      keys.set(key, principal);
    }
    return keys;
  });
}

/** A Redis key prefix: non-empty, no spaces. */
export function keyPrefix(): TextParser<string> {
  return fromText('must be non-empty text without spaces, e.g. "rock:"', (t) => (/^\S+$/.test(t) ? t : undefined));
}

/** `k=v,k2=v2` → a record (Kubernetes node selectors); keys and values must be non-empty. */
export function keyValueList(): TextParser<Readonly<Record<string, string>>> {
  return fromText('must be "key=value,..." with non-empty keys and values', (t) => {
    const entries: Record<string, string> = {};
    for (const entry of t.split(',').map((e) => e.trim()).filter(Boolean)) {
      const at = entry.indexOf('=');
      const key = entry.slice(0, at).trim();
      const value = entry.slice(at + 1).trim();
      if (at <= 0 || value === '') return undefined;
      entries[key] = value;
    }
    return entries;
  });
}

/** `a,b,c` → a list of non-empty names. */
export function nameList(): TextParser<readonly string[]> {
  return fromText('must be a comma-separated list of names', (t) => {
    const names = t.split(',').map((n) => n.trim()).filter(Boolean);
    return names.length > 0 ? names : undefined;
  });
}

/** A JSON array of objects (e.g. Kubernetes tolerations). */
export function jsonObjectArray(): TextParser<ReadonlyArray<Record<string, unknown>>> {
  return fromText('must be a JSON array of objects', (t) => {
    try {
      const value: unknown = JSON.parse(t);
      return Array.isArray(value) && value.every((v) => v !== null && typeof v === 'object' && !Array.isArray(v))
        ? (value as Record<string, unknown>[])
        : undefined;
    } catch {
      return undefined;
    }
  });
}
