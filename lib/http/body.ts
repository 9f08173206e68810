import { AppError } from '@/lib/services/errors';

/** Path parameters are merged into the body, which must therefore be a JSON object. */
export function asObject(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new AppError('invalid', 'The body must be a JSON object.', { fields: { _: ['Expected a JSON object'] } });
  return body as Record<string, unknown>;
}
