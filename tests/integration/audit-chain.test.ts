import { asc, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents } from '@/db/schema';
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
