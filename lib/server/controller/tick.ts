import { and, asc, desc, eq } from 'drizzle-orm';
import { analysisRuns, environments, releases, releaseSteps } from '@/db/schema';
import type { Database } from '@/db';
import { systemActor } from '@/lib/auth/system-actor';
import { AnalysisConfig, DEFAULT_ANALYSIS, judgeInterval, judgeRelease } from '@/lib/domain/canary-judge';
import { advanceRelease, pauseRelease, rollbackRelease } from '@/lib/services';
import { recordAnalysis } from '@/lib/services/analysis/record-analysis';
import { AppError } from '@/lib/services/errors';
import { intervalData } from './interval-data';

const actor = systemActor('controller');
/** At most this many intervals are judged per release per tick (catching up after downtime). */
const MAX_INTERVALS_PER_TICK = 5;
/** Samples of an interval's last second arrive a moment after it ends; judge once they had time to. */
export const LATE_SAMPLE_GRACE_MS = 2000;

export type TickReport = { releases: number; analysed: number; advanced: number; rolledBack: number; paused: number };

/**
 * One pass of the controller over every running release. Stateless: everything it needs is in
 * the database, and everything it changes goes through the use cases (row locks, legality,
 * audit), so a restarted controller continues where the last one stopped, and a transition that
 * another actor made first is simply refused as illegal.
 */
export async function controllerTick(db: Database, now = new Date()): Promise<TickReport> {
  const report: TickReport = { releases: 0, analysed: 0, advanced: 0, rolledBack: 0, paused: 0 };
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
  return report;
}

async function stepRelease(db: Database, release: typeof releases.$inferSelect, now: Date, report: TickReport) {
  const caller = { actor, db, now, request: { via: 'system' as const, requestId: `controller:${now.toISOString()}` } };
  const [env] = await db.select().from(environments).where(eq(environments.id, release.environmentId));
  const steps = await db.select().from(releaseSteps).where(eq(releaseSteps.releaseId, release.id)).orderBy(asc(releaseSteps.position));
  const step = steps[release.currentStep];
  if (!env || !step || !release.stepStartedAt) return;
  const parsed = AnalysisConfig.safeParse(env.analysisConfig);
  const config = parsed.success && parsed.data.metrics.length ? parsed.data : DEFAULT_ANALYSIS;
  const intervalMs = env.analysisIntervalSeconds * 1000;

  let lastVerdict: string | null = null;
  let extend = false;
  if (step.analysisRequired) {
    const [last] = await db
      .select()
      .from(analysisRuns)
      .where(and(eq(analysisRuns.releaseId, release.id), eq(analysisRuns.step, release.currentStep)))
      .orderBy(desc(analysisRuns.intervalStart))
      .limit(1);
    lastVerdict = last?.verdict ?? null;
    let start = last && last.intervalEnd > release.stepStartedAt ? last.intervalEnd : release.stepStartedAt;
    for (let i = 0; i < MAX_INTERVALS_PER_TICK && start.getTime() + intervalMs + LATE_SAMPLE_GRACE_MS <= now.getTime(); i++) {
      const end = new Date(start.getTime() + intervalMs);
      const data = await intervalData(db, release.id, config, start, end);
      const verdict = judgeInterval({ config, baseline: data.baseline, canary: data.canary, weight: release.currentWeight });
      await recordAnalysis(caller, {
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
      report.analysed += 1;
      lastVerdict = verdict.verdict;
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

  const holdOver = now.getTime() - release.stepStartedAt.getTime() >= step.holdSeconds * 1000;
  const analysisOk = !step.analysisRequired || ((lastVerdict === 'pass' || lastVerdict === 'marginal') && !extend);
  // A manual gate waits for a human to advance or promote.
  if (holdOver && analysisOk && !step.manualGate) {
    await advanceRelease(caller, { releaseId: release.id, reason: step.analysisRequired ? `Analysis ${lastVerdict} and hold of ${step.holdSeconds} s over` : `Hold of ${step.holdSeconds} s over` });
    report.advanced += 1;
  }
}
