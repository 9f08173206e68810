import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, models } from '@/db/schema';
import type { DbHandle } from '@/db/client';
import { GENESIS_HASH, hashAuditEvent, type AuditContent } from '@/lib/domain/audit-chain';
import { toJsonLine, verifyExport } from '@/lib/domain/audit-export';
import { auditBatches, listAuditEvents } from '@/lib/queries/audit';
import { createAuditCheckpoint, verifyAuditChain } from '@/lib/services';
import { mulberry32 } from '@/lib/simulator/traffic';
import { userActor } from '../support/actors';
import { openTestDatabase, targets } from '../support/test-db';

// Checkpoints are signed with a key derived from the session secret: an in-memory one here.
process.env.FLIGHTDECK_DATA_DIR = 'memory://';

const EVENTS = 100_000;
const ACTORS = ['Maya Lead', 'Omar On-call', 'Ravi Reviewer', 'system:controller', 'api-key:github-actions'];
const ACTIONS = ['release.request', 'release.approve', 'release.start', 'release.advance', 'release.rollback', 'version.register', 'check.report', 'alert.open', 'alert.acknowledge', 'experiment.create'];
const MODELS = ['fraud-detector', 'search-ranker', 'churn-predictor'];
const ENVIRONMENTS = ['staging', 'production'];
const T0 = Date.parse('2026-01-01T00:00:00Z');
const actor = userActor(['viewer']);

type Row = AuditContent & { seq: number; prevHash: string; hash: string };

/** A seeded 100,000-event chain, hashed exactly as appendAudit would, oldest first. */
function generate(): Row[] {
  const random = mulberry32(7);
  const rows: Row[] = [];
  let prev = GENESIS_HASH;
  for (let i = 0; i < EVENTS; i++) {
    const model = MODELS[Math.floor(random() * MODELS.length)]!;
    const content: AuditContent = {
      id: randomUUID(),
      occurredAt: new Date(T0 + i * 8_640), // ten days, evenly
      actorType: 'user',
      actorId: `actor-${i % ACTORS.length}`,
      actorName: ACTORS[i % ACTORS.length]!,
      action: ACTIONS[Math.floor(random() * ACTIONS.length)]!,
      targetType: 'release',
      targetId: `target-${i % 997}`,
      before: null,
      after: { model, environment: ENVIRONMENTS[i % 2], step: i % 5 },
      reason: i % 100 === 0 ? `error rate doubled on ${model}` : i % 37 === 0 ? 'routine promotion' : null,
      metadata: { via: 'test' },
    };
    const hash = hashAuditEvent(prev, content);
    rows.push({ ...content, seq: i + 1, prevHash: prev, hash });
    prev = hash;
  }
  return rows;
}

describe.each(targets)('audit explorer over a 100,000-event chain on $name', ({ name }) => {
  let handle: DbHandle;
  const rows = generate();
  beforeAll(async () => {
    handle = await openTestDatabase(name);
    for (let i = 0; i < rows.length; i += 2000) await handle.db.insert(auditEvents).values(rows.slice(i, i + 2000));
    await handle.db.execute(sql`select setval(pg_get_serial_sequence('audit_events', 'seq'), ${EVENTS})`);
    // A model named like the generated ones, so the model filter also finds events that target it.
    await handle.db.insert(models).values({ name: 'fraud-detector', ownerTeam: 'risk-ml', servingService: 'fraud-detector' });
  }, 300_000);
  afterAll(async () => handle?.close());
  const caller = () => ({ actor, db: handle.db });

  /** Walks every page of a filter (newest first) and returns the seqs. */
  async function allPages(filters: Record<string, string>, limit = 200) {
    const seqs: number[] = [];
    let cursor: string | undefined;
    for (let guard = 0; guard < 1000; guard++) {
      const page = await listAuditEvents(caller(), { ...filters, limit, cursor });
      seqs.push(...page.items.map((e) => e.seq));
      if (!page.nextCursor) return seqs;
      cursor = page.nextCursor;
    }
    throw new Error('too many pages');
  }
  const expected = (keep: (r: Row) => boolean) => rows.filter(keep).map((r) => r.seq).reverse();

  it.each<[string, Record<string, string>, (r: Row) => boolean]>([
    ['an action', { action: 'release.rollback' }, (r) => r.action === 'release.rollback'],
    ['an action prefix and an actor', { action: 'alert.', actor: 'omar' }, (r) => r.action.startsWith('alert.') && r.actorName === 'Omar On-call'],
    ['full text in the reasons', { q: 'doubled' }, (r) => (r.reason ?? '').includes('doubled')],
    ['a model and an environment', { model: 'search-ranker', environment: 'production', action: 'release.start' }, (r) => (r.after as { model: string }).model === 'search-ranker' && (r.after as { environment: string }).environment === 'production' && r.action === 'release.start'],
    [
      'a time range and a target',
      { from: new Date(T0 + 86_400_000).toISOString(), to: new Date(T0 + 3 * 86_400_000).toISOString(), targetId: 'target-42' },
      (r) => r.occurredAt.getTime() >= T0 + 86_400_000 && r.occurredAt.getTime() <= T0 + 3 * 86_400_000 && r.targetId === 'target-42',
    ],
  ])('filters by %s, and its pages together hold exactly the matching events, newest first', async (_label, filters, keep) => {
    const want = expected(keep);
    expect(want.length).toBeGreaterThan(0);
    expect(await allPages(filters)).toEqual(want);
  });

  it('pages the unfiltered log by keyset: the first, a deep and the last page are exact', async () => {
    const first = await listAuditEvents(caller(), { limit: 50 });
    expect(first.items.map((e) => e.seq)).toEqual(Array.from({ length: 50 }, (_, i) => EVENTS - i));
    let cursor = first.nextCursor!;
    for (let p = 1; p < 20; p++) cursor = (await listAuditEvents(caller(), { limit: 50, cursor })).nextCursor!;
    const deep = await listAuditEvents(caller(), { limit: 50, cursor });
    expect(deep.items[0]!.seq).toBe(EVENTS - 20 * 50);
  });

  it('refuses bad filters with the field named', async () => {
    await expect(listAuditEvents(caller(), { from: 'yesterday' })).rejects.toMatchObject({ code: 'invalid', details: { fields: { from: [expect.any(String)] } } });
    await expect(listAuditEvents(caller(), { action: 'DROP TABLE' })).rejects.toMatchObject({ code: 'invalid' });
  });

  it('exports the whole chain in batches and the export verifies offline', async () => {
    const lines: string[] = [];
    for await (const batch of auditBatches(caller(), {})) for (const e of batch) lines.push(toJsonLine(e));
    expect(lines).toHaveLength(EVENTS);
    const report = verifyExport(lines);
    expect(report).toMatchObject({ ok: true, checked: EVENTS, headHash: rows.at(-1)!.hash });
  });

  it('detects tampering in the database, and a truncated tail through the signed checkpoint', async () => {
    const checkpoint = await createAuditCheckpoint({ actor: userActor(['admin']), db: handle.db }, {});
    expect(checkpoint).toMatchObject({ seq: EVENTS, hash: rows.at(-1)!.hash });
    expect(await verifyAuditChain(caller())).toMatchObject({ ok: true, checked: EVENTS, checkpoints: { checked: 1, problem: null } });

    // Cut the last ten events off: every remaining link is intact, but the checkpoint names the gap.
    await handle.db.transaction(async (tx) => {
      await tx.execute(sql`alter table audit_events disable trigger audit_events_no_update_delete`);
      await tx.execute(sql`delete from audit_events where seq > ${EVENTS - 10}`);
      await tx.execute(sql`alter table audit_events enable trigger audit_events_no_update_delete`);
    });
    const truncated = await verifyAuditChain(caller());
    expect(truncated).toMatchObject({ ok: false, firstBroken: null, checked: EVENTS - 10 });
    expect(truncated.checkpoints.problem).toMatchObject({ seq: EVENTS });
    expect(truncated.checkpoints.problem!.detail).toContain('truncated');

    // Edit an event in the middle: the chain names it.
    await handle.db.transaction(async (tx) => {
      await tx.execute(sql`alter table audit_events disable trigger audit_events_no_update_delete`);
      await tx.execute(sql`update audit_events set reason = 'nothing to see' where seq = 54321`);
      await tx.execute(sql`alter table audit_events enable trigger audit_events_no_update_delete`);
    });
    const edited = await verifyAuditChain(caller());
    expect(edited.firstBroken).toMatchObject({ seq: 54321, problem: 'content_changed' });
  });
});
