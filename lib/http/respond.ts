import { DatabaseUnavailableError } from '@/db/client';
import { ZodError } from 'zod';
import { AppError, HTTP_STATUS, type ErrorCode } from '@/lib/services/errors';
import { fieldErrorsOf } from '@/lib/services/use-case';

/** Every /api/v1 error has this one shape: { error: { code, message, details } }. */
export function errorBody(code: ErrorCode, message: string, details?: Record<string, unknown>) {
  return { error: { code, message, details: details ?? {} } };
}

export function json(data: unknown, init?: ResponseInit): Response {
  return Response.json(data, init);
}

/** Maps any thrown value to a response; the only place where errors become HTTP. */
export function errorResponse(error: unknown): Response {
  if (error instanceof AppError) {
    const retryAfter = error.details?.retryAfterSeconds;
    return json(errorBody(error.code, error.message, error.details), { status: HTTP_STATUS[error.code], headers: typeof retryAfter === 'number' ? { 'Retry-After': String(retryAfter) } : undefined });
  }
  if (error instanceof ZodError)
    return json(errorBody('invalid', 'Some parameters are not valid.', { fields: fieldErrorsOf(error) }), { status: 422 });
  if (isDatabaseDown(error))
    return json(errorBody('unavailable', 'The database is unavailable; try again shortly.'), {
      status: 503,
      headers: { 'Retry-After': '5' },
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
