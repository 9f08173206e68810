import { DatabaseUnavailableError } from '@/db/client';
import { ZodError } from 'zod';
import { AppError, HTTP_STATUS, type ErrorCode } from '@/lib/services/errors';
import { fieldErrorsOf } from '@/lib/services/use-case';

/** Every /api/v1 error has this one shape: { error: { code, message, details } }. */
export function errorBody(code: ErrorCode, message: string, details?: Record<string, unknown>) {
  return { error: { code, message, details: details ?? {} } };
}

// Next.js may bundle this module more than once (a route's bundle, and server.mjs's direct routes
// through instrumentation): an answer is recognised by this mark, not by `instanceof`.
const ANSWER = Symbol.for('flightdeck.answer');

/** Is `value` an Answer, from whichever copy of this module? */
export function isAnswer(value: unknown): value is Answer {
  return typeof value === 'object' && value !== null && (value as { [ANSWER]?: unknown })[ANSWER] === true;
}

/**
 * An /api/v1 answer as plain data: status, headers (lower-case names) and body text (null: none).
 * server.mjs writes it to the socket as it is (lib/http/direct-routes.ts), which costs less than
 * building a Web Response and reading it back; Next.js's routes get it as a Response (toResponse).
 */
export class Answer {
  readonly [ANSWER] = true;
  constructor(
    readonly status: number,
    readonly headers: Record<string, string>,
    readonly body: string | null,
  ) {}
}

/** JSON, as Response.json writes it. */
export function json(data: unknown, init: { status?: number; headers?: Record<string, string> } = {}): Answer {
  return new Answer(init.status ?? 200, { 'content-type': 'application/json', ...init.headers }, JSON.stringify(data) ?? 'null');
}

/** A handler's own Response (a download, a stream) passes through untouched. */
export function toResponse(answer: Answer | Response): Response {
  return isAnswer(answer) ? new Response(answer.body, { status: answer.status, headers: answer.headers }) : answer;
}

/** Maps any thrown value to an answer; the only place where errors become HTTP. */
export function errorAnswer(error: unknown): Answer {
  if (error instanceof AppError) {
    const retryAfter = error.details?.retryAfterSeconds;
    return json(errorBody(error.code, error.message, error.details), { status: HTTP_STATUS[error.code], headers: typeof retryAfter === 'number' ? { 'retry-after': String(retryAfter) } : undefined });
  }
  if (error instanceof ZodError)
    return json(errorBody('invalid', 'Some parameters are not valid.', { fields: fieldErrorsOf(error) }), { status: 422 });
  if (isDatabaseDown(error))
    return json(errorBody('unavailable', 'The database is unavailable; try again shortly.'), {
      status: 503,
      headers: { 'retry-after': '5' },
    });
  // Never echo internals (SQL, stack) to a client: callers log and report it (reportUnexpected).
  return json(errorBody('internal', 'Something went wrong on our side. The error was logged.'), { status: 500 });
}

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'CONNECT_TIMEOUT', 'CONNECTION_CLOSED', 'CONNECTION_ENDED', '57P01', '57P03']);

function isDatabaseDown(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof DatabaseUnavailableError) return true;
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && CONNECTION_CODES.has(code)) return true;
  }
  return false;
}
