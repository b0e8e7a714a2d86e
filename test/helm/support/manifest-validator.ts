import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { K8sObject } from './chart';

/**
 * Offline structural validation of rendered manifests against the Kubernetes OpenAPI models
 * shipped in @kubernetes/client-node (release-1.36): every field must exist in the model of its
 * kind, every value must have the model's JSON type (string/integer/boolean/object/array,
 * int-or-string), and every field the API marks required must be present. What it does not check:
 * server-side rules (name formats, immutable fields, admission) and CRDs other than ServiceMonitor,
 * which gets a hand-written check of the fields the chart uses.
 */
export type ModelMap = Record<string, { fields: Record<string, { type: string; format: string }>; required: string[] }>;

export const ROOT_MODELS: Record<string, string> = {
  'apps/v1/Deployment': 'V1Deployment',
  'apps/v1/StatefulSet': 'V1StatefulSet',
  'v1/Service': 'V1Service',
  'v1/ServiceAccount': 'V1ServiceAccount',
  'v1/Secret': 'V1Secret',
  'v1/ConfigMap': 'V1ConfigMap',
  'v1/Namespace': 'V1Namespace',
  'rbac.authorization.k8s.io/v1/Role': 'V1Role',
  'rbac.authorization.k8s.io/v1/RoleBinding': 'V1RoleBinding',
  'networking.k8s.io/v1/Ingress': 'V1Ingress',
  'networking.k8s.io/v1/NetworkPolicy': 'V1NetworkPolicy',
  'policy/v1/PodDisruptionBudget': 'V1PodDisruptionBudget',
  'autoscaling/v2/HorizontalPodAutoscaler': 'V2HorizontalPodAutoscaler',
};

/** Loads the model map through a child `node` (the client package is ESM-only). */
export async function loadModels(): Promise<ModelMap> {
  const script = join(__dirname, 'k8s-models.mjs');
  const { stdout } = await promisify(execFile)(process.execPath, [script, ...Object.values(ROOT_MODELS)], {
    timeout: 120_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(stdout) as ModelMap;
}

/** Every problem of one object, as "Kind/name: path: reason" lines (empty = valid). */
export function validateObject(models: ModelMap, object: K8sObject): string[] {
  const where = `${object.kind}/${object.metadata?.name ?? '?'}`;
  if (object.kind === 'ServiceMonitor') return validateServiceMonitor(object).map((e) => `${where}: ${e}`);
  const root = ROOT_MODELS[`${object.apiVersion}/${object.kind}`];
  if (!root) return [`${where}: no schema for ${object.apiVersion} ${object.kind}`];
  const errors: string[] = [];
  checkValue(models, root, object, '', errors);
  return errors.map((e) => `${where}: ${e}`);
}

function checkValue(models: ModelMap, type: string, value: unknown, path: string, errors: string[]): void {
  if (value === null || value === undefined) return;
  const array = /^Array<(.+)>$/.exec(type);
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (array) {
    if (!Array.isArray(value)) return void errors.push(`${path}: expected an array`);
    value.forEach((item, i) => checkValue(models, array[1], item, `${path}[${i}]`, errors));
  } else if (map) {
    if (!isPlainObject(value)) return void errors.push(`${path}: expected a map`);
    for (const [key, item] of Object.entries(value)) checkMapValue(models, map[1], item, `${path}.${key}`, errors);
  } else if (models[type]) {
    checkModel(models, type, value, path, errors);
  } else {
    const problem = checkPrimitive(type, value);
    if (problem) errors.push(`${path}: ${problem}`);
  }
}

/** Quantities (resources.requests/limits) are `string` in the models but the API takes numbers too. */
function checkMapValue(models: ModelMap, type: string, value: unknown, path: string, errors: string[]): void {
  const quantity = /\.(requests|limits)\.[^.]+$/.test(path) && typeof value === 'number';
  if (!quantity) checkValue(models, type, value, path, errors);
}

function checkModel(models: ModelMap, type: string, value: unknown, path: string, errors: string[]): void {
  if (!isPlainObject(value)) return void errors.push(`${path}: expected an object (${type})`);
  const model = models[type];
  for (const [key, item] of Object.entries(value)) {
    const field = model.fields[key];
    if (!field) errors.push(`${path}.${key}: unknown field of ${type}`);
    else checkValue(models, fieldType(field), item, `${path}.${key}`, errors);
  }
  for (const key of model.required) {
    if (value[key] === undefined || value[key] === null) errors.push(`${path}.${key}: required by ${type}`);
  }
}

function fieldType(field: { type: string; format: string }): string {
  if (field.format === 'int-or-string') return 'IntOrString';
  if (field.type === 'number' && (field.format === 'int32' || field.format === 'int64')) return 'integer';
  return field.type;
}

function checkPrimitive(type: string, value: unknown): string | null {
  switch (type) {
    case 'string':
    case 'Date':
      return typeof value === 'string' ? null : `expected a string, got ${JSON.stringify(value)}`;
    case 'number':
      return typeof value === 'number' ? null : `expected a number, got ${JSON.stringify(value)}`;
    case 'integer':
      return Number.isInteger(value) ? null : `expected an integer, got ${JSON.stringify(value)}`;
    case 'boolean':
      return typeof value === 'boolean' ? null : `expected a boolean, got ${JSON.stringify(value)}`;
    case 'IntOrString':
      return typeof value === 'string' || Number.isInteger(value) ? null : `expected int-or-string, got ${JSON.stringify(value)}`;
    case 'any':
    case 'object':
      return null;
    default:
      return `unknown model type ${type}`;
  }
}

function validateServiceMonitor(object: K8sObject): string[] {
  const errors: string[] = [];
  if (object.apiVersion !== 'monitoring.coreos.com/v1') errors.push(`apiVersion: expected monitoring.coreos.com/v1`);
  const spec = object.spec as { selector?: unknown; endpoints?: { port?: unknown; path?: unknown; interval?: unknown }[] } | undefined;
  if (!spec || !isPlainObject(spec.selector)) errors.push('spec.selector: required object');
  if (!Array.isArray(spec?.endpoints) || spec.endpoints.length === 0) errors.push('spec.endpoints: required non-empty array');
  for (const [i, endpoint] of (spec?.endpoints ?? []).entries()) {
    if (typeof endpoint.port !== 'string') errors.push(`spec.endpoints[${i}].port: expected a port name`);
    if (endpoint.interval !== undefined && !/^[0-9]+(ms|s|m|h)$/.test(String(endpoint.interval))) {
      errors.push(`spec.endpoints[${i}].interval: expected a duration`);
    }
  }
  return errors;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
