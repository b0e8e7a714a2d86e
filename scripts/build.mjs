#!/usr/bin/env node
// Compiles services/ and libs/ (TypeScript, Nest decorators + metadata) to dist/ with swc,
// rewriting the @rock/<lib> path aliases to relative imports so `node dist/...` needs no loader.
// Type checking is `npm run typecheck` (tsc); this step only transpiles, so it takes seconds.
import { transformFile } from '@swc/core';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsconfig = JSON.parse(readFileSync(join(root, 'tsconfig.json'), 'utf8'));
const paths = tsconfig.compilerOptions.paths;
const roots = ['services', 'libs', 'test/support'];

async function* walk(dir) {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'node_modules') yield* walk(p);
    } else if (e.name.endsWith('.ts') && !e.name.endsWith('.spec.ts') && !e.name.endsWith('.d.ts')) {
      yield p;
    }
  }
}

const started = Date.now();
let count = 0;
const jobs = [];
for (const r of roots) {
  for await (const file of walk(join(root, r))) {
    count += 1;
    jobs.push(
      (async () => {
        const out = join(root, 'dist', relative(root, file)).replace(/\.ts$/, '.js');
        const { code, map } = await transformFile(file, {
          configFile: join(root, '.swcrc'),
          jsc: { baseUrl: root, paths },
          sourceFileName: relative(dirname(out), file),
          sourceMaps: true,
        });
        await mkdir(dirname(out), { recursive: true });
        await writeFile(out, `${code}\n//# sourceMappingURL=${out.split('/').pop()}.map\n`);
        if (map) await writeFile(`${out}.map`, map);
      })(),
    );
  }
}
await Promise.all(jobs);
console.log(`build: ${count} files compiled to dist/ in ${Date.now() - started} ms`);
