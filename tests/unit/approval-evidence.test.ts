import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  STANDING_MESSAGES,
  approvalStanding,
  checkFourEyes,
  countApprovals,
  evidenceDigest,
  type ApprovalLike,
  type Evidence,
  type StandingContext,
  type StandingReason,
} from '@/lib/domain/approval-evidence';

const DIGEST = `sha256:${'ab'.repeat(32)}`;
const evidence = (over: Partial<Evidence> = {}): Evidence => ({
  versionDigest: DIGEST,
  checks: [
    { kind: 'unit', status: 'passed', measurements: {} },
    { kind: 'quality_regression', status: 'passed', measurements: { primary_metric: 0.92, auc: 0.9 } },
  ],
  policyVersion: 3,
  environment: 'production',
  ...over,
});

describe('evidenceDigest', () => {
  it('is the sha256 of the canonical encoding: keys sorted, checks sorted by kind', () => {
    const canonical =
      `{"checks":[{"kind":"quality_regression","measurements":{"auc":0.9,"primary_metric":0.92},"status":"passed"},` +
      `{"kind":"unit","measurements":{},"status":"passed"}],"environment":"production","policyVersion":3,"versionDigest":"${DIGEST}"}`;
    expect(evidenceDigest(evidence())).toBe(createHash('sha256').update(canonical).digest('hex'));
    expect(evidenceDigest(evidence())).toMatch(/^[0-9a-f]{64}$/);
  });

  it('does not depend on the order of checks, measurements or keys', () => {
    const reordered: Evidence = {
      environment: 'production',
      policyVersion: 3,
      checks: [
        { measurements: { auc: 0.9, primary_metric: 0.92 }, status: 'passed', kind: 'quality_regression' },
        { status: 'passed', kind: 'unit', measurements: {} },
      ],
      versionDigest: DIGEST,
    };
    expect(evidenceDigest(reordered)).toBe(evidenceDigest(evidence()));
  });

  it('sorts checks of the same kind the same way whatever order they come in', () => {
    const a = { kind: 'smoke', status: 'failed', measurements: {} };
    const b = { kind: 'smoke', status: 'passed', measurements: { n: 1 } };
    expect(evidenceDigest(evidence({ checks: [a, b] }))).toBe(evidenceDigest(evidence({ checks: [b, a] })));
  });

  it('sorts by code unit, not by locale', () => {
    const upper = { kind: 'Zeta', status: 'passed', measurements: {} };
    const lower = { kind: 'alpha', status: 'passed', measurements: {} };
    const canonical = `{"checks":[{"kind":"Zeta","measurements":{},"status":"passed"},{"kind":"alpha","measurements":{},"status":"passed"}],"environment":"e","policyVersion":1,"versionDigest":"d"}`;
    const e: Evidence = { versionDigest: 'd', checks: [lower, upper], policyVersion: 1, environment: 'e' };
    expect(evidenceDigest(e)).toBe(createHash('sha256').update(canonical).digest('hex'));
  });

  it('sorts by kind first, even when one kind is a prefix of another', () => {
    // As encoded JSON, {"kind":"a!"… sorts before {"kind":"a"… ('!' < '"'); by kind, "a" comes first.
    const canonical = `{"checks":[{"kind":"a","measurements":{},"status":"passed"},{"kind":"a!","measurements":{},"status":"passed"}],"environment":"e","policyVersion":1,"versionDigest":"d"}`;
    const checks = [{ kind: 'a!', status: 'passed', measurements: {} }, { kind: 'a', status: 'passed', measurements: {} }];
    expect(evidenceDigest({ versionDigest: 'd', checks, policyVersion: 1, environment: 'e' })).toBe(createHash('sha256').update(canonical).digest('hex'));
  });

  const base = evidenceDigest(evidence());
  const [unit, quality] = evidence().checks as [Evidence['checks'][number], Evidence['checks'][number]];
  it.each<[string, Evidence]>([
    ['the artifact', evidence({ versionDigest: `sha256:${'cd'.repeat(32)}` })],
    ['the policy version', evidence({ policyVersion: 4 })],
    ['the environment', evidence({ environment: 'staging' })],
    ['a check status', evidence({ checks: [{ ...unit, status: 'failed' }, quality] })],
    ['a check kind', evidence({ checks: [{ ...unit, kind: 'smoke' }, quality] })],
    ['a measurement value', evidence({ checks: [unit, { ...quality, measurements: { primary_metric: 0.921, auc: 0.9 } }] })],
    ['a measurement name', evidence({ checks: [unit, { ...quality, measurements: { primary_metric: 0.92, AUC: 0.9 } }] })],
    ['an added measurement', evidence({ checks: [unit, { ...quality, measurements: { primary_metric: 0.92, auc: 0.9, f1: 0.8 } }] })],
    ['an added check', evidence({ checks: [unit, quality, { kind: 'smoke', status: 'passed', measurements: {} }] })],
    ['a removed check', evidence({ checks: [quality] })],
    ['no checks at all', evidence({ checks: [] })],
  ])('changes when %s changes', (_label, changed) => {
    expect(evidenceDigest(changed)).not.toBe(base);
  });

  it('encodes broken measurements (NaN, ±Infinity) instead of throwing, each distinctly', () => {
    const withValue = (v: number) => evidenceDigest(evidence({ checks: [{ kind: 'performance', status: 'passed', measurements: { p99: v } }] }));
    const digests = [NaN, Infinity, -Infinity, 0].map(withValue);
    expect(new Set(digests).size).toBe(4);
    expect(withValue(NaN)).toBe(withValue(Number.NaN));
  });

  it('does not modify its input', () => {
    const e = evidence();
    const copy = structuredClone(e);
    evidenceDigest(e);
    expect(e).toEqual(copy);
  });
});

const NOW = new Date('2025-06-01T12:00:00.000Z');
const CURRENT = evidenceDigest(evidence());
const standingCtx = (over: Partial<StandingContext> = {}): StandingContext => ({ currentDigest: CURRENT, now: NOW, requesterId: 'requester', ...over });
const approval = (over: Partial<ApprovalLike> = {}): ApprovalLike => ({
  decision: 'approve',
  evidenceDigest: CURRENT,
  expiresAt: new Date('2025-06-02T12:00:00.000Z'),
  voidedAt: null,
  reviewerId: 'alice',
  ...over,
});

describe('approvalStanding', () => {
  it.each<[string, Partial<ApprovalLike>, Partial<StandingContext>, StandingReason | null]>([
    ['a fresh approval on the current evidence', {}, {}, null],
    ['one that never expires', { expiresAt: null }, {}, null],
    ['one that expires a millisecond from now', { expiresAt: new Date(NOW.getTime() + 1) }, {}, null],
    ['one on a release a machine requested', {}, { requesterId: null }, null],
    ['a rejection', { decision: 'reject' }, {}, 'rejected'],
    ['a voided approval', { voidedAt: new Date('2025-06-01T11:00:00.000Z') }, {}, 'voided'],
    ['the requester approving', { reviewerId: 'requester' }, {}, 'requester'],
    ['an approval by nobody known', { reviewerId: null }, {}, 'unknown_reviewer'],
    ['an approval by nobody known on a machine-requested release', { reviewerId: null }, { requesterId: null }, 'unknown_reviewer'],
    ['one expiring exactly now', { expiresAt: NOW }, {}, 'expired'],
    ['one expired an hour ago', { expiresAt: new Date('2025-06-01T11:00:00.000Z') }, {}, 'expired'],
    ['one given on other evidence', { evidenceDigest: 'f'.repeat(64) }, {}, 'evidence_changed'],
    // When several reasons apply, the most deliberate one is given.
    ['a voided, expired rejection', { decision: 'reject', voidedAt: NOW, expiresAt: NOW }, {}, 'rejected'],
    ['a voided approval by the requester', { voidedAt: NOW, reviewerId: 'requester' }, {}, 'voided'],
    ['an expired approval by the requester', { reviewerId: 'requester', expiresAt: NOW }, {}, 'requester'],
    ['an expired approval on other evidence', { expiresAt: NOW, evidenceDigest: 'x' }, {}, 'expired'],
    ['a voided approval by nobody known', { voidedAt: NOW, reviewerId: null }, {}, 'voided'],
  ])('%s', (_label, over, ctxOver, reason) => {
    expect(approvalStanding(approval(over), standingCtx(ctxOver))).toEqual(reason === null ? { counts: true } : { counts: false, reason });
  });

  it('has a message for every reason', () => {
    expect(Object.keys(STANDING_MESSAGES).sort()).toEqual(['evidence_changed', 'expired', 'rejected', 'requester', 'unknown_reviewer', 'voided']);
    for (const message of Object.values(STANDING_MESSAGES)) expect(message).toMatch(/^[A-Z].*\.$/);
  });
});

describe('countApprovals', () => {
  it('counts nothing in an empty list', () => {
    expect(countApprovals([], standingCtx())).toEqual({ valid: 0, distinctReviewers: [] });
  });

  it('counts each reviewer once, in the order they first appear', () => {
    const list = [approval({ reviewerId: 'bob' }), approval({ reviewerId: 'alice' }), approval({ reviewerId: 'bob' })];
    expect(countApprovals(list, standingCtx())).toEqual({ valid: 2, distinctReviewers: ['bob', 'alice'] });
  });

  it('leaves out approvals that do not count', () => {
    const list = [
      approval({ reviewerId: 'alice' }),
      approval({ reviewerId: 'bob', decision: 'reject' }),
      approval({ reviewerId: 'carol', voidedAt: NOW }),
      approval({ reviewerId: 'requester' }),
      approval({ reviewerId: null }),
      approval({ reviewerId: 'dave', expiresAt: NOW }),
      approval({ reviewerId: 'erin', evidenceDigest: 'old' }),
      approval({ reviewerId: 'frank' }),
    ];
    expect(countApprovals(list, standingCtx())).toEqual({ valid: 2, distinctReviewers: ['alice', 'frank'] });
  });

  it('counts a reviewer whose older approval lapsed but whose newer one stands', () => {
    const list = [approval({ reviewerId: 'alice', evidenceDigest: 'old' }), approval({ reviewerId: 'alice' })];
    expect(countApprovals(list, standingCtx())).toEqual({ valid: 1, distinctReviewers: ['alice'] });
  });

  it('drops every approval once the evidence changes', () => {
    const list = [approval({ reviewerId: 'alice' }), approval({ reviewerId: 'bob' })];
    expect(countApprovals(list, standingCtx({ currentDigest: evidenceDigest(evidence({ policyVersion: 4 })) }))).toEqual({ valid: 0, distinctReviewers: [] });
  });
});

describe('checkFourEyes', () => {
  it('refuses the requester', () => {
    expect(checkFourEyes('u1', 'u1')).toEqual({ ok: false, message: 'You requested this release: someone else must approve it (four-eyes rule).' });
  });

  it('accepts anyone else, and anyone on a release no person requested', () => {
    expect(checkFourEyes('u2', 'u1')).toEqual({ ok: true });
    expect(checkFourEyes('u1', null)).toEqual({ ok: true });
  });
});
