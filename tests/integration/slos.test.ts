import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alerts } from '@/db/schema';
import type { DbHandle } from '@/db/client';
import type { Database } from '@/db';
import type { Actor } from '@/lib/domain/roles';
import { listSlos } from '@/lib/queries/slos';
import { evaluateSlos, ingestServiceTelemetry, setSlo } from '@/lib/services';
import { liveModel } from '../support/experiment-fixtures';
import { auditOf, failure, setUp, signedInUser } from '../support/fixtures';
import { openTestDatabase, targets } from '../support/test-db';

const MINUTE = 60_000;

describe.each(targets)('SLOs on $name', ({ name }) => {
  let handle: DbHandle;
  let db: Database;
  let lead: Actor;
  beforeAll(async () => {
    handle = await openTestDatabase(name);
    db = handle.db;
    lead = await signedInUser(db, ['ml_lead']);
  });
  afterAll(async () => handle?.close());
  const at = (t: number) => ({ ...setUp(db), now: new Date(t) });

  /** One bucket a minute from `from` for `minutes`, with the given error ratio and a latency histogram. */
  const traffic = (service: string, environment: string, from: number, minutes: number, errorRatio: number, slowShare = 0) =>
    ingestServiceTelemetry(setUp(db), {
      service,
      environment,
      buckets: Array.from({ length: minutes }, (_, i) => ({
        bucketStart: new Date(from + i * MINUTE).toISOString(),
        requests: 1000,
        errors: Math.round(1000 * errorRatio),
        histogram: [
          { le: 100, count: 1000 - Math.round(1000 * slowShare) },
          { le: 1000, count: Math.round(1000 * slowShare) },
        ],
      })),
    });

  it('a fast availability burn pends for two minutes, then fires critical with the burn rates as evidence', async () => {
    const { model, environment } = await liveModel(db);
    await setSlo(setUp(db), { model, environment, kind: 'availability', objective: 0.999 });
    const t0 = Date.now() - 60 * MINUTE;
    await traffic(model, environment, t0, 30, 0.0005); // healthy: burn 0.5
    await traffic(model, environment, t0 + 30 * MINUTE, 10, 0.2); // 20 % errors: burn 200

    const alertOf = async () => (await db.select().from(alerts).where(eq(alerts.kind, 'slo_breach'))).filter((a) => a.title.includes(model));
    await evaluateSlos(at(t0 + 29 * MINUTE), {}); // healthy
    await evaluateSlos(at(t0 + 33 * MINUTE), {}); // breaching: pending
    await evaluateSlos(at(t0 + 34 * MINUTE), {}); // still pending (1 min < for 2 min): nobody is paged
    expect(await alertOf()).toHaveLength(0);
    await evaluateSlos(at(t0 + 36 * MINUTE), {}); // past `for`: firing
    const [opened] = await alertOf();
    expect(opened).toMatchObject({ severity: 'critical', state: 'open', kind: 'slo_breach' });
    expect((opened!.details as { firing: string }).firing).toContain('page-fast');
    expect((await auditOf(db, opened!.id)).map((e) => e.action)).toEqual(['alert.open']);
    // Another evaluation while it burns: the same alert, no duplicate.
    await evaluateSlos(at(t0 + 38 * MINUTE), {});
    expect(await alertOf()).toHaveLength(1);
  });

  it('measures a latency SLO on the merged histograms, and shows the burns per window', async () => {
    const { model, environment } = await liveModel(db);
    await setSlo(setUp(db), { model, environment, kind: 'latency', objective: 0.99, latencyThresholdMs: 100 });
    await traffic(model, environment, Date.now() - 20 * MINUTE, 15, 0, 0.3); // 30 % slower than 100 ms: burn 30
    const [slo] = await listSlos({ actor: lead, db }, model);
    expect(slo).toMatchObject({ kind: 'latency', severity: 'critical' });
    const fast = slo!.rules.find((r) => r.rule === 'page-fast')!;
    expect(fast.long).toBeCloseTo(0.3 / 0.01, 6); // 30 % slow against a 1 % budget: 30× over the hour
    expect(fast.short).toBeNull(); // nothing in the last 5 minutes
  });

  it('refuses bad SLOs and bad telemetry with the field named', async () => {
    const { model, environment } = await liveModel(db);
    const bad = await failure(setSlo(setUp(db), { model, environment, kind: 'latency', objective: 1 }));
    expect(Object.keys((bad.details as { fields: object }).fields).sort()).toEqual(['latencyThresholdMs', 'objective']);
    const telemetry = await failure(ingestServiceTelemetry(setUp(db), { service: model, environment, buckets: [{ bucketStart: new Date().toISOString(), requests: 5, errors: 6 }] }));
    expect(Object.keys((telemetry.details as { fields: object }).fields)).toEqual(['buckets.0.errors']);
    expect((await failure(ingestServiceTelemetry(setUp(db), { service: 'nope', environment, buckets: [{ bucketStart: new Date().toISOString(), requests: 1 }] }))).code).toBe('not_found');
  });
});
