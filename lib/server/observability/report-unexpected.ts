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
    error: error instanceof Error ? (error.stack ?? error.message) : String(error),
  });
  reportError(error, context);
}
