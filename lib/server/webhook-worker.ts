import { reportError } from './observability/error-reporter';
import { errorText, log } from './log';
import { and, asc, eq, lte } from 'drizzle-orm';
import { outbox, webhookDeliveries, webhooks } from '@/db/schema';
import type { Database } from '@/db';
import { formatWebhookBody } from '@/lib/domain/webhook-format';
import { retryDelaySeconds, signWebhook } from '@/lib/domain/webhook-signature';

const TIMEOUT_MS = 10_000;
const MAX_ERROR_LENGTH = 500;

export type DeliveryRun = { delivered: number; failed: number; retried: number };

type Attempt = { statusCode: number | null; error: string | null; durationMs: number };

/**
 * Delivers the due outbox rows (at least once: a receiver deduplicates on X-Flightdeck-Delivery).
 *
 * Races: the rows are locked `for update skip locked` for the whole run, so several workers (or
 * several server instances) each take different rows and never post one row twice; a row is
 * released only once its outcome is written. Only outbox rows are locked, not their webhooks,
 * so an admin editing a webhook does not wait for a delivery.
 *
 * Failure modes: a non-2xx answer, a network error or the 10 s timeout count as a failed
 * attempt, retried with retryDelaySeconds' backoff, then marked failed. Rows of a deactivated
 * webhook are marked failed without a request. A database error rolls the run back: its rows
 * stay pending and the next run tries them again (possibly a second post — hence "at least once").
 */
export async function deliverDueWebhooks(
  db: Database,
  opts: { now?: Date; fetch?: typeof fetch; limit?: number; baseUrl?: string } = {},
): Promise<DeliveryRun> {
  const now = opts.now ?? new Date();
  const post = opts.fetch ?? fetch;
  return db.transaction(async (tx) => {
    const due = await tx
      .select({ row: outbox, webhook: webhooks })
      .from(outbox)
      .innerJoin(webhooks, eq(webhooks.id, outbox.webhookId))
      .where(and(eq(outbox.state, 'pending'), lte(outbox.nextAttemptAt, now)))
      .orderBy(asc(outbox.id))
      .limit(opts.limit ?? 20)
      .for('update', { of: outbox, skipLocked: true });

    // Post in parallel: one slow receiver must not hold up the others' rows for 10 s each.
    const attempts = await Promise.all(
      due.map(({ row, webhook }): Promise<Attempt> =>
        webhook.active ? attempt(post, webhook, row, now, opts.baseUrl) : Promise.resolve({ statusCode: null, error: 'webhook deactivated', durationMs: 0 }),
      ),
    );

    const run: DeliveryRun = { delivered: 0, failed: 0, retried: 0 };
    for (const [i, { row, webhook }] of due.entries()) {
      const result = attempts[i]!;
      await tx.insert(webhookDeliveries).values({ outboxId: row.id, ...result, attemptedAt: now });
      if (!webhook.active) {
        await tx.update(outbox).set({ state: 'failed' }).where(eq(outbox.id, row.id));
        run.failed += 1;
        continue;
      }
      const ok = result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300;
      const tries = row.attempts + 1;
      if (ok) {
        await tx.update(outbox).set({ state: 'delivered', attempts: tries }).where(eq(outbox.id, row.id));
        run.delivered += 1;
        continue;
      }
      const delay = retryDelaySeconds(tries);
      if (delay === null) {
        await tx.update(outbox).set({ state: 'failed', attempts: tries }).where(eq(outbox.id, row.id));
        run.failed += 1;
      } else {
        await tx.update(outbox).set({ attempts: tries, nextAttemptAt: new Date(now.getTime() + delay * 1000) }).where(eq(outbox.id, row.id));
        run.retried += 1;
      }
    }
    return run;
  });
}

async function attempt(
  post: typeof fetch,
  webhook: typeof webhooks.$inferSelect,
  row: typeof outbox.$inferSelect,
  now: Date,
  baseUrl?: string,
): Promise<Attempt> {
  const body = JSON.stringify(formatWebhookBody(webhook.format, row.event, row.payload as Record<string, unknown>, baseUrl));
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const response = await post(webhook.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'X-Flightdeck-Event': row.event,
        'X-Flightdeck-Delivery': String(row.id),
        'X-Flightdeck-Signature': signWebhook(webhook.secret, body, Math.floor(now.getTime() / 1000)),
        ...(row.traceparent ? { traceparent: row.traceparent } : {}),
      },
      body,
      redirect: 'manual', // a redirect is not a delivery, and must not carry the payload elsewhere
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    await response.body?.cancel().catch(() => {}); // the answer's body is not read: free the socket
    return { statusCode: response.status, error: null, durationMs: elapsed() };
  } catch (error) {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return { statusCode: null, error: message.slice(0, MAX_ERROR_LENGTH), durationMs: elapsed() };
  }
}

/**
 * Runs deliverDueWebhooks every `intervalMs` in this process, one run at a time. The timer is
 * unref'd (it never keeps a process alive) and a failed run is logged in one line, never thrown:
 * the next tick tries again. Returns a function that stops it.
 */
export function startWebhookWorker(getDb: () => Promise<Database>, intervalMs = 2000, baseUrl?: string): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    getDb()
      .then((db) => deliverDueWebhooks(db, { baseUrl }))
      .catch((error: unknown) => {
        log('error', 'webhook delivery run failed', { error: errorText(error) });
        reportError(error, { where: 'webhook-worker' });
      })
      .finally(() => {
        running = false;
      });
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
