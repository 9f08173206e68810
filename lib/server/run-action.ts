import 'server-only';
import { randomUUID } from 'node:crypto';
import { headers } from 'next/headers';
import { ZodError } from 'zod';
import { getDb, type Database } from '@/db';
import { getSessionActor } from '@/lib/auth/session';
import type { Actor } from '@/lib/domain/roles';
import type { RequestMeta } from '@/lib/services/audit/append-audit';
import { AppError } from '@/lib/services/errors';
import { errorAnswer } from '@/lib/http/respond';
import { reportUnexpected } from './observability/report-unexpected';
import type { ActionState } from './action-state';

type Caller = { actor: Actor | null; db: Database; request: RequestMeta };

/**
 * The adapter every server action uses: the signed-in user as actor, the request's metadata for
 * the audit log, and errors mapped to form state in one place (the same mapping as the API's).
 */
export async function runAction<R>(
  work: (caller: Caller) => Promise<R>,
  success: (result: R) => string,
): Promise<ActionState<R>> {
  const requestId = randomUUID();
  try {
    const h = await headers();
    const caller: Caller = {
      actor: await getSessionActor(),
      db: await getDb(),
      request: {
        requestId,
        ip: h.get('x-forwarded-for')?.split(',')[0]?.trim() || undefined,
        userAgent: h.get('user-agent')?.slice(0, 200) || undefined,
        via: 'ui',
      },
    };
    const result = await work(caller);
    return { status: 'ok', message: success(result), result };
  } catch (error) {
    if (error instanceof AppError) {
      // The API's wording speaks of API keys; a form's reader has a session that ended.
      if (error.code === 'unauthenticated') return { status: 'error', message: 'Your session has ended: sign in again, then retry.' };
      const fields = (error.details?.fields ?? undefined) as ActionState['fieldErrors'];
      return { status: 'error', message: error.message, fieldErrors: fields };
    }
    if (error instanceof ZodError) return { status: 'error', message: 'Some fields are not valid.' };
    // Same classification as the API (database down → "try again"), without leaking internals.
    const answer = errorAnswer(error);
    if (answer.status === 500) reportUnexpected(error, { where: 'server-action', requestId });
    const body = JSON.parse(answer.body!) as { error: { message: string } };
    return { status: 'error', message: body.error.message };
  }
}
