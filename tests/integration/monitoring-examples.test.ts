import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metrics } from '@/lib/server/observability/metrics';
import { prometheusBinary, startPrometheus } from '../support/prometheus-server';

/**
 * The monitoring hand-off under examples/ must not rot: the Grafana dashboard's queries are valid
 * PromQL (asked of a real Prometheus) over metric names Flightdeck really exports, and the
 * Prometheus config passes promtool.
 */
type Panel = { type: string; title: string; targets?: { expr: string }[]; fieldConfig?: { defaults?: { unit?: string } } };
const dashboard = JSON.parse(readFileSync('examples/grafana/flightdeck.json', 'utf8')) as { uid: string; panels: Panel[]; templating: { list: { name: string; query: unknown }[] } };
const queries = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title, expr: t.expr })));
/** Grafana's variables as a query would see them. */
const concrete = (expr: string) => expr.replace(/\$__rate_interval/g, '1m').replace(/\$(release|model|environment|job)\b/g, '.*');

describe('the Grafana dashboard', () => {
  it('has a unit and at least one query on every panel', () => {
    const panels = dashboard.panels.filter((p) => p.type !== 'row');
    expect(panels.length).toBeGreaterThanOrEqual(10);
    for (const p of panels) {
      expect(p.targets?.length, p.title).toBeGreaterThan(0);
      expect(p.fieldConfig?.defaults?.unit, p.title).toBeTruthy();
    }
  });

  it('reads only metrics Flightdeck exports', async () => {
    const exported = new Set((await metrics().registry.getMetricsAsJSON()).map((m) => m.name));
    const used = new Set([...queries.map((q) => q.expr), ...dashboard.templating.list.map((v) => JSON.stringify(v.query))].flatMap((text) => text.match(/\bflightdeck_[a-z0-9_]+/g) ?? []));
    expect(used.size).toBeGreaterThan(8);
    for (const name of used) expect(exported.has(name.replace(/_(bucket|count|sum)$/, '')), name).toBe(true);
  });
});

const binary = prometheusBinary();
describe.skipIf(!binary)('with a real Prometheus', () => {
  let prometheus: { url: string; stop: () => Promise<void> };
  beforeAll(async () => {
    prometheus = await startPrometheus(binary!, []);
  }, 30_000);
  afterAll(async () => prometheus?.stop());

  it('every dashboard query parses', async () => {
    expect(queries.length).toBeGreaterThan(10);
    for (const { panel, expr } of queries) {
      const res = await fetch(`${prometheus.url}/api/v1/query?query=${encodeURIComponent(concrete(expr))}`);
      const body = (await res.json()) as { status: string; error?: string };
      expect({ panel, status: body.status, error: body.error }).toEqual({ panel, status: 'success', error: undefined });
    }
  });

  it('the example Prometheus config passes promtool', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fd-promtool-'));
    try {
      // promtool checks that the credentials file exists: point it at a scratch one.
      writeFileSync(join(dir, 'key'), 'fd_example');
      let config = readFileSync('examples/prometheus/prometheus.yml', 'utf8').replace('/etc/prometheus/flightdeck-api-key', join(dir, 'key'));
      const check = () => {
        writeFileSync(join(dir, 'prometheus.yml'), config);
        return spawnSync('promtool', ['check', 'config', join(dir, 'prometheus.yml')], { encoding: 'utf8' });
      };
      let result = check();
      // Debian builds Prometheus without Kubernetes discovery: check the rest with a static target there.
      if (result.status !== 0 && /field kubernetes_sd_configs not found/.test(result.stdout + result.stderr)) {
        config = config.replace(/kubernetes_sd_configs:\n\s+- role: pod/, 'static_configs:\n      - targets: ["model-server:8002"]');
        result = check();
      }
      expect(result.status, result.stdout + result.stderr).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
