import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import type { DbHandle } from '@/db/client';
import { auditEvents, outbox, releases, webhooks } from '@/db/schema';
import { parseTraceparent } from '@/lib/domain/trace-context';
import { controllerTick } from '@/lib/server/controller/tick';
import { deliverDueWebhooks } from '@/lib/server/webhook-worker';
import { createWebhook, requestRelease, startRelease } from '@/lib/services';
import { liveModel } from '../support/experiment-fixtures';
import { signedInUser } from '../support/fixtures';
import { openTestDatabase, targets } from '../support/test-db';
import { startReceiver } from '../support/webhook-receiver';
import { flushSpans } from '@/lib/server/observability/tracing';

type OtlpBody = { resourceSpans: { resource: { attributes: unknown[] }; scopeSpans: { spans: { name: string; traceId: string; parentSpanId?: string; attributes: { key: string; value: { stringValue?: string; intValue?: string } }[] }[] }[] }[] };

/** An OTLP/HTTP collector stand-in: keeps every JSON body posted to /v1/traces. */
async function startCollector() {
  const collector = { url: '', received: [] as OtlpBody[], server: createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.url === '/v1/traces') collector.received.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpBody);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  }) };
  await new Promise<void>((resolve) => collector.server.listen(0, '127.0.0.1', resolve));
  collector.url = `http://127.0.0.1:${(collector.server.address() as AddressInfo).port}`;
  return collector;
}

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';

/** A pipeline's trace, given with its API calls, is continued by the controller's later steps and the webhooks they send. */
describe.each(targets)('trace context on $name', ({ name }) => {
  let handle: DbHandle;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let collector: Awaited<ReturnType<typeof startCollector>>;
  beforeAll(async () => {
    handle = await openTestDatabase(name);
    receiver = await startReceiver();
    collector = await startCollector();
  });
  afterAll(async () => {
    await new Promise((resolve) => receiver?.server.close(resolve));
    await new Promise((resolve) => collector?.server.close(resolve));
    await handle?.close();
  });

  it('carries the trace of the request that started a release into the controller’s steps and their webhooks', async () => {
    const db = handle.db;
    const admin = await signedInUser(db, ['admin']);
    await db.update(webhooks).set({ active: false });
    await createWebhook({ actor: admin, db }, { url: receiver.url, events: ['release.advance'] });
    const target = await liveModel(db);
    // What apiRoute puts on the caller for `traceparent: 00-<TRACE>-<span>-01` (a child span of the pipeline's).
    const pipeline = { actor: admin, db, request: { via: 'api' as const, requestId: 'ci-run-42', traceparent: `00-${TRACE}-1111111111111111-01` } };
    const release = await requestRelease(pipeline, { model: target.model, version: '1.1.0', environment: target.environment, strategy: 'canary', plan: [{ weight: 10, holdSeconds: 1 }, { weight: 100 }] });
    await startRelease({ ...pipeline, request: { ...pipeline.request, traceparent: `00-${TRACE}-2222222222222222-01` } }, { releaseId: release.id });
    const [stored] = await db.select({ traceParent: releases.traceParent }).from(releases).where(eq(releases.id, release.id));
    expect(stored!.traceParent).toBe(`00-${TRACE}-2222222222222222-01`);

    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = collector.url;
    try {
      await controllerTick(db, new Date(Date.now() + 5_000));
      await flushSpans();
    } finally {
      delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
    }
    // The controller's step is a span in the pipeline's trace, under the span that started the release.
    const spans = collector.received.flatMap((b) => b.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans)));
    const step = spans.find((s) => s.name === 'controller.step' && s.attributes.some((a) => a.key === 'flightdeck.release_id' && a.value.stringValue === release.id));
    expect(step).toMatchObject({ traceId: TRACE, parentSpanId: '2222222222222222', kind: 1, status: { code: 1 } });
    expect(step!.attributes).toContainEqual({ key: 'flightdeck.advanced', value: { intValue: '1' } });
    expect(collector.received[0]!.resourceSpans[0]!.resource.attributes).toContainEqual({ key: 'service.name', value: { stringValue: 'flightdeck' } });
    const [advance] = await db.select().from(auditEvents).where(and(eq(auditEvents.targetId, release.id), eq(auditEvents.action, 'release.advance')));
    expect(advance).toMatchObject({ actorName: 'system:controller' });
    const controllerSpan = parseTraceparent((advance!.metadata as { traceparent?: string }).traceparent);
    expect(controllerSpan).toMatchObject({ traceId: TRACE, flags: '01' });
    expect(controllerSpan!.spanId).not.toMatch(/^(1111111111111111|2222222222222222)$/);
    // The controller's own action does not take the release's trace over.
    const [after] = await db.select({ traceParent: releases.traceParent }).from(releases).where(eq(releases.id, release.id));
    expect(after!.traceParent).toBe(`00-${TRACE}-2222222222222222-01`);

    const [queued] = await db.select().from(outbox).where(eq(outbox.event, 'release.advance'));
    expect(parseTraceparent(queued!.traceparent)?.traceId).toBe(TRACE);
    await deliverDueWebhooks(db, { now: new Date(Date.now() + 10_000) });
    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0]!.headers.traceparent).toBe(queued!.traceparent);
  });
});
