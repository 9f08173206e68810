import { describe, expect, it } from 'vitest';
import { FREE_FAILURES, MAX_LOCK_SECONDS, lockSecondsAfter, secondsUntilUnlocked } from '@/lib/domain/login-throttle';

describe('login throttle constants', () => {
  it('allows four free failures and caps a lock at 15 minutes', () => {
    expect(FREE_FAILURES).toBe(4);
    expect(MAX_LOCK_SECONDS).toBe(900);
  });
});

describe('lockSecondsAfter', () => {
  it.each([
    [0, 0],
    [1, 0],
    [2, 0],
    [3, 0],
    [4, 0],
    [5, 1],
    [6, 2],
    [7, 4],
    [8, 8],
    [9, 16],
    [10, 32],
    [12, 128],
    [14, 512],
    [15, 900],
    [16, 900],
    [50, 900],
    [10_000, 900],
  ])('after %i failures locks for %i seconds', (failures, seconds) => {
    expect(lockSecondsAfter(failures)).toBe(seconds);
  });

  it('does not lock for a negative count', () => {
    expect(lockSecondsAfter(-1)).toBe(0);
  });

  it('doubles the lock with each failure until the cap', () => {
    for (let n = FREE_FAILURES + 2; n <= 14; n++) expect(lockSecondsAfter(n)).toBe(2 * lockSecondsAfter(n - 1));
  });

  it('never shrinks as failures grow, and never exceeds the cap', () => {
    let previous = 0;
    for (let n = 0; n <= 200; n++) {
      const seconds = lockSecondsAfter(n);
      expect(seconds).toBeGreaterThanOrEqual(previous);
      expect(seconds).toBeLessThanOrEqual(MAX_LOCK_SECONDS);
      expect(Number.isInteger(seconds)).toBe(true);
      previous = seconds;
    }
  });
});

describe('secondsUntilUnlocked', () => {
  const now = new Date('2025-05-01T10:00:00.000Z');
  const later = (ms: number) => new Date(now.getTime() + ms);

  it('is 0 when there is no lock', () => {
    expect(secondsUntilUnlocked(null, now)).toBe(0);
  });

  it('is 0 when the lock has expired or expires right now', () => {
    expect(secondsUntilUnlocked(later(-1), now)).toBe(0);
    expect(secondsUntilUnlocked(later(-3_600_000), now)).toBe(0);
    expect(secondsUntilUnlocked(now, now)).toBe(0);
  });

  it.each([
    [1, 1],
    [999, 1],
    [1000, 1],
    [1001, 2],
    [59_500, 60],
    [900_000, 900],
  ])('rounds %i ms left up to %i seconds, so the caller never retries too early', (ms, seconds) => {
    expect(secondsUntilUnlocked(later(ms), now)).toBe(seconds);
  });

  it('agrees with lockSecondsAfter when the lock has just been set', () => {
    for (const failures of [5, 8, 15]) {
      const lockedUntil = later(lockSecondsAfter(failures) * 1000);
      expect(secondsUntilUnlocked(lockedUntil, now)).toBe(lockSecondsAfter(failures));
    }
  });
});
