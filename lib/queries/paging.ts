import { z } from 'zod';
import { invalid } from '@/lib/services/errors';

/** A list's `?limit=`: a whole number from 1 to `max`. */
const limitSchema = (max: number) => z.coerce.number().int('Must be a whole number').min(1, 'At least 1').max(max, `At most ${max}`);

/** ?limit= and ?cursor= as every list accepts them. */
export const PageParams = z.object({
  limit: limitSchema(200).default(50),
  cursor: z.string().max(200).optional(),
});
export type PageParams = z.infer<typeof PageParams>;

/** Opaque keyset cursors: base64url of a small JSON value. */
export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function decodeCursor<T>(cursor: string | undefined, schema: z.ZodType<T>): T | undefined {
  if (!cursor) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    value = undefined;
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw invalid('The cursor is not one this list gave out.', { cursor: ['Unknown cursor'] });
  return parsed.data;
}

/**
 * `?limit=` of a list that is not paged by cursor: a whole number from 1 to `max`, `fallback`
 * when absent; anything else (2.5, -3, 1e999, "ten") is a 422 naming the field, never a query.
 */
export function limitParam(raw: string | null, fallback: number, max: number): number {
  if (raw === null) return fallback;
  const parsed = limitSchema(max).safeParse(raw.trim() === '' ? Number.NaN : raw);
  if (!parsed.success) throw invalid('The limit is not valid.', { limit: parsed.error.issues.map((i) => i.message) });
  return parsed.data;
}
