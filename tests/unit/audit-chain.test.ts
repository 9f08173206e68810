import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ChainVerifier, GENESIS_HASH, hashAuditEvent, verifyChain, type AuditContent, type ChainedEvent } from '@/lib/domain/audit-chain';

const content = (i: number, overrides: Partial<AuditContent> = {}): AuditContent => ({
  id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  occurredAt: new Date(Date.UTC(2025, 0, 1, 12, 0, i)),
  actorType: 'user',
  actorId: 'u-1',
  actorName: 'Ada',
  action: 'model.create',
  targetType: 'model',
  targetId: `model-${i}`,
  before: null,
  after: { name: `model-${i}`, ownerTeam: 'risk' },
  reason: null,
  metadata: { via: 'ui' },
  ...overrides,
});

/** A correctly linked chain of n events, seq 1..n. */
const buildChain = (n: number): ChainedEvent[] => {
  const events: ChainedEvent[] = [];
  let prevHash = GENESIS_HASH;
  for (let i = 1; i <= n; i++) {
    const c = content(i);
    const hash = hashAuditEvent(prevHash, c);
    events.push({ ...c, seq: i, prevHash, hash });
    prevHash = hash;
  }
  return events;
};

describe('GENESIS_HASH', () => {
  it('is 64 zeros, the shape of a sha256 hex digest', () => {
    expect(GENESIS_HASH).toBe('0000000000000000000000000000000000000000000000000000000000000000');
  });
});

describe('hashAuditEvent', () => {
  const base = content(1);

  it('is the documented sha256(prevHash + "\\n" + canonical content)', () => {
    const body =
      '{"action":"model.create","actorId":"u-1","actorName":"Ada","actorType":"user","after":{"name":"model-1","ownerTeam":"risk"},' +
      '"before":null,"id":"00000000-0000-4000-8000-000000000001","metadata":{"via":"ui"},"occurredAt":"2025-01-01T12:00:01.000Z",' +
      '"reason":null,"targetId":"model-1","targetType":"model"}';
    const expected = createHash('sha256').update(`${GENESIS_HASH}\n${body}`).digest('hex');
    expect(hashAuditEvent(GENESIS_HASH, base)).toBe(expected);
  });

  it('returns 64 lower-case hex characters', () => {
    expect(hashAuditEvent(GENESIS_HASH, base)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('is deterministic', () => {
    expect(hashAuditEvent(GENESIS_HASH, base)).toBe(hashAuditEvent(GENESIS_HASH, content(1)));
  });

  it('does not depend on the key order of the content or of its JSON members', () => {
    const reordered = Object.fromEntries(Object.entries(base).reverse()) as AuditContent;
    reordered.after = { ownerTeam: 'risk', name: 'model-1' };
    expect(hashAuditEvent(GENESIS_HASH, reordered)).toBe(hashAuditEvent(GENESIS_HASH, base));
  });

  it('ignores the chain fields, so a stored row hashes like its content', () => {
    const row = { ...base, seq: 42, prevHash: 'p'.repeat(64), hash: 'h'.repeat(64) };
    expect(hashAuditEvent(GENESIS_HASH, row)).toBe(hashAuditEvent(GENESIS_HASH, base));
  });

  it('survives the jsonb and timestamp(3) round trip', () => {
    const written = content(1, {
      before: { stage: 'staging', approvedAt: new Date('2025-01-01T00:00:00.123Z'), note: undefined },
      after: { stage: 'production', checks: [1, 2, 3] },
      metadata: { requestId: 'r-1', via: 'api' },
    });
    const read: AuditContent = {
      ...written,
      occurredAt: new Date(written.occurredAt.toISOString()),
      before: JSON.parse(JSON.stringify(written.before)),
      after: JSON.parse(JSON.stringify(written.after)),
      metadata: JSON.parse(JSON.stringify(written.metadata)),
    };
    expect(hashAuditEvent(GENESIS_HASH, read)).toBe(hashAuditEvent(GENESIS_HASH, written));
  });

  it('changes with the previous hash', () => {
    const other = hashAuditEvent(GENESIS_HASH, base);
    expect(hashAuditEvent('f'.repeat(64), base)).not.toBe(other);
    expect(hashAuditEvent(`${'0'.repeat(63)}1`, base)).not.toBe(other);
  });

  const edits: Array<[field: keyof AuditContent, value: unknown]> = [
    ['id', '00000000-0000-4000-8000-000000000099'],
    ['occurredAt', new Date(base.occurredAt.getTime() + 1)],
    ['actorType', 'api_key'],
    ['actorId', 'u-2'],
    ['actorName', 'Ada L.'],
    ['action', 'model.delete'],
    ['targetType', 'release'],
    ['targetId', 'model-2'],
    ['before', { name: 'model-1' }],
    ['after', { name: 'model-1', ownerTeam: 'fraud' }],
    ['after', { name: 'model-1', ownerTeam: 'risk', extra: true }],
    ['after', null],
    ['reason', 'rolled back after alert'],
    ['reason', ''],
    ['metadata', { via: 'api' }],
    ['metadata', {}],
  ];

  it.each(edits)('changes when %s becomes %j', (field, value) => {
    const edited = { ...base, [field]: value } as AuditContent;
    expect(hashAuditEvent(GENESIS_HASH, edited)).not.toBe(hashAuditEvent(GENESIS_HASH, base));
  });

  it('changes when a value moves between fields', () => {
    const a = content(1, { before: { x: 1 }, after: null });
    const b = content(1, { before: null, after: { x: 1 } });
    expect(hashAuditEvent(GENESIS_HASH, a)).not.toBe(hashAuditEvent(GENESIS_HASH, b));
  });

  it('tells undefined from null, so callers must store what they hashed', () => {
    // append-audit normalises undefined to null before hashing for exactly this reason.
    const withNull = content(1, { before: null });
    const withUndefined = content(1, { before: undefined });
    expect(hashAuditEvent(GENESIS_HASH, withUndefined)).not.toBe(hashAuditEvent(GENESIS_HASH, withNull));
  });
});

describe('verifyChain', () => {
  it('accepts an empty chain, whose head is the genesis hash', () => {
    expect(verifyChain([])).toEqual({ ok: true, checked: 0, headHash: GENESIS_HASH, firstBroken: null });
  });

  it('accepts a single correctly linked event', () => {
    const [event] = buildChain(1);
    expect(verifyChain([event!])).toEqual({ ok: true, checked: 1, headHash: event!.hash, firstBroken: null });
  });

  it('accepts a valid chain and reports the last hash as head', () => {
    const events = buildChain(6);
    expect(verifyChain(events)).toEqual({ ok: true, checked: 6, headHash: events[5]!.hash, firstBroken: null });
  });

  it('does not judge seq numbers: sequences leave gaps after rolled-back transactions', () => {
    const events = buildChain(4).map((e, i) => ({ ...e, seq: [1, 2, 7, 30][i]! }));
    expect(verifyChain(events).ok).toBe(true);
  });

  it('accepts any iterable, consumed lazily', () => {
    const events = buildChain(3);
    function* stream() {
      yield* events;
    }
    expect(verifyChain(stream())).toMatchObject({ ok: true, checked: 3, headHash: events[2]!.hash });
  });

  it('flags a first event that does not link to genesis', () => {
    const events = buildChain(3);
    events[0] = { ...events[0]!, prevHash: 'a'.repeat(64) };
    expect(verifyChain(events)).toEqual({
      ok: false,
      checked: 1,
      headHash: GENESIS_HASH,
      firstBroken: { seq: 1, id: events[0]!.id, problem: 'link_broken', detail: expect.stringMatching(/removed or reordered/) },
    });
  });

  it('flags edited content at the edited event', () => {
    const events = buildChain(5);
    events[2] = { ...events[2]!, after: { name: 'model-3', ownerTeam: 'someone-else' } };
    expect(verifyChain(events)).toEqual({
      ok: false,
      checked: 3,
      headHash: events[1]!.hash,
      firstBroken: { seq: 3, id: events[2]!.id, problem: 'content_changed', detail: expect.stringMatching(/edited/) },
    });
  });

  it.each(['reason', 'actorName', 'occurredAt', 'metadata'] as const)('flags an edit to %s', (field) => {
    const events = buildChain(3);
    const value = field === 'occurredAt' ? new Date(0) : field === 'metadata' ? { via: 'system' } : 'forged';
    events[1] = { ...events[1]!, [field]: value };
    expect(verifyChain(events).firstBroken).toMatchObject({ seq: 2, problem: 'content_changed' });
  });

  it('flags a tampered stored hash at that event', () => {
    const events = buildChain(4);
    events[1] = { ...events[1]!, hash: 'b'.repeat(64) };
    expect(verifyChain(events).firstBroken).toMatchObject({ seq: 2, problem: 'content_changed' });
  });

  it('flags an edit whose hash was recomputed at the next event', () => {
    const events = buildChain(5);
    const forged = { ...events[2]!, reason: 'nothing to see' };
    events[2] = { ...forged, hash: hashAuditEvent(forged.prevHash, forged) };
    expect(verifyChain(events)).toMatchObject({
      ok: false,
      checked: 4,
      headHash: events[2]!.hash,
      firstBroken: { seq: 4, id: events[3]!.id, problem: 'link_broken' },
    });
  });

  it('flags a removed event at the one after it', () => {
    const events = buildChain(5);
    const withoutThird = events.filter((e) => e.seq !== 3);
    expect(verifyChain(withoutThird)).toMatchObject({
      ok: false,
      checked: 3,
      headHash: events[1]!.hash,
      firstBroken: { seq: 4, id: events[3]!.id, problem: 'link_broken' },
    });
  });

  it('flags a removed first event at the second', () => {
    const events = buildChain(3);
    expect(verifyChain(events.slice(1)).firstBroken).toMatchObject({ seq: 2, problem: 'link_broken' });
  });

  it('cannot see a removed tail by itself, but the head hash gives it away', () => {
    const events = buildChain(5);
    const report = verifyChain(events.slice(0, 4));
    expect(report.ok).toBe(true);
    expect(report.headHash).not.toBe(events[4]!.hash);
    expect(report.headHash).toBe(events[3]!.hash);
  });

  it('flags reordered events at the first one out of place', () => {
    const events = buildChain(5);
    const swapped = [events[0]!, events[2]!, events[1]!, events[3]!, events[4]!];
    expect(verifyChain(swapped)).toMatchObject({
      ok: false,
      checked: 2,
      headHash: events[0]!.hash,
      firstBroken: { seq: 3, id: events[2]!.id, problem: 'link_broken' },
    });
  });

  it('flags a replayed event', () => {
    const events = buildChain(3);
    const replayed = [events[0]!, events[1]!, events[1]!, events[2]!];
    expect(verifyChain(replayed)).toMatchObject({ checked: 3, firstBroken: { seq: 2, problem: 'link_broken' } });
  });

  it('stops at the first break and reports only that one', () => {
    const events = buildChain(6);
    events[1] = { ...events[1]!, action: 'forged.first' };
    events[4] = { ...events[4]!, action: 'forged.second' };
    expect(verifyChain(events)).toMatchObject({ ok: false, checked: 2, headHash: events[0]!.hash, firstBroken: { seq: 2 } });
  });
});

describe('ChainVerifier', () => {
  it('reports genesis before anything is pushed', () => {
    expect(new ChainVerifier().report()).toEqual({ ok: true, checked: 0, headHash: GENESIS_HASH, firstBroken: null });
  });

  it('advances the head with every good event', () => {
    const events = buildChain(4);
    const verifier = new ChainVerifier();
    events.forEach((event, i) => {
      verifier.push(event);
      expect(verifier.report()).toEqual({ ok: true, checked: i + 1, headHash: event.hash, firstBroken: null });
    });
  });

  it('ignores everything pushed after a break', () => {
    const events = buildChain(5);
    const verifier = new ChainVerifier();
    verifier.push(events[0]!);
    verifier.push({ ...events[1]!, targetId: 'forged' });
    const atBreak = verifier.report();
    for (const event of events.slice(2)) verifier.push(event);
    // Even a fresh, valid chain pushed afterwards does not heal it.
    for (const event of buildChain(2)) verifier.push(event);
    expect(verifier.report()).toEqual(atBreak);
    expect(atBreak).toMatchObject({ ok: false, checked: 2, headHash: events[0]!.hash, firstBroken: { seq: 2, problem: 'content_changed' } });
  });

  it('keeps separate state per instance', () => {
    const events = buildChain(2);
    const a = new ChainVerifier();
    const b = new ChainVerifier();
    a.push(events[0]!);
    a.push(events[1]!);
    b.push(events[1]!);
    expect(a.report().ok).toBe(true);
    expect(b.report().firstBroken).toMatchObject({ seq: 2, problem: 'link_broken' });
  });

  it('verifies a long chain the same as verifyChain', () => {
    const events = buildChain(500);
    const verifier = new ChainVerifier();
    for (const event of events) verifier.push(event);
    expect(verifier.report()).toEqual(verifyChain(events));
    expect(verifier.report()).toMatchObject({ ok: true, checked: 500, headHash: events[499]!.hash });
  });
});
