import { createWriteStream } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import * as yauzl from 'yauzl';
import { RockletErrorClass } from '@rock/contracts';
import { RockletError } from '../errors';
import { makeDirectories } from './make-directories';

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

function openZip(path: string): Promise<yauzl.ZipFile> {
  return new Promise((ok, fail) => {
    yauzl.open(path, { lazyEntries: true, autoClose: true }, (err, zip) => (err ? fail(err) : ok(zip)));
  });
}

function openEntry(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<NodeJS.ReadableStream> {
  return new Promise((ok, fail) => {
    zip.openReadStream(entry, (err, stream) => (err ? fail(err) : ok(stream)));
  });
}

/** Where `name` lands under `root`, or null when it would escape it (zip-slip). */
export function entryDestination(root: string, name: string): string | null {
  const dest = resolve(root, name);
  return dest === root || dest.startsWith(root.endsWith(sep) ? root : root + sep) ? dest : null;
}

async function extractEntry(zip: yauzl.ZipFile, entry: yauzl.Entry, root: string): Promise<number> {
  const dest = entryDestination(root, entry.fileName);
  if (dest === null) {
    throw new RockletError(RockletErrorClass.InvalidParameter, `zip entry '${entry.fileName}' points outside the target directory`);
  }
  if (entry.fileName.endsWith('/')) {
    await makeDirectories(dest);
    return 0;
  }
  const mode = (entry.externalFileAttributes >>> 16) & 0xffff;
  if ((mode & S_IFMT) === S_IFLNK) return 0; // symlinks are skipped: they could point anywhere
  await makeDirectories(dirname(dest));
  const source = await openEntry(zip, entry);
  await pipeline(source, createWriteStream(dest, { mode: mode & 0o777 || 0o644 }));
  return 1;
}

/** Extracts the zip at `zipPath` into `targetDir` entry by entry (streamed); returns files written. */
export async function extractZip(zipPath: string, targetDir: string): Promise<number> {
  const root = resolve(targetDir);
  await makeDirectories(root);
  let zip: yauzl.ZipFile;
  try {
    zip = await openZip(zipPath);
  } catch (err) {
    throw new RockletError(RockletErrorClass.InvalidParameter, `file: not a valid zip archive (${(err as Error).message})`);
  }
  return new Promise<number>((ok, fail) => {
    let files = 0;
    zip.on('entry', (entry: yauzl.Entry) => {
      extractEntry(zip, entry, root).then(
        (n) => {
          files += n;
          zip.readEntry();
        },
        (err: unknown) => {
          zip.close();
          fail(err);
        },
      );
    });
    zip.on('end', () => ok(files));
    zip.on('error', (err: Error) => fail(new RockletError(RockletErrorClass.InvalidParameter, `file: bad zip archive (${err.message})`)));
    zip.readEntry();
  });
}
