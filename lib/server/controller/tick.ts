import { and, asc, desc, eq } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { analysisRuns, environments, models, modelVersions, releases, releaseSteps } from '@/db/schema';
import { MetricsSource, presetSource } from '@/lib/domain/metrics-presets';
import { PrometheusSource } from '@/lib/domain/promql';
import { childSpan, formatTraceparent, parseTraceparent } from '@/lib/domain/trace-context';
import { recordSpan } from '../observability/tracing';
import { advanceRelease, createAuditCheckpoint, evaluateDrift, evaluateSlos, ingestMetrics, observeAnalysis, pauseRelease, rollbackRelease } from '@/lib/services';
import { configuredPrometheus, pullPrometheusSamples } from '../prometheus-provider';
import type { Database } from '@/db';
import { systemActor } from '@/lib/auth/system-actor';
import { AnalysisConfig, DEFAULT_ANALYSIS, judgeInterval, judgeRelease } from '@/lib/domain/canary-judge';
import { recordAnalysis } from '@/lib/services/analysis/record-analysis';
import { AppError } from '@/lib/services/errors';
import { intervalData } from './interval-data';
import { errorText, log } from '../log';

const actor = systemActor('controller');
const baselineVersion = alias(modelVersions, 'baseline_version');
/** At most this many intervals are judged per release per tick (catching up after downtime). */
const MAX_INTERVALS_PER_TICK = 5;
/** Samples of an interval's last second arrive a moment after it ends; judge once they had time to. */
export const LATE_SAMPLE_GRACE_MS = 2000;

export type TickReport = { releases: number; analysed: number; advanced: number; rolledBack: number; paused: number; driftWindows: number; slos: number };

const SLO_EVERY_MS = 15_000;
let lastSloSlot = -1;
const CHECKPOINT_EVERY_MS = 10 * 60_000;
let lastCheckpointSlot = -1;

/**
 * One pass of the controller over every running release. Stateless: everything it needs is in
 * the database, and everything it changes goes through the use cases (row locks, legality,
 * audit), so a restarted controller continues where the last one stopped, and a transition that
 * another actor made first is simply refused as illegal.
 */
export async function controllerTick(db: Database, now = new Date()): Promise<TickReport> {
  const report: TickReport = { releases: 0, analysed: 0, advanced: 0, rolledBack: 0, paused: 0, driftWindows: 0, slos: 0 };
  const running = await db.select().from(releases).where(eq(releases.state, 'running')).orderBy(asc(releases.updatedAt));
  for (const release of running) {
    report.releases += 1;
    try {
      await stepRelease(db, release, now, report);
    } catch (error) {
      // Another actor changed the release between our read and our action: it is not ours now.
      if (error instanceof AppError && error.code === 'conflict') continue;
      throw error;
    }
  }
  const caller = { actor, db, now, request: { via: 'system' as const, requestId: `controller:${now.toISOString()}` } };
  // New drift windows through the alert rules (pending → firing → resolved).
  const drift = await evaluateDrift(caller, {});
  report.driftWindows = drift.evaluated;
  // SLO burn rates every SLO_EVERY_MS: their shortest window is 5 minutes, so once per tick would only cost.
  const slot = Math.floor(now.getTime() / SLO_EVERY_MS);
  if (slot !== lastSloSlot) {
    lastSloSlot = slot;
    report.slos = (await evaluateSlos(caller, {})).evaluated;
  }
  // A signed checkpoint of the audit chain's head every CHECKPOINT_EVERY_MS (truncation evidence).
  const checkpointSlot = Math.floor(now.getTime() / CHECKPOINT_EVERY_MS);
  if (checkpointSlot !== lastCheckpointSlot) {
    lastCheckpointSlot = checkpointSlot;
    await createAuditCheckpoint(caller, {});
  }
  return report;
}

/** One controller step of one release, as a span in the release's trace (when traces are exported). */
async function stepRelease(db: Database, release: typeof releases.$inferSelect, now: Date, report: TickReport) {
  // The controller's steps continue the trace of whoever last acted on the release (W3C traceparent).
  const parent = parseTraceparent(release.traceParent);
  const traceparent = formatTraceparent(childSpan(parent));
  const before = { ...report };
  const startMs = Date.now();
  let failure: string | undefined;
  try {
    await stepReleaseIn(db, release, now, report, traceparent);
  } catch (error) {
    failure = errorText(error);
    throw error;
  } finally {
    recordSpan({
      traceparent,
      parentSpanId: parent?.spanId,
      name: 'controller.step',
      kind: 'internal',
      startMs,
      endMs: Date.now(),
      attributes: {
        'flightdeck.release_id': release.id,
        'flightdeck.step': release.currentStep,
        'flightdeck.analysed': report.analysed - before.analysed,
        'flightdeck.advanced': report.advanced - before.advanced,
        'flightdeck.rolled_back': report.rolledBack - before.rolledBack,
        'flightdeck.paused': report.paused - before.paused,
      },
      error: failure,
    });
  }
}

async function stepReleaseIn(db: Database, release: typeof releases.$inferSelect, now: Date, report: TickReport, traceparent: string) {
  const caller = { actor, db, now, request: { via: 'system' as const, requestId: `controller:${now.toISOString()}`, traceparent } };
  const [env] = await db.select().from(environments).where(eq(environments.id, release.environmentId));
  const steps = await db.select().from(releaseSteps).where(eq(releaseSteps.releaseId, release.id)).orderBy(asc(releaseSteps.position));
  const step = steps[release.currentStep];
  if (!env || !step || !release.stepStartedAt) return;
  const parsed = AnalysisConfig.safeParse(env.analysisConfig);
  const config = parsed.success && parsed.data.metrics.length ? parsed.data : DEFAULT_ANALYSIS;
  const intervalMs = env.analysisIntervalSeconds * 1000;

  let lastVerdict: string | null = null;
  let judgedUntil = release.stepStartedAt.getTime();
  let extend = false;
  if (step.analysisRequired) {
    const [last] = await db
      .select()
      .from(analysisRuns)
      .where(and(eq(analysisRuns.releaseId, release.id), eq(analysisRuns.step, release.currentStep)))
      .orderBy(desc(analysisRuns.intervalStart))
      .limit(1);
    lastVerdict = last?.verdict ?? null;
    if (last) judgedUntil = last.intervalEnd.getTime();
    let start = last && last.intervalEnd > release.stepStartedAt ? last.intervalEnd : release.stepStartedAt;
    for (let i = 0; i < MAX_INTERVALS_PER_TICK && start.getTime() + intervalMs + LATE_SAMPLE_GRACE_MS <= now.getTime(); i++) {
      const end = new Date(start.getTime() + intervalMs);
      await pullFromPrometheus(db, release, env, start, end, caller);
      const data = await intervalData(db, release.id, config, start, end);
      const verdict = judgeInterval({ config, baseline: data.baseline, canary: data.canary, weight: release.currentWeight });
      const { recorded } = await recordAnalysis(caller, {
        releaseId: release.id,
        step: release.currentStep,
        intervalStart: start,
        intervalEnd: end,
        verdict: verdict.verdict,
        score: verdict.score,
        metrics: verdict.metrics,
        summary: verdict.summary,
        evidence: { split: verdict.split, minimumDetectableEffect: verdict.minimumDetectableEffect, extendStep: verdict.extendStep },
      });
      // Another tick judged this interval first: it owns this release for now.
      if (!recorded) return;
      await observeAnalysis(caller, { releaseId: release.id, verdict: verdict.verdict, at: end, summary: verdict.summary });
      report.analysed += 1;
      lastVerdict = verdict.verdict;
      judgedUntil = end.getTime();
      extend = verdict.extendStep;
      const history = (await db.select({ verdict: analysisRuns.verdict }).from(analysisRuns).where(eq(analysisRuns.releaseId, release.id)).orderBy(asc(analysisRuns.intervalStart))).map(
        (r) => r.verdict as 'pass' | 'marginal' | 'fail' | 'inconclusive',
      );
      const judgement = judgeRelease(history, config);
      if (judgement.action === 'rollback') {
        await rollbackRelease(caller, { releaseId: release.id, reason: `Automatic rollback by the controller: ${judgement.reason} Last interval: ${verdict.summary}`.slice(0, 500) });
        report.rolledBack += 1;
        return;
      }
      if (judgement.action === 'pause') {
        await pauseRelease(caller, { releaseId: release.id, reason: `Paused by the controller: ${judgement.reason}`.slice(0, 500) });
        report.paused += 1;
        return;
      }
      start = end;
    }
  }

  const holdEnd = release.stepStartedAt.getTime() + step.holdSeconds * 1000;
  const holdOver = now.getTime() >= holdEnd;
  // Every interval of the hold must have been judged (the last one is judged a moment after it
  // ends), so a regression in the second half of a step is seen at that step's weight.
  const analysisOk = !step.analysisRequired || ((lastVerdict === 'pass' || lastVerdict === 'marginal') && !extend && judgedUntil >= holdEnd);
  // A manual gate waits for a human to advance or promote.
  if (holdOver && analysisOk && !step.manualGate) {
    await advanceRelease(caller, { releaseId: release.id, fromStep: release.currentStep, reason: step.analysisRequired ? `Analysis ${lastVerdict} and hold of ${step.holdSeconds} s over` : `Hold of ${step.holdSeconds} s over` });
    report.advanced += 1;
  }
}

/**
 * When the model names a model-server preset, or else the environment names Prometheus templates,
 * and FLIGHTDECK_PROMETHEUS_URL is set, the interval's samples are pulled and stored through the
 * same ingest use case as pushed ones. A failing Prometheus is logged; the interval then has no
 * data and follows the no-data policy.
 */
async function pullFromPrometheus(
  db: Database,
  release: typeof releases.$inferSelect,
  env: typeof environments.$inferSelect,
  start: Date,
  end: Date,
  caller: Parameters<typeof ingestMetrics>[0],
) {
  const prometheus = configuredPrometheus();
  if (!prometheus) return;
  const [names] = await db
    .select({ service: models.servingService, metricsSource: models.metricsSource, version: modelVersions.version, baseline: baselineVersion.version })
    .from(releases)
    .innerJoin(models, eq(models.id, releases.modelId))
    .innerJoin(modelVersions, eq(modelVersions.id, releases.versionId))
    .leftJoin(baselineVersion, eq(baselineVersion.id, releases.baselineVersionId))
    .where(eq(releases.id, release.id));
  if (!names?.baseline) return;
  const source = releaseMetricsSource(names.metricsSource, env.analysisConfig);
  if (!source) return;
  try {
    const samples = await pullPrometheusSamples({
      baseUrl: prometheus.baseUrl,
      source,
      release: { id: release.id, service: names.service, environment: env.name, baselineVersion: names.baseline, canaryVersion: names.version },
      start,
      end,
    });
    if (samples.length) await ingestMetrics(caller, { samples });
  } catch (error) {
    log('error', 'controller could not pull metrics from Prometheus', { error: errorText(error), releaseId: release.id, traceId: caller.request?.traceparent?.split('-')[1] });
  }
}

/** The model's preset wins over the environment's templates: it knows what its server exports. */
function releaseMetricsSource(modelSource: unknown, analysisConfig: unknown): PrometheusSource | null {
  const preset = MetricsSource.safeParse(modelSource);
  if (preset.success) return presetSource(preset.data);
  const templates = PrometheusSource.safeParse((analysisConfig as { prometheus?: unknown }).prometheus);
  return templates.success ? templates.data : null;
}
