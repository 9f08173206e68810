import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import type { DbHandle } from '@/db/client';
import { analysisRuns, models, releases } from '@/db/schema';
import type { MetricVerdict } from '@/lib/domain/canary-judge';
import { METRICS_PRESETS, presetSource, type MetricsPreset, type MetricsSource } from '@/lib/domain/metrics-presets';
import { quantileFromHistogram } from '@/lib/domain/statistics';
import { controllerTick } from '@/lib/server/controller/tick';
import { pullPrometheusSamples } from '@/lib/server/prometheus-provider';
import { requestRelease, startRelease, updateAnalysis, updateMetricsSource } from '@/lib/services';
import { liveModel } from '../support/experiment-fixtures';
import { setUp } from '../support/fixtures';
import { startModelServerExporter, type VersionProfile } from '../support/model-server-exporter';
import { prometheusBinary, startPrometheus } from '../support/prometheus-server';
import { openTestDatabase, targets } from '../support/test-db';

/**
 * The model-server presets against a real Prometheus (Debian's package) scraping an exporter that
 * emits Triton's, TorchServe's, BentoML's and KServe's metric names: the rendered PromQL must
 * parse, select the right series and give the counts the servers produced; then the controller,
 * pointed at that Prometheus, must judge a bad canary from them.
 */
const binary = prometheusBinary();
const SERVICE = 'fraud-detector';

// 400 req/s at 1 % errors against a canary at 100 req/s (20 % of traffic) failing 20 %, slower.
const BASELINE: VersionProfile = { version: '1.0.0', requestsPerSecond: 400, errorRatio: 0.01, latency: [[0.005, 0.5], [0.025, 0.9], [0.1, 0.99], [0.5, 1]] };
const CANARY: VersionProfile = { version: '1.1.0', requestsPerSecond: 100, errorRatio: 0.2, latency: [[0.005, 0.1], [0.025, 0.3], [0.1, 0.9], [0.5, 1]] };

/** Triton's own version label is the repository directory: the scrape's pod label carries ours. */
const SOURCES: Record<MetricsPreset, MetricsSource> = {
  triton: { preset: 'triton', versionLabel: 'app_kubernetes_io_version' },
  torchserve: { preset: 'torchserve' },
  bentoml: { preset: 'bentoml' },
  kserve: { preset: 'kserve' },
};
const HAS_LATENCY: Record<MetricsPreset, boolean> = { triton: false, torchserve: false, bentoml: true, kserve: true };

describe.skipIf(!binary)('model-server presets against a real Prometheus', () => {
  let prometheus: { url: string; stop: () => Promise<void> };
  let exporter: { url: string; close: () => Promise<void> };
  // Wide enough that a few late scrapes on a loaded CI machine still leave samples to increase() over.
  const window = 20;

  beforeAll(async () => {
    exporter = await startModelServerExporter({ triton: SERVICE, torchserve: SERVICE, bentoml: SERVICE, kserve: SERVICE }, [BASELINE, CANARY]);
    prometheus = await startPrometheus(binary!, [exporter.url]);
    // Enough scrapes that a window of `window` seconds ending 3 s ago is fully covered.
    const deadline = Date.now() + 45_000;
    for (;;) {
      const body = await fetch(`${prometheus.url}/api/v1/query?query=${encodeURIComponent('count_over_time(ts_inference_requests_total[1m])')}`).then((r) => r.json() as Promise<{ data?: { result?: { value: [number, string] }[] } }>);
      const scrapes = Number(body.data?.result?.[0]?.value[1] ?? 0);
      if (scrapes >= window + 6) break;
      if (Date.now() > deadline) throw new Error(`Prometheus scraped the exporter only ${scrapes} times in 45 s`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }, 60_000);
  /** The time of Prometheus's latest scrape of the exporter: windows end there, so they are covered. */
  const lastScrape = async () => {
    const body = (await (await fetch(`${prometheus.url}/api/v1/query?query=${encodeURIComponent('max(timestamp(up{job="model-servers"}))')}`)).json()) as { data: { result: { value: [number, string] }[] } };
    return new Date(Math.floor(Number(body.data.result[0]!.value[1])) * 1000);
  };
  afterAll(async () => {
    await prometheus?.stop();
    await exporter?.close();
  });

  it.each(METRICS_PRESETS)('%s: requests, errors and latency per version, as the server counted them', async (preset) => {
    const end = await lastScrape();
    const start = new Date(end.getTime() - window * 1000);
    const samples = await pullPrometheusSamples({
      baseUrl: prometheus.url,
      source: presetSource(SOURCES[preset]),
      release: { id: '00000000-0000-4000-8000-000000000001', service: SERVICE, environment: 'production', baselineVersion: '1.0.0', canaryVersion: '1.1.0' },
      start,
      end,
    });
    const find = (variant: string, metric: string) => samples.find((s) => s.variant === variant && s.metric === metric);
    for (const [variant, profile] of [['baseline', BASELINE], ['canary', CANARY]] as const) {
      const counter = find(variant, 'error_rate');
      expect(counter, `${variant} error_rate`).toBeDefined();
      // increase() extrapolates to the window's edges: within 10 % of rate × window.
      expect(counter!.count).toBeGreaterThan(profile.requestsPerSecond * window * 0.9);
      expect(counter!.count).toBeLessThan(profile.requestsPerSecond * window * 1.1);
      expect(counter!.errors / counter!.count).toBeCloseTo(profile.errorRatio, 3);
      const latency = find(variant, 'latency');
      if (!HAS_LATENCY[preset]) {
        expect(latency).toBeUndefined();
        continue;
      }
      // Bounds in milliseconds whatever unit the server uses; the +Inf overflow is in the last bucket.
      expect(latency!.histogram!.map((b) => b.le)).toEqual([5, 25, 100, 500]);
      expect(latency!.count).toBeCloseTo(counter!.count, 0);
      expect(latency!.histogram![0]!.count / latency!.count).toBeCloseTo(profile.latency[0]![1], 3);
    }
    if (HAS_LATENCY[preset]) {
      const median = (variant: string) => quantileFromHistogram(find(variant, 'latency')!.histogram!, 0.5);
      expect(median('canary')!).toBeGreaterThan(median('baseline')!);
    }
  });

  describe.each(targets)('the controller, pulling from it, judges the canary on $name', ({ name }) => {
    let handle: DbHandle;
    beforeAll(async () => {
      handle = await openTestDatabase(name);
    });
    afterAll(async () => handle?.close());

    it('fails the error rate from each preset, with the numbers the servers exported', async () => {
      const db = handle.db;
      const started: { preset: MetricsPreset; releaseId: string }[] = [];
      for (const preset of METRICS_PRESETS) {
        const target = await liveModel(db);
        // The exporter knows the model as "fraud-detector": the label value overrides the serving service.
        await updateMetricsSource(setUp(db), { model: target.model, source: { ...SOURCES[preset], modelLabelValue: preset === 'kserve' ? `${SERVICE}-predictor` : SERVICE } });
        await updateAnalysis(setUp(db), {
          environment: target.environment,
          intervalSeconds: window,
          config: {
            metrics: [
              { name: 'error_rate', kind: 'rate', critical: true, minSamples: 200, allowedRelative: 0.2, allowedAbsolute: 0.002 },
              { name: 'latency', kind: 'latency', quantile: 0.5, minSamples: 200, allowedRelative: 0.1, allowedAbsolute: 1, noData: 'ignore' },
            ],
          },
        });
        const release = await requestRelease(setUp(db), { model: target.model, version: '1.1.0', environment: target.environment, strategy: 'canary', plan: [{ weight: 20, holdSeconds: 300, analysisRequired: true }, { weight: 100 }] });
        await startRelease(setUp(db), { releaseId: release.id });
        started.push({ preset, releaseId: release.id });
      }
      // The first step began one interval (plus the late-sample grace) before the latest scrape.
      const now = new Date((await lastScrape()).getTime() + 2000);
      for (const { releaseId } of started) await db.update(releases).set({ stepStartedAt: new Date(now.getTime() - (window + 2) * 1000) }).where(eq(releases.id, releaseId));

      const previous = process.env.FLIGHTDECK_PROMETHEUS_URL;
      process.env.FLIGHTDECK_PROMETHEUS_URL = prometheus.url;
      try {
        await controllerTick(db, now);
      } finally {
        if (previous === undefined) delete process.env.FLIGHTDECK_PROMETHEUS_URL;
        else process.env.FLIGHTDECK_PROMETHEUS_URL = previous;
      }

      for (const { preset, releaseId } of started) {
        const [run] = await db.select().from(analysisRuns).where(and(eq(analysisRuns.releaseId, releaseId), eq(analysisRuns.step, 0)));
        expect(run, `${preset}: an analysis run`).toBeDefined();
        const metrics = run!.metrics as MetricVerdict[];
        const errorRate = metrics.find((m) => m.metric === 'error_rate')!;
        expect({ preset, verdict: run!.verdict, outcome: errorRate.outcome }).toEqual({ preset, verdict: 'fail', outcome: 'fail' });
        expect(errorRate.numbers.baseline).toBeCloseTo(BASELINE.errorRatio, 3);
        expect(errorRate.numbers.canary).toBeCloseTo(CANARY.errorRatio, 3);
        const latency = metrics.find((m) => m.metric === 'latency')!;
        expect({ preset, latency: latency.outcome }).toEqual({ preset, latency: HAS_LATENCY[preset] ? 'fail' : 'no_data' });
      }
      // The model row keeps the preset the controller used.
      const [stored] = await db.select({ source: models.metricsSource }).from(models).innerJoin(releases, eq(releases.modelId, models.id)).where(eq(releases.id, started[0]!.releaseId));
      expect(stored!.source).toEqual({ ...SOURCES.triton, modelLabelValue: SERVICE });
    }, 60_000);
  });
});
