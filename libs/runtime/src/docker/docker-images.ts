import type Dockerode from 'dockerode';
import { RuntimeError } from '../runtime.errors';
import type { PullPolicy, RegistryAuth } from '../runtime.types';
import { dockerMessage, dockerStatus, fromDockerError } from './docker-errors';

interface PullEvent {
  error?: string;
  errorDetail?: { message?: string };
}

/** True when the daemon has `image` locally. */
export async function imageExists(docker: Dockerode, image: string): Promise<boolean> {
  try {
    await docker.getImage(image).inspect();
    return true;
  } catch (err) {
    if (dockerStatus(err) === 404) return false;
    throw fromDockerError(err, `inspect image ${image}`, 'image_pull');
  }
}

function authConfig(auth: RegistryAuth | null | undefined): Record<string, string> | undefined {
  if (!auth) return undefined;
  const config: Record<string, string> = { username: auth.username, password: auth.password };
  if (auth.serverAddress) config.serveraddress = auth.serverAddress;
  return config;
}

/** Consumes a pull progress stream; rejects on the first `error` event or a stream error. */
function drainPull(stream: NodeJS.ReadableStream, image: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let buffered = '';
    let failed: string | null = null;
    stream.on('data', (chunk: Buffer | string) => {
      buffered += chunk.toString();
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline).trim();
        buffered = buffered.slice(newline + 1);
        if (!line || failed) continue;
        try {
          const event = JSON.parse(line) as PullEvent;
          if (event.error) failed = event.errorDetail?.message ?? event.error;
        } catch {
          // Progress lines are informational; a malformed one is not a pull failure.
        }
      }
    });
    stream.on('error', (err: Error) => reject(fromDockerError(err, `pull image ${image}`, 'image_pull')));
    stream.on('end', () =>
      failed
        ? reject(new RuntimeError('IMAGE_PULL_FAILED', `Pulling image ${image} failed: ${failed}`, { phase: 'image_pull' }))
        : resolve(),
    );
  });
}

/** Pulls `image`; `signal` aborts the transfer. 404/401/403 are permanent, daemon 5xx transient. */
export async function pullImage(
  docker: Dockerode,
  image: string,
  auth: RegistryAuth | null | undefined,
  signal: AbortSignal,
): Promise<void> {
  let stream: NodeJS.ReadableStream;
  try {
    stream = await docker.pull(image, { authconfig: authConfig(auth), abortSignal: signal });
  } catch (err) {
    throw pullError(err, image, signal);
  }
  const onAbort = (): void => (stream as unknown as { destroy?: () => void }).destroy?.();
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    await drainPull(stream, image);
  } catch (err) {
    throw pullError(err, image, signal);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

function pullError(err: unknown, image: string, signal: AbortSignal): RuntimeError {
  if (signal.aborted) {
    return new RuntimeError('STARTUP_TIMEOUT', `Pulling image ${image} did not finish in time.`, {
      phase: 'image_pull',
      transient: true,
      cause: err,
    });
  }
  if (err instanceof RuntimeError) return err;
  const status = dockerStatus(err);
  if (status === 404) {
    return new RuntimeError('IMAGE_NOT_FOUND', `Image ${image} was not found in its registry: ${dockerMessage(err)}`, {
      phase: 'image_pull',
      cause: err,
    });
  }
  if (status !== null) {
    // 401/403: bad credentials or no access (permanent); 5xx: registry or daemon trouble (retry).
    return new RuntimeError('IMAGE_PULL_FAILED', `Pulling image ${image} failed: ${dockerMessage(err)}`, {
      phase: 'image_pull',
      transient: status >= 500,
      cause: err,
    });
  }
  return fromDockerError(err, `pull image ${image}`, 'image_pull');
}

/**
 * Makes `image` available according to `policy` and returns a phase message. A missing image with
 * `never`, or a pull that fails, rejects with a message naming the image.
 */
export async function ensureImage(
  docker: Dockerode,
  image: string,
  policy: PullPolicy,
  auth: RegistryAuth | null | undefined,
  signal: AbortSignal,
): Promise<string> {
  if (policy !== 'always' && (await imageExists(docker, image))) return `image ${image} present locally`;
  if (policy === 'never') {
    throw new RuntimeError('IMAGE_NOT_FOUND', `Image ${image} is not present locally and the pull policy is 'never'.`, {
      phase: 'image_pull',
    });
  }
  try {
    await pullImage(docker, image, auth, signal);
  } catch (err) {
    if (policy === 'missing' && err instanceof RuntimeError && err.code !== 'STARTUP_TIMEOUT') {
      throw new RuntimeError(err.code, `Image ${image} is not present locally and could not be pulled: ${err.message}`, {
        phase: 'image_pull',
        transient: err.transient,
        cause: err,
      });
    }
    throw err;
  }
  return `image ${image} pulled`;
}
