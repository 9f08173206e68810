import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { outbox, webhooks } from '@/db/schema';
import type { DbHandle } from '@/db/client';
import type { Database } from '@/db';
import type { Actor } from '@/lib/domain/roles';
import { verifyWebhookSignature } from '@/lib/domain/webhook-signature';
import { listWebhookDeliveries, listWebhooks } from '@/lib/queries/webhooks';
import { deliverDueWebhooks } from '@/lib/server/webhook-worker';
import { createEnvironment, createModel, createWebhook, registerVersion, requestRelease, rollbackRelease, startRelease, updateWebhook } from '@/lib/services';
import { enqueueWebhooks } from '@/lib/services/webhooks/enqueue';
import { openTestDatabase, targets } from '../support/test-db';
import { auditCount, auditOf, setUp, signedInUser, unique } from '../support/fixtures';
import { startReceiver } from '../support/webhook-receiver';

/** A running canary release, set up by Flightdeck itself (as the role matrix does). */
async function runningRelease(db: Database) {
  const model = await createModel(setUp(db), { name: `model-${unique()}`, ownerTeam: 'risk-ml' });
  await registerVersion(setUp(db), { model: model.name, version: '1.0.0', artifactUri: 's3://artifacts/model.tar.gz', artifactDigest: `sha256:${'ab'.repeat(32)}` });
  const env = await createEnvironment(setUp(db), { name: `env-${unique()}`, rank: 1, policy: { requiredChecks: [], thresholds: {} } });
  const release = await requestRelease(setUp(db), { model: model.name, version: '1.0.0', environment: env.name, strategy: 'canary', plan: [{ weight: 10 }, { weight: 100 }] });
  await startRelease(setUp(db), { releaseId: release.id });
  return release;
}

const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

describe.each(targets)('webhooks on $name', ({ name }) => {
  let handle: DbHandle;
  let admin: Actor;
  let viewer: Actor;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => {
    handle = await openTestDatabase(name);
    admin = await signedInUser(handle.db, ['admin']);
    viewer = await signedInUser(handle.db, []);
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await new Promise((resolve) => receiver?.server.close(resolve));
    await handle?.close();
  });
  // Each test starts from a quiet outbox with only its own webhook active.
  beforeEach(async () => {
    await handle.db.update(outbox).set({ state: 'failed' }).where(eq(outbox.state, 'pending'));
    await handle.db.update(webhooks).set({ active: false });
    receiver.status = 200;
    receiver.delayMs = 0;
    receiver.received = [];
  });

  const asAdmin = () => ({ actor: admin, db: handle.db });
  const subscribe = (events: string[]) => createWebhook(asAdmin(), { url: receiver.url, events });
  const rowsOf = (webhookId: string) => handle.db.select().from(outbox).where(eq(outbox.webhookId, webhookId)).orderBy(asc(outbox.id));
  const announce = (event = 'release.rollback') => handle.db.transaction((tx) => enqueueWebhooks(tx, event, { releaseId: 'r-test' }));

  describe('createWebhook and updateWebhook', () => {
    it('returns the secret once, stores it, and keeps it out of the audit and the list', async () => {
      const created = await createWebhook(asAdmin(), { url: 'https://hooks.test.example/fd', events: ['release.rollback', 'release.promote', 'release.rollback'] });
      expect(created.secret).toMatch(/^whsec_[A-Za-z0-9_-]{32}$/);
      expect(created).toMatchObject({ url: 'https://hooks.test.example/fd', events: ['release.promote', 'release.rollback'], active: true });

      const [row] = await handle.db.select().from(webhooks).where(eq(webhooks.id, created.id));
      expect(row!.secret).toBe(created.secret);

      const [event] = await auditOf(handle.db, created.id);
      expect(event).toMatchObject({ action: 'webhook.create', actorId: admin.id, after: { id: created.id, url: created.url } });
      expect(JSON.stringify(event)).not.toContain(created.secret);

      const listed = await listWebhooks(asAdmin());
      expect(listed.find((w) => w.id === created.id)).toBeDefined();
      expect(JSON.stringify(listed)).not.toContain('whsec_');
    });

    it.each([
      ['plain http to another host', { url: 'http://hooks.test.example/fd', events: ['*'] }, 'url'],
      ['not a URL', { url: 'hooks', events: ['*'] }, 'url'],
      ['another scheme', { url: 'ftp://hooks.test.example/', events: ['*'] }, 'url'],
      ['no events', { url: 'https://hooks.test.example/fd', events: [] }, 'events'],
      ['an unknown event', { url: 'https://hooks.test.example/fd', events: ['model.delete'] }, 'events.0'],
    ])('refuses %s with a field error', async (_, input, field) => {
      const before = await auditCount(handle.db);
      await expect(createWebhook(asAdmin(), input)).rejects.toMatchObject({ code: 'invalid', details: { fields: { [field]: [expect.any(String)] } } });
      expect(await auditCount(handle.db)).toBe(before);
    });

    it('allows plain http to localhost and 127.0.0.1', async () => {
      await expect(createWebhook(asAdmin(), { url: 'http://localhost:9000/hook', events: ['*'] })).resolves.toMatchObject({ active: true });
      await expect(createWebhook(asAdmin(), { url: 'http://127.0.0.1:9000/hook', events: ['*'] })).resolves.toMatchObject({ active: true });
    });

    it('refuses a viewer, for writes and reads', async () => {
      const before = await auditCount(handle.db);
      await expect(createWebhook({ actor: viewer, db: handle.db }, { url: 'https://hooks.test.example/fd', events: ['*'] })).rejects.toMatchObject({ code: 'forbidden' });
      const webhook = await subscribe(['*']);
      await expect(updateWebhook({ actor: viewer, db: handle.db }, { webhookId: webhook.id, active: false })).rejects.toMatchObject({ code: 'forbidden' });
      await expect(listWebhooks({ actor: viewer, db: handle.db })).rejects.toMatchObject({ code: 'forbidden' });
      await expect(listWebhookDeliveries({ actor: viewer, db: handle.db }, webhook.id)).rejects.toMatchObject({ code: 'forbidden' });
      expect(await auditCount(handle.db)).toBe(before + 1); // only the admin's subscribe
    });

    it('updates events and active with an audit event, and a repeat is a no-op', async () => {
      const webhook = await subscribe(['*']);
      const updated = await updateWebhook(asAdmin(), { webhookId: webhook.id, active: false, events: ['release.start'] });
      expect(updated).toMatchObject({ active: false, events: ['release.start'] });
      expect(updated).not.toHaveProperty('secret');

      const trail = await auditOf(handle.db, webhook.id);
      expect(trail.map((e) => e.action)).toEqual(['webhook.create', 'webhook.update']);
      expect(trail[1]).toMatchObject({ before: { active: true, events: ['*'] }, after: { active: false, events: ['release.start'] } });
      expect(JSON.stringify(trail)).not.toContain(webhook.secret);

      const before = await auditCount(handle.db);
      await expect(updateWebhook(asAdmin(), { webhookId: webhook.id, active: false })).resolves.toMatchObject({ active: false });
      await expect(updateWebhook(asAdmin(), { webhookId: webhook.id })).resolves.toMatchObject({ active: false });
      expect(await auditCount(handle.db)).toBe(before);
    });

    it('reports an unknown webhook as not found', async () => {
      await expect(updateWebhook(asAdmin(), { webhookId: '00000000-0000-4000-8000-000000000000', active: false })).rejects.toMatchObject({ code: 'not_found' });
      await expect(listWebhookDeliveries(asAdmin(), 'not-a-uuid')).rejects.toMatchObject({ code: 'not_found' });
    });
  });

  describe('deliverDueWebhooks', () => {
    it('delivers a rollback once, signed so that the receiver can verify it', async () => {
      const webhook = await subscribe(['release.rollback']);
      const release = await runningRelease(handle.db);
      await rollbackRelease(setUp(handle.db), { releaseId: release.id, reason: 'error rate doubled' });
      const [row] = await rowsOf(webhook.id);
      expect(row).toMatchObject({ event: 'release.rollback', state: 'pending', attempts: 0 });

      const now = new Date(Date.now() + 1000);
      expect(await deliverDueWebhooks(handle.db, { now })).toEqual({ delivered: 1, failed: 0, retried: 0 });
      expect(await deliverDueWebhooks(handle.db, { now })).toEqual({ delivered: 0, failed: 0, retried: 0 });

      expect(receiver.received).toHaveLength(1);
      const [request] = receiver.received;
      expect(request!.headers).toMatchObject({ 'content-type': 'application/json', 'x-flightdeck-event': 'release.rollback', 'x-flightdeck-delivery': String(row!.id) });
      const signature = request!.headers['x-flightdeck-signature'] as string;
      expect(verifyWebhookSignature(webhook.secret, request!.body, signature, seconds(now))).toBe(true);
      expect(verifyWebhookSignature('whsec_wrong', request!.body, signature, seconds(now))).toBe(false);
      expect(JSON.parse(request!.body)).toMatchObject({ event: 'release.rollback', releaseId: release.id, reason: 'error rate doubled' });

      expect((await rowsOf(webhook.id))[0]).toMatchObject({ state: 'delivered', attempts: 1 });
      const deliveries = await listWebhookDeliveries(asAdmin(), webhook.id);
      expect(deliveries).toEqual([expect.objectContaining({ outboxId: row!.id, event: 'release.rollback', state: 'delivered', statusCode: 200, error: null })]);
    });

    it('retries a failing receiver with backoff, then delivers when it recovers', async () => {
      const webhook = await subscribe(['release.rollback']);
      await announce();
      receiver.status = 500;
      const now = new Date(Date.now() + 1000);
      expect(await deliverDueWebhooks(handle.db, { now })).toEqual({ delivered: 0, failed: 0, retried: 1 });
      const [row] = await rowsOf(webhook.id);
      expect(row).toMatchObject({ state: 'pending', attempts: 1 });
      expect(row!.nextAttemptAt.getTime()).toBe(now.getTime() + 10_000);

      // Not due yet: nothing is posted.
      expect(await deliverDueWebhooks(handle.db, { now: new Date(now.getTime() + 9_000) })).toEqual({ delivered: 0, failed: 0, retried: 0 });
      expect(receiver.received).toHaveLength(1);

      receiver.status = 200;
      expect(await deliverDueWebhooks(handle.db, { now: new Date(now.getTime() + 11_000) })).toEqual({ delivered: 1, failed: 0, retried: 0 });
      expect((await rowsOf(webhook.id))[0]).toMatchObject({ state: 'delivered', attempts: 2 });
      expect(receiver.received.map((r) => r.headers['x-flightdeck-delivery'])).toEqual([String(row!.id), String(row!.id)]);

      const deliveries = await listWebhookDeliveries(asAdmin(), webhook.id);
      expect(deliveries.map((d) => d.statusCode)).toEqual([200, 500]);
      expect(deliveries.every((d) => d.state === 'delivered' && d.durationMs !== null)).toBe(true);
    });

    it('records a network error and retries it', async () => {
      const webhook = await createWebhook(asAdmin(), { url: 'http://127.0.0.1:1/nobody-listens', events: ['*'] });
      await announce();
      expect(await deliverDueWebhooks(handle.db, { now: new Date(Date.now() + 1000) })).toEqual({ delivered: 0, failed: 0, retried: 1 });
      const [delivery] = await listWebhookDeliveries(asAdmin(), webhook.id);
      expect(delivery).toMatchObject({ statusCode: null, state: 'pending', error: expect.any(String) });
    });

    it('gives up after the last allowed attempt', async () => {
      const webhook = await subscribe(['release.rollback']);
      await announce();
      await handle.db.update(outbox).set({ attempts: 7 }).where(eq(outbox.webhookId, webhook.id));
      receiver.status = 503;
      expect(await deliverDueWebhooks(handle.db, { now: new Date(Date.now() + 1000) })).toEqual({ delivered: 0, failed: 1, retried: 0 });
      expect((await rowsOf(webhook.id))[0]).toMatchObject({ state: 'failed', attempts: 8 });
      expect(await deliverDueWebhooks(handle.db, { now: new Date(Date.now() + 86_400_000) })).toEqual({ delivered: 0, failed: 0, retried: 0 });
    });

    it('marks the rows of a deactivated webhook failed without posting them', async () => {
      const webhook = await subscribe(['release.rollback']);
      await announce();
      await updateWebhook(asAdmin(), { webhookId: webhook.id, active: false });
      expect(await deliverDueWebhooks(handle.db, { now: new Date(Date.now() + 1000) })).toEqual({ delivered: 0, failed: 1, retried: 0 });
      expect(receiver.received).toHaveLength(0);
      expect((await rowsOf(webhook.id))[0]).toMatchObject({ state: 'failed' });
      const [delivery] = await listWebhookDeliveries(asAdmin(), webhook.id);
      expect(delivery).toMatchObject({ statusCode: null, error: 'webhook deactivated', state: 'failed' });
    });

    it('never delivers one row twice when two runs race', async () => {
      const webhook = await subscribe(['*']);
      for (let i = 0; i < 6; i++) await announce(i % 2 ? 'release.start' : 'release.rollback');
      receiver.delayMs = 50; // keep the first run's rows locked while the second one looks
      const now = new Date(Date.now() + 1000);
      const runs = await Promise.all([deliverDueWebhooks(handle.db, { now, limit: 4 }), deliverDueWebhooks(handle.db, { now, limit: 4 })]);
      const rows = await rowsOf(webhook.id);
      const ids = receiver.received.map((r) => r.headers['x-flightdeck-delivery']);
      expect(new Set(ids).size).toBe(ids.length);
      expect(runs.reduce((n, run) => n + run.delivered, 0)).toBe(ids.length);
      expect(rows.filter((r) => r.state === 'delivered')).toHaveLength(ids.length);

      // A third run delivers what is left; in all, every row exactly once.
      await deliverDueWebhooks(handle.db, { now });
      const all = receiver.received.map((r) => r.headers['x-flightdeck-delivery']);
      expect(all.slice().sort()).toEqual(rows.map((r) => String(r.id)).sort());
      expect((await rowsOf(webhook.id)).every((r) => r.state === 'delivered' && r.attempts === 1)).toBe(true);
    });
  });
});
