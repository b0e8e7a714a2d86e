/**
 * Docker size syntax (`512m`, `8g`, `1.5G`, `100MiB`, `1073741824`): binary units, as `docker run
 * --memory` reads them. Sizes stay strings on the wire (API.md: "memory and disk are strings");
 * the byte count is what admission and the runtimes use.
 */
const UNIT_POWERS: Record<string, number> = { '': 0, b: 0, k: 1, m: 2, g: 3, t: 4, p: 5 };
const SIZE_PATTERN = /^\s*(\d+(?:\.\d+)?)\s*([bkmgtp]?)(?:i?b)?\s*$/i;

/** The parts of a size: its number and lowercase unit letter (`""` for plain bytes). */
interface SizeParts {
  value: number;
  unit: string;
}

function splitSize(text: string): SizeParts | null {
  const match = SIZE_PATTERN.exec(text);
  if (!match) return null;
  const value = Number(match[1]);
  let unit = (match[2] ?? '').toLowerCase();
  if (unit === 'b') unit = '';
  return Number.isFinite(value) ? { value, unit } : null;
}

/** Parses a Docker size to bytes (rounded down); `null` when `text` is not a size. */
export function parseSizeToBytes(text: string): number | null {
  const parts = splitSize(text);
  if (!parts) return null;
  return Math.floor(parts.value * 1024 ** (UNIT_POWERS[parts.unit] ?? 0));
}

/**
 * Canonical spelling of a size: `"<number><unit>"` with no spaces and no `b`/`ib` suffix, e.g.
 * `" 8 GiB"` → `"8g"` (`unitCase: 'lower'`, Docker style, used for memory) or `"8G"`
 * (`unitCase: 'upper'`, ROCK's disk style). `null` when `text` is not a size.
 */
export function normaliseSize(text: string, unitCase: 'lower' | 'upper' = 'lower'): string | null {
  const parts = splitSize(text);
  if (!parts) return null;
  const unit = unitCase === 'upper' ? parts.unit.toUpperCase() : parts.unit;
  return `${String(parts.value)}${unit}`;
}

/** Formats a byte count as the shortest exact Docker size (`8589934592` → `"8g"`). */
export function formatBytes(bytes: number): string {
  const units = ['p', 't', 'g', 'm', 'k'];
  for (const unit of units) {
    const size = 1024 ** (UNIT_POWERS[unit] ?? 0);
    if (bytes >= size && bytes % size === 0) return `${bytes / size}${unit}`;
  }
  return String(bytes);
}
