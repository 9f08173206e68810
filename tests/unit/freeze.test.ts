import { describe, expect, it } from 'vitest';
import { FreezeWindow, activeFreeze } from '@/lib/domain/freeze';

const window = (start: string, end: string, reason = 'launch'): FreezeWindow => ({ start, end, reason });
const at = (iso: string) => new Date(iso);

describe('FreezeWindow', () => {
  it('accepts a UTC window with a reason', () => {
    const w = { start: '2025-12-20T00:00:00Z', end: '2026-01-02T00:00:00.000Z', reason: 'holidays' };
    expect(FreezeWindow.parse(w)).toEqual(w);
  });

  it('refuses an end that is not after the start, on the end field', () => {
    for (const end of ['2025-12-20T00:00:00Z', '2025-12-19T23:59:59Z']) {
      const result = FreezeWindow.safeParse({ start: '2025-12-20T00:00:00Z', end, reason: 'x' });
      expect(result.success).toBe(false);
      expect(result.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['end', 'The end must be after the start']]);
    }
  });

  it('compares instants, not strings', () => {
    // As strings, "…59.5Z" sorts before "…59Z" (. < Z): a string comparison would get both of these wrong.
    expect(FreezeWindow.safeParse({ start: '2025-01-01T00:00:59Z', end: '2025-01-01T00:00:59.5Z', reason: 'x' }).success).toBe(true);
    expect(FreezeWindow.safeParse({ start: '2025-01-01T00:00:59.5Z', end: '2025-01-01T00:00:59Z', reason: 'x' }).success).toBe(false);
  });

  it.each([
    ['a date without a time', { start: '2025-12-20', end: '2025-12-21T00:00:00Z', reason: 'x' }, 'start'],
    ['a local time without a zone', { start: '2025-12-20T00:00:00', end: '2025-12-21T00:00:00Z', reason: 'x' }, 'start'],
    ['nonsense', { start: '2025-12-20T00:00:00Z', end: 'tomorrow', reason: 'x' }, 'end'],
    ['an empty reason', { start: '2025-12-20T00:00:00Z', end: '2025-12-21T00:00:00Z', reason: '' }, 'reason'],
    ['a reason over 200 characters', { start: '2025-12-20T00:00:00Z', end: '2025-12-21T00:00:00Z', reason: 'r'.repeat(201) }, 'reason'],
  ])('refuses %s', (_label, input, path) => {
    const result = FreezeWindow.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toContain(path);
  });
});

describe('activeFreeze', () => {
  const holidays = window('2025-12-20T00:00:00Z', '2026-01-02T00:00:00Z', 'holidays');

  it('is null with no windows', () => {
    expect(activeFreeze([], at('2025-12-25T00:00:00Z'))).toBeNull();
  });

  it.each([
    ['a millisecond before the start', '2025-12-19T23:59:59.999Z', false],
    ['at the start (inclusive)', '2025-12-20T00:00:00.000Z', true],
    ['inside', '2025-12-25T12:00:00Z', true],
    ['a millisecond before the end', '2026-01-01T23:59:59.999Z', true],
    ['at the end (exclusive)', '2026-01-02T00:00:00.000Z', false],
    ['after', '2026-02-01T00:00:00Z', false],
  ])('%s', (_label, now, active) => {
    expect(activeFreeze([holidays], at(now))).toBe(active ? holidays : null);
  });

  it('finds the window in force among others', () => {
    const launch = window('2026-03-01T00:00:00Z', '2026-03-02T00:00:00Z', 'launch');
    expect(activeFreeze([holidays, launch], at('2026-03-01T08:00:00Z'))).toBe(launch);
    expect(activeFreeze([launch, holidays], at('2025-12-31T00:00:00Z'))).toBe(holidays);
    expect(activeFreeze([launch, holidays], at('2026-02-01T00:00:00Z'))).toBeNull();
  });

  it('applies only the next of two back-to-back windows at the seam', () => {
    const first = window('2025-01-01T00:00:00Z', '2025-01-02T00:00:00Z', 'first');
    const second = window('2025-01-02T00:00:00Z', '2025-01-03T00:00:00Z', 'second');
    expect(activeFreeze([first, second], at('2025-01-02T00:00:00Z'))).toBe(second);
    expect(activeFreeze([first, second], at('2025-01-01T23:59:59.999Z'))).toBe(first);
  });

  it('returns the overlapping window that ends last, the first listed on a tie', () => {
    const long = window('2025-01-01T00:00:00Z', '2025-01-10T00:00:00Z', 'long');
    const short = window('2025-01-02T00:00:00Z', '2025-01-03T00:00:00Z', 'short');
    const sameEnd = window('2025-01-05T00:00:00Z', '2025-01-10T00:00:00Z', 'same end');
    expect(activeFreeze([short, long], at('2025-01-02T12:00:00Z'))).toBe(long);
    expect(activeFreeze([long, short], at('2025-01-02T12:00:00Z'))).toBe(long);
    expect(activeFreeze([long, sameEnd], at('2025-01-06T00:00:00Z'))).toBe(long);
    expect(activeFreeze([sameEnd, long], at('2025-01-06T00:00:00Z'))).toBe(sameEnd);
  });

  it('compares instants whatever the fractional digits', () => {
    const w = window('2025-01-01T00:00:00.5Z', '2025-01-01T00:00:01Z');
    expect(activeFreeze([w], at('2025-01-01T00:00:00.499Z'))).toBeNull();
    expect(activeFreeze([w], at('2025-01-01T00:00:00.500Z'))).toBe(w);
  });
});
