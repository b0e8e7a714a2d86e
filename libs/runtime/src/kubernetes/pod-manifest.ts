import type { V1Pod, V1Secret, V1Toleration } from '@kubernetes/client-node';
import { sandboxLabels, ROCKLET_PORT, type InstanceSelector } from '../labels';
import type { RegistryAuth, SandboxSpec } from '../runtime.types';

/** The bundle volume both containers mount. */
export const BUNDLE_VOLUME = 'rock';
export const BUNDLE_MOUNT = '/rock';
/** Name of the sandbox container in the pod (the init container is `rocklet-bundle`). */
export const SANDBOX_CONTAINER = 'sandbox';

/** The exec-form rocklet command: the bundle's own loader, so any Linux image works. */
export function podRockletCommand(port = ROCKLET_PORT): string[] {
  return [`${BUNDLE_MOUNT}/lib/ld-linux-x86-64.so.2`, '--library-path', `${BUNDLE_MOUNT}/lib`, `${BUNDLE_MOUNT}/bin/node`, `${BUNDLE_MOUNT}/rocklet.js`, '--port', String(port)];
}

/** Pod-level settings that come from the driver's configuration, not from the request. */
export interface PodTemplateSettings {
  namespace: string;
  podName: string;
  instance: InstanceSelector;
  rockletImage: string;
  activeDeadlineSeconds: number;
  nodeSelector?: Record<string, string>;
  tolerations?: V1Toleration[];
  runtimeClassName?: string | null;
  imagePullSecrets: string[];
}

/** CPU quantity in millicores (`1.5` → `1500m`), the unit the API server normalises to. */
export function cpuQuantity(cpus: number): string {
  return `${Math.max(1, Math.round(cpus * 1000))}m`;
}

/** The Pod for one sandbox (restartPolicy Never: a dead sandbox is reported, not silently restarted). */
export function sandboxPod(spec: SandboxSpec, settings: PodTemplateSettings): V1Pod {
  const env = Object.entries(spec.env).map(([name, value]) => ({ name, value }));
  const memory = String(spec.memoryBytes);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: settings.podName, namespace: settings.namespace, labels: sandboxLabels(spec.sandboxId, settings.instance, spec.labels) },
    spec: {
      restartPolicy: 'Never',
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      activeDeadlineSeconds: settings.activeDeadlineSeconds,
      ...(settings.nodeSelector && Object.keys(settings.nodeSelector).length > 0 ? { nodeSelector: settings.nodeSelector } : {}),
      ...(settings.tolerations && settings.tolerations.length > 0 ? { tolerations: settings.tolerations } : {}),
      ...(settings.runtimeClassName ? { runtimeClassName: settings.runtimeClassName } : {}),
      ...(settings.imagePullSecrets.length > 0 ? { imagePullSecrets: settings.imagePullSecrets.map((name) => ({ name })) } : {}),
      volumes: [{ name: BUNDLE_VOLUME, emptyDir: {} }],
      initContainers: [
        {
          name: 'rocklet-bundle',
          image: settings.rockletImage,
          imagePullPolicy: 'IfNotPresent',
          args: [BUNDLE_MOUNT],
          volumeMounts: [{ name: BUNDLE_VOLUME, mountPath: BUNDLE_MOUNT }],
        },
      ],
      containers: [
        {
          name: SANDBOX_CONTAINER,
          image: spec.image,
          imagePullPolicy: pullPolicy(spec.pull),
          command: podRockletCommand(),
          env: [...env, { name: 'ROCKLET_TOKEN', value: spec.rockletToken }],
          ports: [{ name: 'rocklet', containerPort: ROCKLET_PORT, protocol: 'TCP' }],
          resources: {
            requests: { cpu: cpuQuantity(spec.cpus), memory },
            limits: { cpu: cpuQuantity(spec.limitCpus ?? spec.cpus), memory },
          },
          readinessProbe: { httpGet: { path: '/is_alive', port: ROCKLET_PORT }, periodSeconds: 1, timeoutSeconds: 1, failureThreshold: 3 },
          volumeMounts: [{ name: BUNDLE_VOLUME, mountPath: BUNDLE_MOUNT, readOnly: true }],
        },
      ],
    },
  };
}

function pullPolicy(pull: SandboxSpec['pull']): string {
  if (pull === 'never') return 'Never';
  return pull === 'always' ? 'Always' : 'IfNotPresent';
}

/** Registry host of an image reference (`docker.io` when it has none). */
export function registryHost(image: string): string {
  const first = image.split('/')[0] ?? '';
  return image.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost') ? first : 'docker.io';
}

/** A per-sandbox `kubernetes.io/dockerconfigjson` Secret holding the start request's registry credentials. */
export function pullSecret(name: string, namespace: string, labels: Record<string, string>, image: string, auth: RegistryAuth): V1Secret {
  const server = auth.serverAddress ?? registryHost(image);
  const token = Buffer.from(`${auth.username}:${auth.password}`).toString('base64');
  const config = { auths: { [server]: { username: auth.username, password: auth.password, auth: token } } };
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'kubernetes.io/dockerconfigjson',
    metadata: { name, namespace, labels },
    data: { '.dockerconfigjson': Buffer.from(JSON.stringify(config)).toString('base64') },
  };
}
