import { userLabels } from './spec-validation';

/** Label on every resource ROCK manages. */
export const MANAGED_LABEL = 'rock.managed';
/** Label carrying the sandbox id. */
export const SANDBOX_ID_LABEL = 'rock.sandbox-id';
/** Default name of the label that separates several ROCK installs (or test runs) on one engine. */
export const DEFAULT_INSTANCE_LABEL = 'rock.instance';
/** Port rocklet listens on inside a sandbox. */
export const ROCKLET_PORT = 22555;

/** Identifies one ROCK install on a shared engine: only resources with `label=value` are touched. */
export interface InstanceSelector {
  label: string;
  value: string;
}

/** The labels a sandbox's resource carries: user labels first, then ROCK's (which win). */
export function sandboxLabels(
  sandboxId: string,
  instance: InstanceSelector,
  extra?: Record<string, string>,
): Record<string, string> {
  return {
    ...userLabels(extra),
    [MANAGED_LABEL]: 'true',
    [SANDBOX_ID_LABEL]: sandboxId,
    [instance.label]: instance.value,
  };
}

/** True when `labels` mark a resource managed by this instance. */
export function isOwnedBy(labels: Record<string, string> | undefined, instance: InstanceSelector): boolean {
  return labels?.[MANAGED_LABEL] === 'true' && labels[instance.label] === instance.value && !!labels[SANDBOX_ID_LABEL];
}
