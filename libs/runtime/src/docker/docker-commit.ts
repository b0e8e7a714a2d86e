import type Dockerode from 'dockerode';
import { RuntimeError } from '../runtime.errors';
import type { CommitResult } from '../runtime.types';
import { fromDockerError } from './docker-errors';

/** The original image's labels plus every container-only label set to "". */
export function blankedLabels(container: Record<string, string>, original: Record<string, string>): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const key of Object.keys(container)) labels[key] = '';
  return { ...labels, ...original };
}

/** Splits `registry:5000/repo/name:tag` into repository and tag (default `latest`). */
export function splitImageTag(imageTag: string): { repo: string; tag: string } {
  const at = imageTag.indexOf('@');
  if (at >= 0) throw new RuntimeError('INVALID_SPEC', `image_tag: must be a tag, not a digest: ${imageTag}`);
  const colon = imageTag.lastIndexOf(':');
  const slash = imageTag.lastIndexOf('/');
  if (colon > slash) return { repo: imageTag.slice(0, colon), tag: imageTag.slice(colon + 1) };
  return { repo: imageTag, tag: 'latest' };
}

/**
 * Commits a sandbox container to `imageTag`. The new image keeps the *original* image's entrypoint,
 * command, working dir and user, so it does not depend on the rocklet mount. The daemon merges the
 * container's env and labels into the image and cannot delete keys, so the token and every
 * container-only label (ROCK's management labels included) are set to "" instead: containers run
 * from the image are never mistaken for managed sandboxes. The sandbox's other env stays, as with
 * `docker commit`.
 */
export async function commitContainer(
  docker: Dockerode,
  info: Dockerode.ContainerInspectInfo,
  imageTag: string,
): Promise<CommitResult> {
  const { repo, tag } = splitImageTag(imageTag);
  if (!repo) throw new RuntimeError('INVALID_SPEC', 'image_tag: must name a repository');
  try {
    const original = await docker.getImage(info.Image).inspect();
    const config = original.Config;
    // `_query`/`_body` split the request: the container config goes in the body, not the URL.
    const request = {
      _query: { container: info.Id, repo, tag, pause: true, comment: `committed by ROCK from ${info.Name.replace(/^\//, '')}` },
      _body: {
        // An explicit [] (not null) stops the daemon from inheriting the sandbox's rocklet entrypoint.
        Entrypoint: config.Entrypoint ?? [],
        Cmd: config.Cmd ?? [],
        Env: [...(config.Env ?? []), 'ROCKLET_TOKEN='],
        Labels: blankedLabels(info.Config.Labels ?? {}, config.Labels ?? {}),
        WorkingDir: config.WorkingDir ?? '',
        User: config.User ?? '',
      },
    };
    const result = (await docker.getContainer(info.Id).commit(request)) as { Id: string };
    return { imageId: result.Id, imageTag: `${repo}:${tag}` };
  } catch (err) {
    throw fromDockerError(err, `commit container ${info.Id} to ${imageTag}`);
  }
}
