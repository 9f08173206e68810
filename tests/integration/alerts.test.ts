import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { alertEvents, alerts, outbox, webhooks } from '@/db/schema';
import type { DbHandle } from '@/db/client';
import type { Database } from '@/db';
import type { Actor } from '@/lib/domain/roles';
import { verifyWebhookSignature } from '@/lib/domain/webhook-signature';
import { getAlert, listAlerts } from '@/lib/queries/alerts';
import { deliverDueWebhooks } from '@/lib/server/webhook-worker';
import { acknowledgeAlert, commentAlert, createEnvironment, createModel, createWebhook, observeAnalysis, registerVersion, requestRelease, resolveAlert, startRelease } from '@/lib/services';
import { auditOf, failure, setUp, signedInUser, unique } from '../support/fixtures';
import { openTestDatabase, targets } from '../support/test-db';
import { startReceiver } from '../support/webhook-receiver';


async function runningRelease(db: Database) {
  const model = await createModel(setUp(db), { name: `model-${unique()}`, ownerTeam: 'risk-ml' });
  await registerVersion(setUp(db), { model: model.name, version: '1.0.0', artifactUri: 's3://artifacts/model.tar.gz', artifactDigest: `sha256:${'ab'.repeat(32)}` });
  const env = await createEnvironment(setUp(db), { name: `env-${unique()}`, rank: 1, policy: { requiredChecks: [], thresholds: {} } });
  const release = await requestRelease(setUp(db), { model: model.name, version: '1.0.0', environment: env.name, strategy: 'canary', plan: [{ weight: 10 }, { weight: 100 }] });
  await startRelease(setUp(db), { releaseId: release.id });
  return { release, model: model.name };
}

const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

describe.each(targets)('alerts on $name', ({ name }) => {
  let handle: DbHandle;
  let db: Database;
  let oncall: Actor;
  let viewer: Actor;
  let admin: Actor;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => {
    handle = await openTestDatabase(name);
    db = handle.db;
    oncall = await signedInUser(db, ['oncall']);
    viewer = await signedInUser(db, []);
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
  const as = (actor: Actor) => ({ actor, db });
  const system = () => setUp(db);
  const alertsOf = (releaseId: string) => db.select().from(alerts).where(eq(alerts.releaseId, releaseId));

  it('a failed canary analysis opens one critical alert; repeats do not duplicate it; a pass resolves it', async () => {
    const { release } = await runningRelease(db);
    const t0 = Date.now();
    const opened = await observeAnalysis(system(), { releaseId: release.id, verdict: 'fail', at: new Date(t0), summary: 'error rate 2.1 % vs 1.0 %' });
    expect(opened).toEqual([expect.objectContaining({ type: 'open', severity: 'critical' })]);
    expect(await observeAnalysis(system(), { releaseId: release.id, verdict: 'fail', at: new Date(t0 + 5000), summary: 'still failing' })).toEqual([]);
    expect(await observeAnalysis(system(), { releaseId: release.id, verdict: 'inconclusive', at: new Date(t0 + 8000), summary: 'few samples' })).toEqual([]);
    const [alert] = await alertsOf(release.id);
    expect(alert).toMatchObject({ kind: 'analysis_failed', severity: 'critical', state: 'open' });
    expect((await alertsOf(release.id)).length).toBe(1);
    // While it fires, it shows the latest evidence.
    expect(alert!.details).toMatchObject({ summary: 'still failing' });

    await observeAnalysis(system(), { releaseId: release.id, verdict: 'pass', at: new Date(t0 + 10_000), summary: 'recovered' });
    const [after] = await alertsOf(release.id);
    expect(after).toMatchObject({ state: 'resolved', resolvedBy: 'system:bootstrap' });
    expect((await auditOf(db, alert!.id)).map((e) => e.action)).toEqual(['alert.open', 'alert.resolve']);
    const trail = await db.select().from(alertEvents).where(eq(alertEvents.alertId, alert!.id)).orderBy(asc(alertEvents.id));
    expect(trail.map((e) => e.action)).toEqual(['open', 'auto_resolve']);

    // The next failure is a new alert, not the old one re-opened.
    await observeAnalysis(system(), { releaseId: release.id, verdict: 'fail', at: new Date(t0 + 20_000), summary: 'again' });
    const all = await alertsOf(release.id);
    expect(all.map((a) => a.state).sort()).toEqual(['open', 'resolved']);
  });

  it('on-call acknowledges and resolves with a comment trail, each once, all audited; a viewer may not', async () => {
    const { release } = await runningRelease(db);
    await observeAnalysis(system(), { releaseId: release.id, verdict: 'fail', at: new Date(), summary: 'latency p99 +40 %' });
    const [alert] = await alertsOf(release.id);
    expect((await failure(acknowledgeAlert(as(viewer), { alertId: alert!.id }))).code).toBe('forbidden');

    expect(await acknowledgeAlert(as(oncall), { alertId: alert!.id, comment: 'looking' })).toMatchObject({ changed: true, alert: { state: 'acknowledged', acknowledgedBy: oncall.name } });
    expect(await acknowledgeAlert(as(oncall), { alertId: alert!.id })).toMatchObject({ changed: false });
    await commentAlert(as(oncall), { alertId: alert!.id, comment: 'rolled the canary back by hand' });
    expect((await failure(resolveAlert(as(oncall), { alertId: alert!.id, comment: '' }))).code).toBe('invalid');
    expect(await resolveAlert(as(oncall), { alertId: alert!.id, comment: 'canary rolled back; fix in 2.5.1' })).toMatchObject({ changed: true, alert: { state: 'resolved', resolvedBy: oncall.name } });
    expect(await resolveAlert(as(oncall), { alertId: alert!.id, comment: 'again' })).toMatchObject({ changed: false });
    expect((await failure(acknowledgeAlert(as(oncall), { alertId: alert!.id }))).code).toBe('conflict');

    const { trail } = await getAlert(as(viewer), alert!.id);
    expect(trail.map((e) => [e.action, e.actor])).toEqual([
      ['open', 'system:bootstrap'],
      ['acknowledge', oncall.name],
      ['comment', oncall.name],
      ['resolve', oncall.name],
    ]);
    expect((await auditOf(db, alert!.id)).map((e) => e.action)).toEqual(['alert.open', 'alert.acknowledge', 'alert.comment', 'alert.resolve']);

    // A failure after a manual resolve opens a fresh alert (the rule starts over).
    await observeAnalysis(system(), { releaseId: release.id, verdict: 'fail', at: new Date(Date.now() + 60_000), summary: 'failing again' });
    expect((await alertsOf(release.id)).filter((a) => a.state === 'open')).toHaveLength(1);
  });

  it('lists open before acknowledged before resolved, critical first, and filters', async () => {
    const { release, model } = await runningRelease(db);
    await observeAnalysis(system(), { releaseId: release.id, verdict: 'fail', at: new Date(), summary: 'x' });
    const rows = await listAlerts(as(viewer), { model });
    expect(rows.map((r) => [r.alert.kind, r.alert.state, r.model, r.ownerTeam])).toEqual([['analysis_failed', 'open', model, 'risk-ml']]);
    expect(await listAlerts(as(viewer), { model, state: 'resolved' })).toEqual([]);
    await expect(listAlerts(as(viewer), { state: 'bogus' })).rejects.toMatchObject({ code: 'invalid' });
  });

  it('notifies a Slack-format receiver on loopback, signed, and retries after a 500', async () => {
    const webhook = await createWebhook(as(admin), { url: receiver.url, events: ['alert.open', 'alert.acknowledge'], format: 'slack' });
    const { release } = await runningRelease(db);
    await observeAnalysis(system(), { releaseId: release.id, verdict: 'fail', at: new Date(), summary: 'error rate doubled' });
    receiver.status = 500;
    const now = new Date(Date.now() + 1000);
    expect(await deliverDueWebhooks(db, { now, baseUrl: 'https://flightdeck.example' })).toEqual({ delivered: 0, failed: 0, retried: 1 });
    receiver.status = 200;
    expect(await deliverDueWebhooks(db, { now: new Date(now.getTime() + 11_000), baseUrl: 'https://flightdeck.example' })).toEqual({ delivered: 1, failed: 0, retried: 0 });
    expect(receiver.received).toHaveLength(2);
    const last = receiver.received[1]!;
    expect(last.headers['x-flightdeck-event']).toBe('alert.open');
    expect(verifyWebhookSignature(webhook.secret, last.body, last.headers['x-flightdeck-signature'] as string, seconds(new Date(now.getTime() + 11_000)))).toBe(true);
    const body = JSON.parse(last.body) as { text: string; blocks: { text: { text: string } }[] };
    const [alert] = await alertsOf(release.id);
    expect(body.text).toContain('[CRITICAL] Alert opened');
    expect(body.text).toContain(`<https://flightdeck.example/alerts/${alert!.id}|Canary analysis failed`);
    expect(body.blocks[0]!.text.text).toBe(body.text);
  });
});
