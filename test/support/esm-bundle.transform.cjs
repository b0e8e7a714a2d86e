// Jest transformer for ES-module-only packages (today: @kubernetes/client-node's entry point).
// Jest on Node 20 cannot require() an ES module (it can from Node 24.9), while `node dist/...`
// can (require(esm)). So under Jest the entry file is replaced by one CommonJS bundle of the
// package and its ESM dependencies, built with esbuild; undici stays external so the package uses
// the root undici 7, as it does at run time (package.json "overrides"). Jest caches the result.
const { buildSync } = require('esbuild');
const { createHash } = require('node:crypto');
const { readFileSync } = require('node:fs');
const { dirname, join } = require('node:path');

const EXTERNAL = ['undici'];

function packageVersion(filename) {
  for (let dir = dirname(filename); dir !== dirname(dir); dir = dirname(dir)) {
    try {
      return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version ?? '';
    } catch {
      // keep walking up
    }
  }
  return '';
}

module.exports = {
  process(_source, filename) {
    const out = buildSync({
      entryPoints: [filename], bundle: true, platform: 'node', format: 'cjs', target: 'node20',
      external: EXTERNAL, write: false, logLevel: 'error',
    });
    return { code: out.outputFiles[0].text };
  },
  getCacheKey(source, filename) {
    const self = readFileSync(__filename, 'utf8');
    return createHash('sha256').update(self).update(filename).update(packageVersion(filename)).update(source).digest('hex');
  },
};
