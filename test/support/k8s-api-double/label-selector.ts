/**
 * TEST-ONLY (part of the Kubernetes API server double): label selector matching as the API server
 * does it — equality-based (`a=b`, `a==b`, `a!=b`) and set-based (`a in (x,y)`, `a notin (x)`,
 * `a`, `!a`), requirements joined by commas.
 */
type Requirement = (labels: Record<string, string>) => boolean;

function splitRequirements(selector: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of selector) {
    if (ch === '(') depth += 1;
    if (ch === ')') depth -= 1;
    if (ch === ',' && depth === 0) {
      parts.push(current.trim());
      current = '';
    } else current += ch;
  }
  if (current.trim()) parts.push(current.trim());
  return parts;
}

function parseRequirement(text: string): Requirement {
  const set = /^(\S+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(text);
  if (set) {
    const [, key = '', op, list = ''] = set;
    const values = new Set(list.split(',').map((v) => v.trim()));
    return op === 'in' ? (l) => key in l && values.has(l[key] ?? '') : (l) => !(key in l) || !values.has(l[key] ?? '');
  }
  const eq = /^([^!=\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(text);
  if (eq) {
    const [, key = '', op, value = ''] = eq;
    return op === '!=' ? (l) => l[key] !== value : (l) => l[key] === value;
  }
  if (/^![^\s=!]+$/.test(text)) return (l) => !(text.slice(1) in l);
  if (/^[^\s=!()]+$/.test(text)) return (l) => text in l;
  throw new Error(`unable to parse requirement: "${text}"`);
}

/** Compiles `selector`; throws with the API server's wording for a malformed one. */
export function compileSelector(selector: string | null | undefined): (labels: Record<string, string> | undefined) => boolean {
  const requirements = splitRequirements(selector ?? '').map(parseRequirement);
  return (labels) => requirements.every((r) => r(labels ?? {}));
}
