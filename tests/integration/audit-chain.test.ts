import { asc, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents } from '@/db/schema';
import { rowsOf } from '@/db';
import type { DbHandle } from '@/db/client';
import { appendAudit } from '@/lib/services/audit/append-audit';
import { verifyAuditChain } from '@/lib/services';
import { GENESIS_HASH } from '@/lib/domain/audit-chain';
import { openTestDatabase, targets } from '../support/test-db';
import { userActor } from '../support/actors';

const actor = userActor(['admin']);

describe.each(targets)('audit chain on $name', ({ name }) => {
  let handle: DbHandle;
  beforeAll(async () => {
    handle = await openTestDatabase(name);
  });
  afterAll(async () => handle?.close());

  const append = (i: number) =>
    handle.db.transaction((tx) =>
      appendAudit(tx, { actor, now: new Date() }, { action: 'test.append', targetType: 'test', targetId: String(i), after: { i, nested: { b: 1, a: [1.5, 'x'] } } }),
    );

  it('keeps a valid chain under 50 concurrent appends', async () => {
    await Promise.all(Array.from({ length: 50 }, (_, i) => append(i)));
    const rows = await handle.db.select().from(auditEvents).orderBy(asc(auditEvents.seq));
    expect(rows).toHaveLength(50);
    expect(rows[0]!.prevHash).toBe(GENESIS_HASH);
    expect(new Set(rows.map((r) => r.prevHash)).size).toBe(50);
    const report = await verifyAuditChain({ actor, db: handle.db });
    expect(report).toMatchObject({ ok: true, checked: 50, firstBroken: null });
    expect(report.headHash).toBe(rows.at(-1)!.hash);
  });

  // The links are hashed in SQL (append-audit.ts) and checked in JavaScript (audit-chain.ts):
  // both must read the same UTF-8 bytes, whatever the text, and keep the events' order.
  it('links several events of one append in order, hashed in SQL exactly as the verifier hashes them', async () => {
    const before = await handle.db.select({ seq: auditEvents.seq }).from(auditEvents);
    const odd = 'Zürich — 東京 🚀 "quoted" back\\slash\nnew line\ttab \u2028 é (e\u0301)';
    await handle.db.transaction((tx) =>
      appendAudit(tx, { actor, now: new Date(), request: { requestId: odd, via: 'api' } }, [
        { action: 'test.multi', targetType: 'test', targetId: 'first', before: { text: odd, list: [null, 0.1, -0, 1e21] }, after: null, reason: odd },
        { action: 'test.multi', targetType: 'test', targetId: 'second', after: { empty: {}, nothing: [] } },
        { action: 'test.multi', targetType: 'test', targetId: 'third' },
      ]),
    );
    const rows = await handle.db.select().from(auditEvents).where(sql`${auditEvents.action} = 'test.multi'`).orderBy(asc(auditEvents.seq));
    expect(rows.map((r) => r.targetId)).toEqual(['first', 'second', 'third']);
    expect(rows[0]!.reason).toBe(odd);
    expect(rows[0]!.after).toBeNull();
    expect(rows[1]!.prevHash).toBe(rows[0]!.hash);
    expect(rows[2]!.prevHash).toBe(rows[1]!.hash);
    const report = await verifyAuditChain({ actor, db: handle.db });
    expect(report).toMatchObject({ ok: true, checked: before.length + 3, firstBroken: null });
  });

  // The links are made by a deferred trigger at COMMIT (migration 0018): nothing is in the chain
  // before the commit, nothing at all after a rollback, and the queue never keeps a row.
  it('links the events when the transaction commits, and drops them when it rolls back', async () => {
    const count = async () => Number(rowsOf<{ n: number }>(await handle.db.execute(sql`select count(*)::int as n from audit_events`))[0]!.n);
    const before = await count();
    let insideTransaction = -1;
    await handle.db.transaction(async (tx) => {
      await appendAudit(tx, { actor, now: new Date() }, { action: 'test.commit', targetType: 'test', targetId: 'c' });
      insideTransaction = Number(rowsOf<{ n: number }>(await tx.execute(sql`select count(*)::int as n from audit_events`))[0]!.n);
    });
    expect(insideTransaction).toBe(before);
    expect(await count()).toBe(before + 1);

    const failed = handle.db.transaction(async (tx) => {
      await appendAudit(tx, { actor, now: new Date() }, { action: 'test.rolled_back', targetType: 'test', targetId: 'r' });
      throw new Error('the use case failed after auditing');
    });
    await expect(failed).rejects.toThrow('the use case failed after auditing');
    expect(await count()).toBe(before + 1);
    expect(rowsOf(await handle.db.execute(sql`select 1 from audit_events where action = 'test.rolled_back'`))).toHaveLength(0);
    expect(rowsOf(await handle.db.execute(sql`select 1 from audit_queue`))).toHaveLength(0);
    expect((await verifyAuditChain({ actor, db: handle.db })).ok).toBe(true);
  });

  // Two transactions on two connections (PGlite has one): the one that commits first is linked
  // first, whichever queued its event first, so seq order is commit order and the chain holds.
  it.skipIf(name === 'pglite')('links in commit order, not in the order the events were written', async () => {
    let releaseFirst!: () => void;
    const firstMayCommit = new Promise<void>((resolve) => (releaseFirst = resolve));
    let firstQueued!: () => void;
    const queued = new Promise<void>((resolve) => (firstQueued = resolve));
    const first = handle.db.transaction(async (tx) => {
      await appendAudit(tx, { actor, now: new Date() }, { action: 'test.order', targetType: 'test', targetId: 'written-first' });
      firstQueued();
      await firstMayCommit;
    });
    await queued;
    await handle.db.transaction((tx) => appendAudit(tx, { actor, now: new Date() }, { action: 'test.order', targetType: 'test', targetId: 'committed-first' }));
    releaseFirst();
    await first;
    const rows = await handle.db.select().from(auditEvents).where(sql`${auditEvents.action} = 'test.order'`).orderBy(asc(auditEvents.seq));
    expect(rows.map((r) => r.targetId)).toEqual(['committed-first', 'written-first']);
    expect(rows[1]!.prevHash).toBe(rows[0]!.hash);
    expect((await verifyAuditChain({ actor, db: handle.db })).ok).toBe(true);
  });

  it('refuses UPDATE, DELETE and TRUNCATE in the database itself', async () => {
    // drizzle wraps the database error; the trigger's message is on its cause.
    const refused = (query: Promise<unknown>) =>
      expect(query).rejects.toSatisfy((e: { cause?: Error }) => /audit_events is append-only/.test(e.cause?.message ?? ''));
    await refused(handle.db.execute(sql`update audit_events set reason = 'edited' where seq = 1`));
    await refused(handle.db.execute(sql`delete from audit_events where seq = 2`));
    await refused(handle.db.execute(sql`truncate audit_events`));
    expect((await verifyAuditChain({ actor, db: handle.db })).ok).toBe(true);
  });

  it('names the first tampered event when the trigger is bypassed', async () => {
    const rows = await handle.db.select().from(auditEvents).orderBy(asc(auditEvents.seq));
    const victim = rows[17]!;
    await handle.db.transaction(async (tx) => {
      await tx.execute(sql`alter table audit_events disable trigger audit_events_no_update_delete`);
      await tx.execute(sql`update audit_events set after = '{"i": 999}'::jsonb where seq = ${victim.seq}`);
      await tx.execute(sql`alter table audit_events enable trigger audit_events_no_update_delete`);
    });
    const report = await verifyAuditChain({ actor, db: handle.db });
    expect(report.ok).toBe(false);
    expect(report.firstBroken).toMatchObject({ seq: victim.seq, id: victim.id, problem: 'content_changed' });
    expect(report.checked).toBe(18);
  });

  it('names the event after a deleted one', async () => {
    const fresh = await openTestDatabase(name);
    try {
      for (let i = 0; i < 5; i++)
        await fresh.db.transaction((tx) => appendAudit(tx, { actor, now: new Date() }, { action: 'test.append', targetType: 'test', targetId: String(i) }));
      const rows = await fresh.db.select().from(auditEvents).orderBy(asc(auditEvents.seq));
      await fresh.db.transaction(async (tx) => {
        await tx.execute(sql`alter table audit_events disable trigger audit_events_no_update_delete`);
        await tx.execute(sql`delete from audit_events where seq = ${rows[2]!.seq}`);
        await tx.execute(sql`alter table audit_events enable trigger audit_events_no_update_delete`);
      });
      const report = await verifyAuditChain({ actor, db: fresh.db });
      expect(report.firstBroken).toMatchObject({ seq: rows[3]!.seq, problem: 'link_broken' });
    } finally {
      await fresh.close();
    }
  });

  it('refuses to verify for someone signed out', async () => {
    await expect(verifyAuditChain({ actor: null, db: handle.db })).rejects.toMatchObject({ code: 'unauthenticated' });
  });
});
