import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { uuidv7, uuidv7Time } from '@/lib/domain/uuid7';

const SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('uuidv7', () => {
  it('is a version 7, RFC 9562 variant UUID that Postgres reads as uuid', () => {
    for (let i = 0; i < 1_000; i++) expect(uuidv7()).toMatch(SHAPE);
  });

  it('carries its milliseconds, for any time from the epoch to the year 10889', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffff_ffff_ffff }), (ms) => {
        const id = uuidv7(ms);
        expect(id).toMatch(SHAPE);
        expect(uuidv7Time(id)).toBe(ms);
      }),
    );
    expect(uuidv7Time(uuidv7(Date.parse('2026-11-27T12:00:00.123Z')))).toBe(Date.parse('2026-11-27T12:00:00.123Z'));
  });

  it('sorts by time, as text and as Postgres compares uuids (bytewise)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffff_ffff_fffe }), fc.integer({ min: 1, max: 1_000_000 }), (ms, later) => {
        const a = uuidv7(ms);
        const b = uuidv7(Math.min(ms + later, 0xffff_ffff_ffff));
        expect(a < b).toBe(true);
      }),
    );
  });

  it('is random after the time: 10,000 ids in one millisecond are distinct', () => {
    const ms = Date.now();
    expect(new Set(Array.from({ length: 10_000 }, () => uuidv7(ms))).size).toBe(10_000);
  });

  it('clamps times outside 48 bits instead of making a malformed id', () => {
    expect(uuidv7Time(uuidv7(-5))).toBe(0);
    expect(uuidv7Time(uuidv7(2 ** 60))).toBe(0xffff_ffff_ffff);
    expect(uuidv7(1.9)).toMatch(SHAPE);
  });
});
