import { Readable } from 'node:stream';
import type Dockerode from 'dockerode';
import { RuntimeError } from '../runtime.errors';
import { dockerMessage, fromDockerError } from './docker-errors';
import { imageExists } from './docker-images';

/**
 * ROCK's own base image: an empty rootfs (just `tmp/` 1777, `etc/`, `root/`). A sandbox that only
 * needs rocklet (GEM) runs in it, because the bundle mounted at `/rock` brings node and its libs.
 * The Docker runtime imports it on demand, so it needs no registry. Default of `ROCK_GEM_IMAGE`.
 */
export const ROCK_BASE_IMAGE = 'rock/gem-base:1';
/** Label on images ROCK built itself. */
export const MANAGED_IMAGE_LABEL = 'rock.managed-image';

const BLOCK = 512;
const BASE_DIRS: ReadonlyArray<{ name: string; mode: number }> = [
  { name: 'etc/', mode: 0o755 },
  { name: 'root/', mode: 0o700 },
  { name: 'tmp/', mode: 0o1777 },
];

/** Writes `value` as a NUL-terminated octal field of `width` bytes at `offset`. */
function octal(header: Buffer, offset: number, width: number, value: number): void {
  header.write(value.toString(8).padStart(width - 1, '0') + '\0', offset, width, 'ascii');
}

/** One ustar header block of a directory entry owned by root. */
function directoryHeader(name: string, mode: number, mtime: number): Buffer {
  const header = Buffer.alloc(BLOCK);
  header.write(name, 0, 100, 'ascii');
  octal(header, 100, 8, mode);
  octal(header, 108, 8, 0); // uid
  octal(header, 116, 8, 0); // gid
  octal(header, 124, 12, 0); // size
  octal(header, 136, 12, mtime);
  header.write('5', 156, 1, 'ascii'); // typeflag: directory
  header.write('ustar\0' + '00', 257, 8, 'ascii');
  header.write('root', 265, 32, 'ascii');
  header.write('root', 297, 32, 'ascii');
  header.fill(' ', 148, 156); // checksum is computed with its own field as spaces
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8, 'ascii');
  return header;
}

/** The base rootfs as a tar archive (headers only, two zero blocks at the end). */
export function baseRootfsTar(mtime = Math.floor(Date.now() / 1000)): Buffer {
  return Buffer.concat([...BASE_DIRS.map((d) => directoryHeader(d.name, d.mode, mtime)), Buffer.alloc(BLOCK * 2)]);
}

/** Splits `repo:tag` (a registry port's colon is not a tag separator). */
function splitTag(image: string): { repo: string; tag: string } {
  const colon = image.lastIndexOf(':');
  if (colon > image.lastIndexOf('/')) return { repo: image.slice(0, colon), tag: image.slice(colon + 1) };
  return { repo: image, tag: 'latest' };
}

/** Reads the import progress stream; rejects on an `error` event. */
function drainImport(stream: NodeJS.ReadableStream, image: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let text = '';
    stream.on('data', (chunk: Buffer | string) => (text += chunk.toString()));
    stream.on('error', (err: Error) => reject(fromDockerError(err, `import image ${image}`, 'image_pull')));
    stream.on('end', () => {
      const failure = text
        .split('\n')
        .map((line) => line.trim())
        .filter(Boolean)
        .map((line) => {
          try {
            return (JSON.parse(line) as { error?: string }).error ?? null;
          } catch {
            return null;
          }
        })
        .find((error) => error);
      if (failure) reject(new RuntimeError('IMAGE_PULL_FAILED', `Importing image ${image} failed: ${failure}`, { phase: 'image_pull' }));
      else resolve();
    });
  });
}

/** Imports the base rootfs as `image`, labelled {@link MANAGED_IMAGE_LABEL}. */
export async function importBaseImage(docker: Dockerode, image: string): Promise<void> {
  const { repo, tag } = splitTag(image);
  let stream: NodeJS.ReadableStream;
  try {
    stream = await docker.importImage(Readable.from([baseRootfsTar()]), {
      repo,
      tag,
      changes: `LABEL ${MANAGED_IMAGE_LABEL}=true`,
      message: 'ROCK base image (empty rootfs; rocklet comes from the /rock bundle)',
    });
  } catch (err) {
    throw new RuntimeError('IMAGE_PULL_FAILED', `Importing image ${image} failed: ${dockerMessage(err)}`, {
      phase: 'image_pull',
      transient: true,
      cause: err,
    });
  }
  await drainImport(stream, image);
}

/**
 * Makes `image` exist by importing the base rootfs when it is missing; returns whether it imported.
 * Concurrent imports elsewhere are harmless: each one just (re)tags the same empty rootfs.
 */
export async function provisionBaseImage(docker: Dockerode, image: string): Promise<boolean> {
  if (await imageExists(docker, image)) return false;
  await importBaseImage(docker, image);
  if (!(await imageExists(docker, image))) {
    throw new RuntimeError('IMAGE_PULL_FAILED', `Image ${image} is still missing after importing it.`, { phase: 'image_pull' });
  }
  return true;
}
