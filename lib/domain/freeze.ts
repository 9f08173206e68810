import { z } from 'zod';

/**
 * A period in which an environment takes no new changes (a holiday, a launch, an incident).
 * During it the release machine allows only rollback, abort, pause and reject. Times are UTC
 * ISO 8601 with a Z, so what is stored is what every viewer's clock converts from.
 */
export const FreezeWindow = z
  .object({
    start: z.iso.datetime(),
    end: z.iso.datetime(),
    reason: z.string().min(1).max(200),
  })
  .refine((w) => Date.parse(w.end) > Date.parse(w.start), { message: 'The end must be after the start', path: ['end'] });
export type FreezeWindow = z.infer<typeof FreezeWindow>;

/**
 * The window in force at `now` (start inclusive, end exclusive, so back-to-back windows never
 * both apply at the seam), or null. When windows overlap, the one that ends last is returned: it
 * is the one whose end the UI should show. Ties go to the earlier entry in `windows`.
 * A window whose times do not parse is ignored; windows are parsed with FreezeWindow on the way in.
 */
export function activeFreeze(windows: readonly FreezeWindow[], now: Date): FreezeWindow | null {
  const t = now.getTime();
  let found: FreezeWindow | null = null;
  for (const w of windows) {
    const start = Date.parse(w.start);
    const end = Date.parse(w.end);
    if (!(start <= t && t < end)) continue;
    if (found === null || end > Date.parse(found.end)) found = w;
  }
  return found;
}
