import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateWebhookSecret, MAX_DELIVERY_ATTEMPTS, retryDelaySeconds, signWebhook, verifyWebhookSignature } from '@/lib/domain/webhook-signature';

const secret = 'whsec_test_secret';
const body = '{"event":"release.rollback","releaseId":"r1"}';
const ts = 1_700_000_000;

describe('signWebhook', () => {
  it('matches an HMAC-SHA256 of "<ts>.<body>" computed independently', () => {
    const expected = createHmac('sha256', secret).update(`${ts}.${body}`).digest('hex');
    expect(signWebhook(secret, body, ts)).toBe(`t=${ts},v1=${expected}`);
  });

  it('matches a fixed vector', () => {
    // HMAC-SHA256(key "key", "1.{}"), computed once with node:crypto and written down here.
    const expected = '1ba6b8171186efc613e8bcc0cbdab2748f24984d7c5a84faa2637afa0e40d224';
    expect(createHmac('sha256', 'key').update('1.{}').digest('hex')).toBe(expected);
    expect(signWebhook('key', '{}', 1)).toBe(`t=1,v1=${expected}`);
  });

  it('depends on the secret, the body and the timestamp', () => {
    const base = signWebhook(secret, body, ts);
    expect(signWebhook('whsec_other', body, ts)).not.toBe(base);
    expect(signWebhook(secret, `${body} `, ts)).not.toBe(base);
    expect(signWebhook(secret, body, ts + 1).split(',')[1]).not.toBe(base.split(',')[1]);
  });
});

describe('verifyWebhookSignature', () => {
  const header = signWebhook(secret, body, ts);

  it('accepts its own signature within the tolerance', () => {
    expect(verifyWebhookSignature(secret, body, header, ts)).toBe(true);
    expect(verifyWebhookSignature(secret, body, header, ts + 300)).toBe(true);
    expect(verifyWebhookSignature(secret, body, header, ts - 300)).toBe(true);
  });

  it('rejects stale or future timestamps', () => {
    expect(verifyWebhookSignature(secret, body, header, ts + 301)).toBe(false);
    expect(verifyWebhookSignature(secret, body, header, ts - 301)).toBe(false);
    expect(verifyWebhookSignature(secret, body, header, ts + 30, 10)).toBe(false);
  });

  it('rejects another secret, a changed body or a moved timestamp', () => {
    expect(verifyWebhookSignature('whsec_other', body, header, ts)).toBe(false);
    expect(verifyWebhookSignature(secret, body.replace('r1', 'r2'), header, ts)).toBe(false);
    expect(verifyWebhookSignature(secret, body, header.replace(`t=${ts}`, `t=${ts + 1}`), ts)).toBe(false);
  });

  it.each([null, undefined, '', 'garbage', `t=${ts}`, `v1=${'a'.repeat(64)}`, `t=abc,v1=${'a'.repeat(64)}`, `t=${ts},v1=short`, `t=${ts},v1=${'z'.repeat(64)}`])(
    'rejects a malformed header %j',
    (value) => {
      expect(verifyWebhookSignature(secret, body, value, ts)).toBe(false);
    },
  );

  it('accepts any matching v1 entry (secret rotation)', () => {
    const good = header.split(',')[1]!;
    expect(verifyWebhookSignature(secret, body, `t=${ts},v1=${'0'.repeat(64)},${good}`, ts)).toBe(true);
  });
});

describe('retryDelaySeconds', () => {
  it('doubles from 10 s', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map(retryDelaySeconds)).toEqual([10, 20, 40, 80, 160, 320, 640]);
  });

  it('gives up after 8 attempts', () => {
    expect(MAX_DELIVERY_ATTEMPTS).toBe(8);
    expect(retryDelaySeconds(8)).toBeNull();
    expect(retryDelaySeconds(50)).toBeNull();
  });

  it('never waits more than an hour', () => {
    for (let attempt = 1; attempt < MAX_DELIVERY_ATTEMPTS; attempt++) expect(retryDelaySeconds(attempt)).toBeLessThanOrEqual(3600);
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses attempt %s', (attempt) => {
    expect(() => retryDelaySeconds(attempt)).toThrow(RangeError);
  });
});

describe('generateWebhookSecret', () => {
  it('is prefixed, long and different every time', () => {
    const a = generateWebhookSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9_-]{32}$/);
    expect(generateWebhookSecret()).not.toBe(a);
  });
});
