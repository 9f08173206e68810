/**
 * Repeated wrong passwords slow the guesser down. The first few failures are free (people
 * mistype); after that each failure locks the address for twice as long as the previous one,
 * up to 15 minutes.
 */
export const FREE_FAILURES = 4;
export const MAX_LOCK_SECONDS = 15 * 60;

export function lockSecondsAfter(failures: number): number {
  if (failures <= FREE_FAILURES) return 0;
  return Math.min(2 ** (failures - FREE_FAILURES - 1), MAX_LOCK_SECONDS);
}

/** Seconds the caller must still wait, or 0. */
export function secondsUntilUnlocked(lockedUntil: Date | null, now: Date): number {
  if (!lockedUntil) return 0;
  return Math.max(0, Math.ceil((lockedUntil.getTime() - now.getTime()) / 1000));
}
