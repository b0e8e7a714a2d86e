#!/usr/bin/env node
// Publish build of @rock/client: dist/index.cjs + dist/index.mjs (esbuild, one bundle each; the
// wire types from @rock/contracts are type-only imports, so nothing of it reaches run time) and
// dist/index.d.ts (tsc declarations, with @rock/contracts' declarations copied in and the alias
// rewritten to a relative path, so the package stands alone; `zod` is an optional peer for types).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..');
const root = join(pkg, '..', '..');
const out = join(pkg, 'dist');
const started = Date.now();

await rm(out, { recursive: true, force: true });
const common = { entryPoints: [join(pkg, 'src', 'index.ts')], bundle: true, platform: 'node', target: 'node20', external: ['tar'], sourcemap: true, logLevel: 'warning' };
await build({ ...common, format: 'cjs', outfile: join(out, 'index.cjs') });
await build({ ...common, format: 'esm', outfile: join(out, 'index.mjs') });

const tsc = spawnSync(
  process.execPath,
  [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(pkg, 'tsconfig.build.json')],
  { stdio: 'inherit' },
);
if (tsc.status !== 0) process.exit(tsc.status ?? 1);

const typesRoot = join(out, 'types');
async function* declarations(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* declarations(path);
    else if (entry.name.endsWith('.d.ts')) yield path;
  }
}
for await (const file of declarations(typesRoot)) {
  const text = await readFile(file, 'utf8');
  const rewritten = text.replace(/(['"])@rock\/([a-z-]+)\1/g, (_m, quote, lib) => {
    let target = relative(dirname(file), join(typesRoot, 'libs', lib, 'src', 'index'));
    if (!target.startsWith('.')) target = `./${target}`;
    return `${quote}${target}${quote}`;
  });
  if (rewritten !== text) await writeFile(file, rewritten);
}
await writeFile(join(out, 'index.d.ts'), "export * from './types/libs/client/src/index';\n");
console.log(`@rock/client: dist/index.cjs, dist/index.mjs, dist/index.d.ts in ${Date.now() - started} ms`);
