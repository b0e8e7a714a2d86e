#!/usr/bin/env node
// Renders deploy/grafana/*.json (and the chart's copy in helm/rock/dashboards/) from queries.mjs.
// Layout only lives here: rows of panels on Grafana's 24-column grid.
//   node deploy/grafana/generate.mjs          write the files
//   node deploy/grafana/generate.mjs --check  exit 1 when a committed file differs from the source
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DASHBOARDS } from './queries.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const OUTPUT_DIRS = [here, join(here, '..', '..', 'helm', 'rock', 'dashboards')];
const PANEL_HEIGHT = 8;
const DATASOURCE = { type: 'prometheus', uid: '${datasource}' };

function panel(spec, id, gridPos) {
  const targets = spec.queries.map((q, i) => ({ refId: String.fromCharCode(65 + i), datasource: DATASOURCE, expr: q.expr, legendFormat: q.legend }));
  return {
    id,
    type: spec.kind ?? 'timeseries',
    title: spec.title,
    datasource: DATASOURCE,
    gridPos,
    fieldConfig: { defaults: { unit: spec.unit }, overrides: [] },
    options: spec.kind === 'stat' ? { reduceOptions: { calcs: ['lastNotNull'] } } : { legend: { displayMode: 'table', placement: 'bottom' } },
    targets,
  };
}

function layout(dashboard) {
  const panels = [];
  let y = 0;
  let id = 1;
  for (const row of dashboard.rows) {
    panels.push({ id: id++, type: 'row', title: row.title, collapsed: false, gridPos: { h: 1, w: 24, x: 0, y }, panels: [] });
    y += 1;
    const width = Math.floor(24 / row.panels.length);
    row.panels.forEach((spec, i) => panels.push(panel(spec, id++, { h: PANEL_HEIGHT, w: width, x: i * width, y })));
    y += PANEL_HEIGHT;
  }
  return panels;
}

function render(dashboard) {
  const json = {
    uid: dashboard.uid,
    title: dashboard.title,
    tags: ['rock'],
    timezone: 'utc',
    schemaVersion: 39,
    version: 1,
    editable: false,
    refresh: '30s',
    time: { from: 'now-6h', to: 'now' },
    templating: {
      list: [
        { name: 'datasource', type: 'datasource', query: 'prometheus', current: {}, hide: 0 },
        { name: 'service', type: 'custom', query: 'write,read,local', includeAll: true, multi: true, current: { text: 'All', value: '$__all' }, allValue: '.*' },
      ],
    },
    panels: layout(dashboard),
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}

const check = process.argv.includes('--check');
let stale = 0;
for (const dashboard of DASHBOARDS) {
  const text = render(dashboard);
  for (const dir of OUTPUT_DIRS) {
    const file = join(dir, `${dashboard.uid}.json`);
    if (!check) writeFileSync(file, text);
    else if (readFileOrEmpty(file) !== text) {
      console.error(`${file} is stale: run node deploy/grafana/generate.mjs`);
      stale += 1;
    }
  }
}
process.exitCode = stale > 0 ? 1 : 0;

function readFileOrEmpty(file) {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
