import { log } from '../log';
import { reportError, type ErrorContext } from './error-reporter';

/**
 * An error nobody expected (the 500 path of the API, a server action, the controller): one log line
 * with the request and trace ids (scrubbed), and a Sentry event when SENTRY_DSN is set.
 */
export function reportUnexpected(error: unknown, context: ErrorContext): void {
  const traceId = context.traceparent?.split('-')[1];
  log('error', `unhandled error in ${context.where}`, {
    requestId: context.requestId,
    traceId,
    method: context.method,
    route: context.route,
    error: describe(error),
  });
  reportError(error, context);
}

/** The stack, then each cause's message (a failed query's cause is the driver's own error: "duplicate key…", "connection refused"). */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  let text = error.stack ?? error.message;
  let cause: unknown = error.cause;
  for (let depth = 0; cause && depth < 5; depth++, cause = (cause as { cause?: unknown }).cause)
    text += `\ncaused by: ${cause instanceof Error ? cause.message : String(cause)}`;
  return text;
}
