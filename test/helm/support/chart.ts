import { loadAll } from 'js-yaml';
import { CHART_DIR, runTool } from './k8s-tools';

/** One rendered Kubernetes object (only the fields the tests read are typed). */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

export interface RenderOptions {
  valuesFiles?: readonly string[];
  set?: Record<string, string>;
  setJson?: Record<string, unknown>;
  releaseName?: string;
  namespace?: string;
}

export interface RenderResult {
  code: number;
  stderr: string;
  objects: K8sObject[];
}

/** `helm template` of helm/rock; objects parsed from the multi-document output. */
export async function renderChart(helm: string, options: RenderOptions = {}): Promise<RenderResult> {
  const args = ['template', options.releaseName ?? 'ci', CHART_DIR, '--namespace', options.namespace ?? 'rock-system'];
  for (const file of options.valuesFiles ?? []) args.push('-f', file);
  for (const [key, value] of Object.entries(options.set ?? {})) args.push('--set', `${key}=${value}`);
  for (const [key, value] of Object.entries(options.setJson ?? {})) args.push('--set-json', `${key}=${JSON.stringify(value)}`);
  const result = await runTool(helm, args, 120_000);
  const objects = result.code === 0 ? (loadAll(result.stdout).filter((doc) => doc) as K8sObject[]) : [];
  return { code: result.code, stderr: result.stderr, objects };
}

/** The one object of `kind` whose name ends with `suffix`; throws listing what exists otherwise. */
export function findObject(objects: readonly K8sObject[], kind: string, suffix: string): K8sObject {
  const found = objects.filter((o) => o.kind === kind && o.metadata.name.endsWith(suffix));
  if (found.length !== 1) {
    const names = objects.filter((o) => o.kind === kind).map((o) => o.metadata.name);
    throw new Error(`expected one ${kind} named *${suffix}, found [${names.join(', ')}]`);
  }
  return found[0];
}
