import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { load } from 'js-yaml';
import { ALL_METRIC_NAMES } from '@rock/observability';
import { findObject, renderChart } from './support/chart';
import { ensureK8sTools, REPO_DIR } from './support/k8s-tools';

// Dashboards and alert rules are tested like code (STYLE habit 12): generated from source, shipped
// unchanged in the chart, and naming only metrics the services really export.
jest.setTimeout(180_000);

const GRAFANA_DIR = join(REPO_DIR, 'deploy', 'grafana');
const DASHBOARD_FILES = ['rock-overview.json', 'rock-lifecycle.json'];
const HISTOGRAM_SUFFIX = /_(bucket|count|sum)$/;

interface Dashboard { uid: string; panels: { type: string; title: string; targets?: { expr: string }[] }[] }
interface RuleFile { groups: { name: string; rules: { alert: string; expr: string; labels: { severity: string }; annotations: { summary: string } }[] }[] }

const dashboards = (): Dashboard[] => DASHBOARD_FILES.map((f) => JSON.parse(readFileSync(join(GRAFANA_DIR, f), 'utf8')) as Dashboard);
const rules = (): RuleFile => load(readFileSync(join(REPO_DIR, 'deploy', 'prometheus', 'rules.yaml'), 'utf8')) as RuleFile;

/** Metric names in a PromQL expression: identifiers starting rock_, histogram suffixes removed. */
function metricsOf(expr: string): string[] {
  return [...expr.matchAll(/\brock_[a-z_]+\b/g)].map((m) => m[0].replace(HISTOGRAM_SUFFIX, ''));
}

function balanced(expr: string): boolean {
  const pairs: Record<string, string> = { ')': '(', '}': '{', ']': '[' };
  const stack: string[] = [];
  for (const ch of expr.replace(/"[^"]*"/g, '""')) {
    if ('({['.includes(ch)) stack.push(ch);
    else if (pairs[ch] && stack.pop() !== pairs[ch]) return false;
  }
  return stack.length === 0;
}

test('the committed dashboards are what generate.mjs renders from queries.mjs', async () => {
  const run = promisify(execFile);
  await expect(run(process.execPath, [join(GRAFANA_DIR, 'generate.mjs'), '--check'], { timeout: 60_000 })).resolves.toBeDefined();
});

test('every dashboard query names only exported metrics, and every exported metric is on a dashboard', () => {
  const exported = new Set<string>(ALL_METRIC_NAMES);
  const used = new Set<string>();
  for (const dashboard of dashboards()) {
    for (const panel of dashboard.panels.filter((p) => p.type !== 'row')) {
      expect(panel.targets?.length).toBeGreaterThan(0);
      for (const { expr } of panel.targets ?? []) {
        const names = metricsOf(expr);
        expect(names.length).toBeGreaterThan(0);
        expect({ panel: panel.title, unknown: names.filter((n) => !exported.has(n)) }).toEqual({ panel: panel.title, unknown: [] });
        expect({ expr, balanced: balanced(expr) }).toEqual({ expr, balanced: true });
        names.forEach((n) => used.add(n));
      }
    }
  }
  expect(ALL_METRIC_NAMES.filter((n) => !used.has(n))).toEqual([]);
});

test('metricsOf finds a misspelt metric (the check can fail)', () => {
  expect(metricsOf('sum(rate(rock_sandbox_startup_seconds_bucket[5m]))')).toEqual(['rock_sandbox_startup_seconds']);
  expect(ALL_METRIC_NAMES).not.toContain('rock_sandbox_startup_seconds');
});

test('alert rules cover queue depth, startup failures, admission rejections and lost sandboxes with exported metrics', () => {
  const all = rules().groups.flatMap((g) => g.rules);
  const exported = new Set<string>(ALL_METRIC_NAMES);
  for (const rule of all) {
    expect(rule.labels.severity).toMatch(/^(warning|critical)$/);
    expect(rule.annotations.summary.length).toBeGreaterThan(10);
    expect({ alert: rule.alert, unknown: metricsOf(rule.expr).filter((n) => !exported.has(n)) }).toEqual({ alert: rule.alert, unknown: [] });
    expect(balanced(rule.expr)).toBe(true);
  }
  const byMetric = (metric: string): string[] => all.filter((r) => metricsOf(r.expr).includes(metric)).map((r) => r.alert);
  expect(byMetric('rock_queue_depth')).toContain('RockLifecycleQueueBacklog');
  expect(byMetric('rock_sandbox_startup_duration_seconds')).toContain('RockSandboxStartupFailures');
  expect(byMetric('rock_admission_rejections_total')).toContain('RockAdmissionRejections');
  expect(byMetric('rock_reconciler_actions_total')).toContain('RockReconcilerLostSandboxes');
});

test('the chart ships the same dashboards in a ConfigMap labelled for the Grafana sidecar', async () => {
  const tools = await ensureK8sTools();
  const rendered = await renderChart(tools.helm, { set: { 'metrics.dashboards.enabled': 'true' } });
  expect(rendered.code).toBe(0);
  const configMap = findObject(rendered.objects, 'ConfigMap', '-dashboards');
  expect(configMap.metadata.labels?.grafana_dashboard).toBe('1');
  const data = configMap.data as Record<string, string>;
  expect(Object.keys(data).sort()).toEqual([...DASHBOARD_FILES].sort());
  for (const file of DASHBOARD_FILES) expect(`${data[file]}\n`).toBe(readFileSync(join(GRAFANA_DIR, file), 'utf8'));
  const off = await renderChart(tools.helm, {});
  expect(off.objects.filter((o) => o.kind === 'ConfigMap')).toEqual([]);
});
