import type { SQL } from 'drizzle-orm';
import type { z } from 'zod';
import type { Actor, Permission } from '@/lib/domain/roles';
import type { Database, Tx } from '@/db';
import { changeFeedOf } from '@/db/change-feed';
import { appendAudit, auditQueueInsert, type AuditInput, type RequestMeta } from './audit/append-audit';
import { unstorableFields } from '@/lib/domain/text';
import { authorize } from './authorize';
import { AppError, invalid, type FieldErrors } from './errors';

/**
 * The one shape of every state change, whoever calls it (server action, /api/v1, controller):
 *   1. require an actor and the permission   → 401 / 403
 *   2. parse the input with zod               → 422 with field errors
 *      (first: no string Postgres cannot store — U+0000, a lone surrogate — anywhere in it, keys
 *      included; refused here once rather than in every schema, else the INSERT fails with a 500)
 *   3. one transaction: the change and its audit events, all or nothing (the events are linked
 *      into the chain at COMMIT, inside Postgres: lib/services/audit/append-audit.ts)
 * A use case that changes something but forgets to audit fails loudly instead of committing.
 */
export type UseCaseContext = {
  tx: Tx;
  actor: Actor;
  now: Date;
  /** Append to the audit chain inside this transaction. */
  audit: (event: AuditInput) => Promise<void>;
  /**
   * The events recorded so far as one INSERT, for a hot path to send inside its own last
   * statement (a data-modifying CTE) instead of as a statement of their own after `run`. Taken,
   * they are the caller's to send: they are not written again at the end (later ones still are).
   */
  takeAuditInsert: () => SQL | null;
  /** Declare that this call changed nothing (an idempotent repeat), so no audit event is due. */
  unchanged: () => void;
  /** Where the call came from (request id, trace context), for what outlives the call: releases, webhooks. */
  request?: RequestMeta;
};

export type Caller = { actor: Actor | null; db: Database; request?: RequestMeta; now?: Date };

export type UseCase<S extends z.ZodType, R> = {
  (caller: Caller, input: unknown): Promise<R>;
  readonly useCase: { name: string; permission: Permission; input: S; summary: string };
};

export function defineUseCase<S extends z.ZodType, R>(definition: {
  name: string;
  permission: Permission;
  summary: string;
  input: S;
  /** Only for telemetry (data, not decisions): say why it is not audited. Everything else is. */
  notAudited?: string;
  /**
   * The cached tables (those with a change trigger, db/change-feed.ts) this use case may write.
   * This process forgets what it cached from them as soon as the transaction commits, so it reads
   * its own writes without waiting for the database's announcement. Unset: everything is
   * forgotten. Narrow it only on hot paths: a release action that empties the API-key cache makes
   * the caller's next request look its key up again.
   */
  changes?: readonly string[];
  run: (ctx: UseCaseContext, input: z.output<S>) => Promise<R>;
}): UseCase<S, R> {
  const execute = async (caller: Caller, rawInput: unknown): Promise<R> => {
    const actor = authorize(caller.actor, definition.permission, definition.summary.toLowerCase());

    const unstorable = unstorableFields(rawInput);
    if (unstorable) throw invalid('Some fields are not valid.', unstorable);

    const parsed = definition.input.safeParse(rawInput);
    if (!parsed.success) throw invalid('Some fields are not valid.', fieldErrorsOf(parsed.error));

    const now = caller.now ?? new Date();
    const result = await caller.db.transaction(async (tx) => {
      let audited = 0;
      let unchanged = false;
      const pending: AuditInput[] = [];
      const auditContext = { actor, request: caller.request, now };
      const ctx: UseCaseContext = {
        tx,
        actor,
        now,
        // Kept until the change is done, then written in one statement.
        audit: async (event) => {
          pending.push(event);
          audited += 1;
        },
        takeAuditInsert: () => (pending.length > 0 ? auditQueueInsert(auditContext, pending.splice(0)) : null),
        unchanged: () => {
          unchanged = true;
        },
        request: caller.request,
      };
      const result = await definition.run(ctx, parsed.data);
      if (audited === 0 && !unchanged && !definition.notAudited)
        throw new AppError('internal', `${definition.name} changed state without an audit event`);
      // What was recorded and not taken, in one statement.
      if (pending.length > 0) await appendAudit(tx, auditContext, pending);
      return result;
    });
    // Read your own writes: this process's caches forget now, not when the notification echoes back.
    if (!definition.notAudited) for (const table of definition.changes ?? ['*']) changeFeedOf(caller.db)?.publish(table);
    return result;
  };
  return Object.assign(execute, {
    useCase: { name: definition.name, permission: definition.permission, input: definition.input, summary: definition.summary },
  });
}

/** zod issues → { "field.path": ["message", …] }; errors about the whole input go under "_". */
export function fieldErrorsOf(error: z.ZodError): FieldErrors {
  const fields: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? issue.path.map(String).join('.') : '_';
    (fields[key] ??= []).push(issue.message);
  }
  return fields;
}
