import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { alerts, driftReferences, environments, outbox, releases, webhooks } from '@/db/schema';
import type { DbHandle } from '@/db/client';
import type { Database } from '@/db';
import type { Actor } from '@/lib/domain/roles';
import { verifyWebhookSignature } from '@/lib/domain/webhook-signature';
import { binValues, referenceEdges } from '@/lib/domain/drift-bins';
import { getFeatureDrift, getModelDrift } from '@/lib/queries/drift';
import { deliverDueWebhooks } from '@/lib/server/webhook-worker';
import { mulberry32 } from '@/lib/simulator/traffic';
import { createWebhook, evaluateDrift, ingestDriftSnapshot, postDriftReference, startRelease, requestRelease, updateDriftPolicy } from '@/lib/services';
import type { AppError } from '@/lib/services/errors';
import { liveModel } from '../support/experiment-fixtures';
import { auditOf, failure, rowCounts, setUp, signedInUser } from '../support/fixtures';
import { openTestDatabase, targets } from '../support/test-db';
import { startReceiver } from '../support/webhook-receiver';

const fields = (error: AppError) => Object.keys((error.details as { fields?: object }).fields ?? {}).sort();

/** n draws of N(mean, sd), seeded. */
function normal(seed: number, n: number, mean: number, sd: number): number[] {
  const random = mulberry32(seed);
  return Array.from({ length: n }, () => mean + sd * Math.sqrt(-2 * Math.log(Math.max(random(), 1e-12))) * Math.cos(2 * Math.PI * random()));
}

const MINUTE = 60_000;

describe.each(targets)('drift on $name', ({ name }) => {
  let handle: DbHandle;
  let db: Database;
  let lead: Actor;
  let admin: Actor;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => {
    handle = await openTestDatabase(name);
    db = handle.db;
    lead = await signedInUser(db, ['ml_lead']);
    admin = await signedInUser(db, ['admin']);
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await new Promise((resolve) => receiver?.server.close(resolve));
    await handle?.close();
  });
  beforeEach(async () => {
    await db.update(outbox).set({ state: 'failed' }).where(eq(outbox.state, 'pending'));
    await db.update(webhooks).set({ active: false });
    receiver.status = 200;
    receiver.received = [];
  });
  const as = (actor: Actor, now?: Date) => ({ actor, db, now });

  /** 1.0.0 live with a reference for a numeric and a categorical feature. */
  async function profiled() {
    const target = await liveModel(db);
    await postDriftReference(as(lead), {
      model: target.model,
      version: '1.0.0',
      features: [
        { name: 'utilisation', type: 'numeric', values: normal(1, 5000, 50, 10) },
        { name: 'channel', type: 'categorical', counts: { web: 600, app: 300, branch: 100 } },
      ],
    });
    return target;
  }
  const window = (target: { model: string; environment: string }, start: number, features: unknown[]) => ({
    model: target.model,
    version: '1.0.0',
    environment: target.environment,
    windowStart: new Date(start).toISOString(),
    windowEnd: new Date(start + MINUTE).toISOString(),
    features,
  });

  it('stores a reference once: the same profile again changes nothing, a different one is refused', async () => {
    const target = await profiled();
    const refs = await db.select().from(driftReferences).innerJoin(releases, eq(releases.versionId, driftReferences.versionId)).limit(10);
    expect(refs.length).toBeGreaterThan(0);
    const again = await postDriftReference(as(lead), { model: target.model, version: '1.0.0', features: [{ name: 'channel', type: 'categorical', counts: { web: 600, app: 300, branch: 100 } }] });
    expect(again).toEqual({ created: 0, unchanged: 1 });
    const error = await failure(postDriftReference(as(lead), { model: target.model, version: '1.0.0', features: [{ name: 'channel', type: 'categorical', counts: { web: 1 } }] }));
    expect(error.code).toBe('conflict');
    expect(error.message).toContain('"channel"');
  });

  it.each<[string, unknown[], string[]]>([
    ['an unknown feature', [{ name: 'age', counts: [1, 2] }], ['features.0.name']],
    ['a different number of bins', [{ name: 'utilisation', counts: [1, 2, 3] }], ['features.0.counts']],
    ['negative counts', [{ name: 'utilisation', counts: [1, 2, 3, 4, 5, 6, 7, 8, 9, -1] }], ['features.0.counts.9']],
    ['categories for a numeric feature', [{ name: 'utilisation', counts: { web: 3 } }], ['features.0.counts']],
    ['numbers for a categorical feature', [{ name: 'channel', values: [1, 2, 3] }], ['features.0.values']],
    ['an empty window', [{ name: 'channel', counts: { web: 0, app: 0 } }], ['features.0.counts']],
  ])('refuses %s with the field named, and stores nothing', async (_label, features, expected) => {
    const target = await profiled();
    const before = await rowCounts(db);
    const error = await failure(ingestDriftSnapshot(as(lead), window(target, Date.now() - 2 * MINUTE, features)));
    expect(error.code).toBe('invalid');
    expect(fields(error)).toEqual(expected);
    expect(await rowCounts(db)).toEqual(before);
  });

  it('a drifting stream opens exactly one alert, raises it to critical, resolves it after three healthy windows; the receiver gets signed payloads after a 500', async () => {
    const webhook = await createWebhook(as(admin), { url: receiver.url, events: ['alert.open', 'alert.escalate', 'alert.resolve'] });
    const target = await profiled();
    const t0 = Date.now() - 30 * MINUTE;
    // Mean shift in σ per window: stable, warning, warning, critical, critical, then back.
    const shifts = [0, 0.4, 0.45, 1.0, 1.1, 0, 0, 0];
    const edges = referenceEdges(normal(1, 5000, 50, 10));
    for (const [i, shift] of shifts.entries()) {
      const at = t0 + i * MINUTE;
      // The serving side bins with the reference's edges (as most do) and sends counts: PSI is the headline.
      const counts = binValues(normal(100 + i, 4000, 50 + shift * 10, 10), edges);
      await ingestDriftSnapshot(as(lead), window(target, at, [{ name: 'utilisation', counts }, { name: 'channel', counts: { web: 590, app: 310, branch: 100 } }]));
      await evaluateDrift(setUp(db), {});
    }
    const rows = await db.select().from(alerts).where(eq(alerts.kind, 'drift')).orderBy(asc(alerts.openedAt));
    const mine = rows.filter((a) => a.title.includes(target.model));
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ feature: 'utilisation', severity: 'critical', state: 'resolved', resolvedBy: 'system:bootstrap' });
    expect((await auditOf(db, mine[0]!.id)).map((e) => e.action)).toEqual(['alert.open', 'alert.escalate', 'alert.resolve']);
    // The categorical feature never drifted: no alert for it.
    expect(mine.some((a) => a.feature === 'channel')).toBe(false);

    const queued = await db.select().from(outbox).where(eq(outbox.webhookId, webhook.id)).orderBy(asc(outbox.id));
    expect(queued.map((r) => r.event)).toEqual(['alert.open', 'alert.escalate', 'alert.resolve']);
    receiver.status = 500;
    const now = new Date(Date.now() + 1000);
    expect(await deliverDueWebhooks(db, { now })).toEqual({ delivered: 0, failed: 0, retried: 3 });
    receiver.status = 200;
    const later = new Date(now.getTime() + 11_000);
    expect(await deliverDueWebhooks(db, { now: later })).toEqual({ delivered: 3, failed: 0, retried: 0 });
    const delivered = receiver.received.slice(3);
    expect(delivered.map((r) => r.headers['x-flightdeck-event'])).toEqual(['alert.open', 'alert.escalate', 'alert.resolve']);
    for (const r of delivered) expect(verifyWebhookSignature(webhook.secret, r.body, r.headers['x-flightdeck-signature'] as string, Math.floor(later.getTime() / 1000))).toBe(true);
    const opened = JSON.parse(delivered[0]!.body) as { alert: { severity: string; feature: string; details: { method: string; value: number; convention: string } } };
    expect(opened.alert).toMatchObject({ severity: 'warning', feature: 'utilisation', details: { method: 'psi' } });
    expect(opened.alert.details.convention).toContain('PSI, natural log');
    expect(opened.alert.details.value).toBeGreaterThanOrEqual(0.1);

    // The drift view reads the same windows.
    const view = await getModelDrift(as(lead), target.model);
    expect(new Set(view.features.map((f) => `${f.feature}:${f.severity}:${f.method}`))).toEqual(new Set(['channel:ok:chiSquare', 'utilisation:ok:psi']));
    const utilisation = view.features.find((f) => f.feature === 'utilisation')!;
    expect(utilisation.spark).toHaveLength(shifts.length);
    const feature = await getFeatureDrift(as(lead), target.model, 'utilisation');
    expect(feature.histogram).toHaveLength(10);
    expect(feature.histogram.reduce((s, b) => s + b.reference, 0)).toBeCloseTo(1, 12);
    expect(feature.series.map((p) => p.severity)).toEqual(['ok', 'warning', 'warning', 'critical', 'critical', 'ok', 'ok', 'ok']);
  });

  it("a critical drift alert applies the environment's gate: the release in flight is paused", async () => {
    const target = await profiled();
    await db.update(environments).set({ alertGate: 'pause' }).where(eq(environments.name, target.environment));
    const release = await requestRelease(setUp(db), { model: target.model, version: '1.1.0', environment: target.environment, strategy: 'canary', plan: [{ weight: 10 }, { weight: 100 }] });
    await startRelease(setUp(db), { releaseId: release.id });
    await ingestDriftSnapshot(as(lead), window(target, Date.now() - 5 * MINUTE, [{ name: 'utilisation', values: normal(7, 4000, 70, 10) }]));
    await evaluateDrift(setUp(db), {});
    const [after] = await db.select().from(releases).where(eq(releases.id, release.id));
    expect(after!.state).toBe('paused');
    expect((await auditOf(db, release.id)).at(-1)).toMatchObject({ action: 'release.pause', reason: expect.stringContaining('Alert gate') });
  });

  it("uses the model's thresholds for new windows, and refuses inconsistent ones", async () => {
    const target = await profiled();
    const error = await failure(updateDriftPolicy(as(lead), { model: target.model, policy: { thresholds: { psi: { warning: 0.3, critical: 0.2 } } } }));
    expect(fields(error)).toEqual(['policy.thresholds.psi']);
    // Raw values with a large reference default to normalised Wasserstein; the policy picks PSI for this feature.
    const raw = await ingestDriftSnapshot(as(lead), window(target, Date.now() - 4 * MINUTE, [{ name: 'utilisation', values: normal(8, 4000, 51.5, 10) }]));
    expect(raw.features[0]).toMatchObject({ method: 'wasserstein' });
    await updateDriftPolicy(as(lead), { model: target.model, policy: { thresholds: { psi: { warning: 0.01, critical: 0.02 } }, methods: { utilisation: 'psi' } } });
    const stored = await ingestDriftSnapshot(as(lead), window(target, Date.now() - 3 * MINUTE, [{ name: 'utilisation', values: normal(9, 4000, 51.5, 10) }]));
    expect(stored.features[0]).toMatchObject({ method: 'psi', severity: 'critical' });
  });
});
