/** TEST-ONLY (part of the Kubernetes API server double): `Status` bodies and pod validation. */
import type { V1Pod } from '@kubernetes/client-node';

export interface StatusBody {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure';
  message: string;
  reason: string;
  details?: { name?: string; kind?: string };
  code: number;
}

export function status(code: number, reason: string, message: string, details?: StatusBody['details']): StatusBody {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details ? { details } : {}), code };
}

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** The API server's field errors for the parts of a Pod the double checks. */
export function podIssues(pod: V1Pod | undefined): string[] {
  const issues: string[] = [];
  const name = pod?.metadata?.name ?? '';
  if (!name) issues.push('metadata.name: Required value');
  else if (name.length > 253 || !DNS_SUBDOMAIN.test(name)) issues.push(`metadata.name: Invalid value: "${name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.'`);
  for (const [key, value] of Object.entries(pod?.metadata?.labels ?? {})) {
    if (value.length > 63 || !LABEL_VALUE.test(value)) issues.push(`metadata.labels: Invalid value: "${value}": a valid label value must be 63 characters or less (label ${key})`);
  }
  const containers = pod?.spec?.containers ?? [];
  if (containers.length === 0) issues.push('spec.containers: Required value');
  containers.forEach((c, i) => {
    if (!c.name) issues.push(`spec.containers[${i}].name: Required value`);
    if (!c.image) issues.push(`spec.containers[${i}].image: Required value`);
  });
  return issues;
}
