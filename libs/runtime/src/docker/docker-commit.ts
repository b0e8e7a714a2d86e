import type Dockerode from 'dockerode';
import { RuntimeError } from '../runtime.errors';
import type { CommitResult } from '../runtime.types';
import { fromDockerError } from './docker-errors';

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
 * command, env and labels, so it neither depends on the rocklet mount nor carries the sandbox's
 * token or ROCK's management labels.
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
        Entrypoint: config.Entrypoint ?? null,
        Cmd: config.Cmd ?? null,
        Env: config.Env ?? [],
        Labels: config.Labels ?? {},
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
