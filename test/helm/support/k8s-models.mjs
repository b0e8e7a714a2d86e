// Dumps the Kubernetes OpenAPI models shipped in @kubernetes/client-node (release-1.36) as
// {ModelName: {fields: {jsonName: {type, format}}, required: [jsonName]}} for the offline
// manifest validator (test/helm/support/manifest-validator.ts). Run as a child process because
// the package is ESM-only and jest runs CommonJS. Required-ness comes from the .d.ts ("'x': T"
// without "?"), which the generator writes from the OpenAPI "required" lists.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const root = dirname(require.resolve('@kubernetes/client-node/package.json'));
const modelsDir = join(root, 'dist', 'gen', 'models');

const out = {};
const pending = process.argv.slice(2);
while (pending.length > 0) {
  const name = pending.pop();
  if (out[name] || !existsSync(join(modelsDir, `${name}.js`))) continue;
  // Each model module alone: the package index pulls in an HTTP stack this Node cannot load.
  const model = (await import(join(modelsDir, `${name}.js`)))[name];
  if (typeof model?.getAttributeTypeMap !== 'function') continue;
  const dts = readFileSync(join(modelsDir, `${name}.d.ts`), 'utf8');
  const fields = {};
  const required = [];
  for (const attr of model.getAttributeTypeMap()) {
    fields[attr.baseName] = { type: attr.type, format: attr.format };
    if (new RegExp(`^\\s*'${attr.name}': `, 'm').test(dts)) required.push(attr.baseName);
    for (const ref of attr.type.match(/[A-Z][A-Za-z0-9]+/g) ?? []) pending.push(ref);
  }
  out[name] = { fields, required };
}
process.stdout.write(JSON.stringify(out));
