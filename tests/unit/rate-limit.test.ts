import { describe, expect, it } from 'vitest';
import { parseRateLimit, take, type Bucket } from '@/lib/domain/rate-limit';

describe('take (token bucket)', () => {
  const limit = { ratePerSecond: 10, burst: 3 };

  it('lets a burst through, then refuses with the seconds until the next token', () => {
    let bucket: Bucket | undefined;
    const outcomes: boolean[] = [];
    for (let i = 0; i < 4; i++) {
      const r = take(bucket, limit, 1_000);
      bucket = r.bucket;
      outcomes.push(r.allowed);
    }
    expect(outcomes).toEqual([true, true, true, false]);
    expect(take(bucket, limit, 1_000).retryAfterSeconds).toBe(1);
  });

  it('refills at the rate, never above the burst', () => {
    let bucket = take(undefined, limit, 0).bucket; // 2 left
    bucket = take(bucket, limit, 0).bucket; // 1 left
    bucket = take(bucket, limit, 0).bucket; // 0 left
    expect(take(bucket, limit, 50).allowed).toBe(false); // 0.5 tokens
    expect(take(bucket, limit, 100).allowed).toBe(true); // 1 token after 100 ms
    expect(take(bucket, limit, 60_000).bucket.tokens).toBe(2); // refilled to 3, took 1
  });

  it('rounds Retry-After up to whole seconds for slow rates', () => {
    const slow = { ratePerSecond: 1, burst: 1 };
    const empty = take(undefined, slow, 0).bucket;
    expect(take(empty, slow, 100)).toMatchObject({ allowed: false, retryAfterSeconds: 1 });
    const slower = { ratePerSecond: 0.25, burst: 1 };
    expect(take(take(undefined, slower, 0).bucket, slower, 0).retryAfterSeconds).toBe(4);
  });

  it('is not fooled by a clock that goes backwards', () => {
    const bucket = { tokens: 0, at: 10_000 };
    expect(take(bucket, limit, 5_000).allowed).toBe(false);
  });
});

describe('parseRateLimit', () => {
  it.each([
    [undefined, { ratePerSecond: 100, burst: 200 }],
    ['', { ratePerSecond: 100, burst: 200 }],
    ['0', null],
    ['50', { ratePerSecond: 50, burst: 100 }],
    ['50/500', { ratePerSecond: 50, burst: 500 }],
    [' 20/20 ', { ratePerSecond: 20, burst: 20 }],
    ['fast', 'invalid'],
    ['-1', 'invalid'],
    ['10/0', 'invalid'],
    ['1.5', 'invalid'],
    ['10/', 'invalid'],
  ])('%j → %j', (text, expected) => {
    expect(parseRateLimit(text)).toEqual(expected);
  });
});
