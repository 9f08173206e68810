import { createHash } from 'node:crypto';
import { eq, inArray } from 'drizzle-orm';
import { expect } from 'vitest';
import { auditEvents, releases } from '@/db/schema';
import type { Database } from '@/db';
import { createEnvironment, createModel, registerVersion, requestRelease, startRelease } from '@/lib/services';
import { setUp, signedInUser, unique } from '../../support/fixtures';

export type Step = { weight: number; holdSeconds?: number };

/** Steps held `holdSeconds` each without analysis (the controller only waits), then 100 %. */
export const plan = (weights: number[], holdSeconds: number): Step[] => [...weights.map((weight) => ({ weight, holdSeconds })), { weight: 100 }];

/** A running canary release of a new model's 1.0.0 on `steps`, started now by an ML lead. */
export async function startRollout(db: Database, steps: Step[]): Promise<{ id: string; steps: Step[] }> {
  const lead = await signedInUser(db, ['ml_lead']);
  const as = { actor: lead, db };
  const model = await createModel(as, { name: `fault-${unique()}`, ownerTeam: 'sre' });
  await registerVersion(as, {
    model: model.name,
    version: '1.0.0',
    artifactUri: `s3://ml-artifacts/${model.name}/1.0.0/model.tar.gz`,
    artifactDigest: `sha256:${createHash('sha256').update(model.name).digest('hex')}`,
  });
  const env = await createEnvironment(setUp(db), { name: `env-${unique()}`, rank: 1, policy: { requiredChecks: [], thresholds: {} } });
  const release = await requestRelease(as, { model: model.name, version: '1.0.0', environment: env.name, strategy: 'canary', plan: steps });
  await startRelease(as, { releaseId: release.id });
  return { id: release.id, steps };
}

export type StepEvent = { action: string; step: number; state: string; weight: number; at: number; actor: string };

/** The release's start and every step transition it went through (advance, promote), in chain order. */
export async function stepEventsOf(db: Database, releaseId: string): Promise<StepEvent[]> {
  const rows = await db
    .select()
    .from(auditEvents)
    .where(eq(auditEvents.targetId, releaseId))
    .orderBy(auditEvents.seq);
  return rows
    .filter((e) => ['release.start', 'release.advance', 'release.promote'].includes(e.action))
    .map((e) => {
      const after = e.after as { step: number; state: string; weight: number };
      return { action: e.action, step: after.step, state: after.state, weight: after.weight, at: e.occurredAt.getTime(), actor: e.actorName };
    });
}

export async function statesOf(db: Database, ids: string[]): Promise<Map<string, string>> {
  const rows = await db.select({ id: releases.id, state: releases.state }).from(releases).where(inArray(releases.id, ids));
  return new Map(rows.map((r) => [r.id, r.state]));
}

/**
 * The rollout went through every step exactly once and in order — no step taken twice, none
 * skipped — each step transition by the controller, each held for at least its hold (a restarted
 * controller resumes the hold where it was, it does not restart it or cut it short), and it ended
 * promoted by the controller's last advance (never by a `release.promote`).
 */
export function expectOrderlyRollout(events: StepEvent[], steps: Step[]) {
  const expected = [
    { action: 'release.start', step: 0, state: 'running', weight: steps[0]!.weight },
    ...steps.slice(1).map((s, i) => ({ action: 'release.advance', step: i + 1, state: 'running', weight: s.weight })),
    { action: 'release.advance', step: steps.length - 1, state: 'promoted', weight: 100 },
  ];
  expect(events.map(({ action, step, state, weight }) => ({ action, step, state, weight }))).toEqual(expected);
  expect(events.slice(1).every((e) => e.actor === 'system:controller')).toBe(true);
  for (let i = 1; i < events.length; i++) {
    const held = events[i]!.at - events[i - 1]!.at;
    expect(held, `step ${i - 1} was held ${held} ms`).toBeGreaterThanOrEqual((steps[i - 1]!.holdSeconds ?? 0) * 1000);
  }
}
