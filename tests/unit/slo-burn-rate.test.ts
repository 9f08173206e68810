import { describe, expect, it } from 'vitest';
import {
  DEFAULT_BURN_RULES,
  SLO_PERIOD_SECONDS,
  budgetConsumed,
  burnFactor,
  burnRate,
  countsFromErrors,
  detectionTimeSeconds,
  errorRatioThreshold,
  evaluateBurn,
  latencyGoodRatio,
  latencyGoodTotal,
  type BurnRule,
  type WindowCounts,
} from '@/lib/domain/slo-burn-rate';
import { INITIAL_ALERT_STATE, SLO_ALERT_RULE, evaluateAll } from '@/lib/domain/alert-rules';

const HOUR = 3600;
const [PAGE_FAST, PAGE_SLOW, TICKET] = DEFAULT_BURN_RULES as [BurnRule, BurnRule, BurnRule];

/** Windows from a fixed error ratio per window length; unknown lengths have no data. */
const fixed =
  (ratios: Record<number, number>, total = 100_000) =>
  (w: number): WindowCounts | null =>
    ratios[w] === undefined ? null : { good: total * (1 - ratios[w]), total };

describe('burn rate', () => {
  it('is the error ratio over the error budget', () => {
    expect(burnRate(0.001, 0.999)).toBeCloseTo(1, 12);
    expect(burnRate(0.0144, 0.999)).toBeCloseTo(14.4, 10);
    expect(burnRate(0, 0.99)).toBe(0);
    expect(burnRate(1, 0.5)).toBe(2);
  });

  it('refuses an SLO outside (0, 1) and an error ratio outside [0, 1]', () => {
    for (const slo of [0, 1, -0.5, 1.5, 99.9, Number.NaN, Infinity]) expect(() => burnRate(0.01, slo)).toThrow(RangeError);
    for (const ratio of [-0.01, 1.01, Number.NaN]) expect(() => burnRate(ratio, 0.999)).toThrow(RangeError);
    expect(() => evaluateBurn(fixed({}), 1)).toThrow(RangeError);
    expect(() => evaluateBurn(fixed({}), 0)).toThrow(RangeError);
  });
});

describe('the workbook vectors (ANCHORS-ML §D, [computed])', () => {
  it('default rules: 1 h / 5 m × 14.4 and 6 h / 30 m × 6 (page), 3 d / 6 h × 1 (ticket); short = long / 12', () => {
    expect(DEFAULT_BURN_RULES).toEqual([
      { name: 'page-fast', longWindowSeconds: 3600, shortWindowSeconds: 300, factor: 14.4, severity: 'critical' },
      { name: 'page-slow', longWindowSeconds: 6 * HOUR, shortWindowSeconds: 1800, factor: 6, severity: 'critical' },
      { name: 'ticket', longWindowSeconds: 72 * HOUR, shortWindowSeconds: 6 * HOUR, factor: 1, severity: 'warning' },
    ]);
    for (const rule of DEFAULT_BURN_RULES) expect(rule.shortWindowSeconds * 12).toBe(rule.longWindowSeconds);
  });

  it('factors: 14.4 = 0.02 × 720 h / 1 h, 6 = 0.05 × 720 / 6, 1 = 0.10 × 720 / 72', () => {
    expect(SLO_PERIOD_SECONDS).toBe(720 * HOUR);
    expect(burnFactor(0.02, HOUR)).toBeCloseTo(14.4, 12);
    expect(burnFactor(0.05, 6 * HOUR)).toBeCloseTo(6, 12);
    expect(burnFactor(0.1, 72 * HOUR)).toBeCloseTo(1, 12);
    // …and back: each rule spends its share of the budget over its long window.
    expect(budgetConsumed(PAGE_FAST.factor, PAGE_FAST.longWindowSeconds)).toBeCloseTo(0.02, 12);
    expect(budgetConsumed(PAGE_SLOW.factor, PAGE_SLOW.longWindowSeconds)).toBeCloseTo(0.05, 12);
    expect(budgetConsumed(TICKET.factor, TICKET.longWindowSeconds)).toBeCloseTo(0.1, 12);
  });

  it('at SLO 99.9 % the error-ratio thresholds are 1.44 %, 0.6 % and 0.1 %', () => {
    expect(errorRatioThreshold(PAGE_FAST.factor, 0.999)).toBeCloseTo(0.0144, 12);
    expect(errorRatioThreshold(PAGE_SLOW.factor, 0.999)).toBeCloseTo(0.006, 12);
    expect(errorRatioThreshold(TICKET.factor, 0.999)).toBeCloseTo(0.001, 12);
  });

  it('the thresholds are where each rule starts to fire (strictly above)', () => {
    const both = (rule: BurnRule, ratio: number) => fixed({ [rule.longWindowSeconds]: ratio, [rule.shortWindowSeconds]: ratio });
    for (const [rule, threshold] of [[PAGE_FAST, 0.0144], [PAGE_SLOW, 0.006], [TICKET, 0.001]] as const) {
      expect(evaluateBurn(both(rule, threshold * 1.01), 0.999, [rule]).firing).toHaveLength(1);
      expect(evaluateBurn(both(rule, threshold), 0.999, [rule]).firing).toHaveLength(0); // equal is not above
      expect(evaluateBurn(both(rule, threshold * 0.99), 0.999, [rule]).firing).toHaveLength(0);
    }
  });

  it('time to fire at 100 % errors with burn 14.4 is (1 − SLO) / 1.0 × 60 min × 14.4 = 0.864 min', () => {
    expect(detectionTimeSeconds(PAGE_FAST, 0.999, 1)! / 60).toBeCloseTo(0.864, 10);
    expect(detectionTimeSeconds(PAGE_FAST, 0.999)).toBeCloseTo(51.84, 10);
    expect(detectionTimeSeconds(PAGE_SLOW, 0.999, 1)! / 60).toBeCloseTo(0.001 * 360 * 6, 10); // 2.16 min
    expect(detectionTimeSeconds(TICKET, 0.999, 1)! / 60).toBeCloseTo(0.001 * 4320 * 1, 10); // 4.32 min
    // Half the requests failing takes twice as long; an error ratio at or below the threshold never fires.
    expect(detectionTimeSeconds(PAGE_FAST, 0.999, 0.5)).toBeCloseTo(103.68, 10);
    expect(detectionTimeSeconds(PAGE_FAST, 0.999, 0.0144)).toBeNull();
    expect(detectionTimeSeconds(PAGE_FAST, 0.999, 0.01)).toBeNull();
    expect(() => detectionTimeSeconds(PAGE_FAST, 0.999, 1.5)).toThrow(RangeError);
  });

  it('…which is the short window burning first and the long window deciding, on a simulated outage', () => {
    // 100 requests/s, none failing until t = 0, all failing after; each window looks back from now.
    const outage = (t: number) => (w: number) => countsFromErrors(100 * Math.min(t, w), 100 * w);
    const at = (t: number) => evaluateBurn(outage(t), 0.999);
    const fast = (t: number) => at(t).burns[0]!;

    // Short window: 1.44 % of 300 s = 4.32 s of errors.
    expect(fast(4).short.burning).toBe(false);
    expect(fast(5).short.burning).toBe(true);
    // From then on the short condition holds, but the pair waits for the long window: 0.864 min = 51.84 s.
    expect(fast(51).short.burning).toBe(true);
    expect(fast(51).long.burning).toBe(false);
    expect(at(51)).toMatchObject({ severity: 'ok', firing: [] });
    expect(fast(52).long.burning).toBe(true);
    expect(at(52).severity).toBe('critical');
    expect(at(52).firing.map((f) => f.rule.name)).toEqual(['page-fast']);
    expect(at(52).firing[0]!.longBurn).toBeCloseTo((52 / 3600) * 1000, 9);
    expect(at(52).firing[0]!.shortBurn).toBeCloseTo((52 / 300) * 1000, 9);
    // page-slow follows at 2.16 min and the ticket at 4.32 min.
    expect(at(129).firing.map((f) => f.rule.name)).toEqual(['page-fast']);
    expect(at(130).firing.map((f) => f.rule.name)).toEqual(['page-fast', 'page-slow']);
    expect(at(260).firing.map((f) => f.rule.name)).toEqual(['page-fast', 'page-slow', 'ticket']);
  });

  it('the SLO alert built on it opens 2 minutes after the page condition holds (SLO_ALERT_RULE)', () => {
    const outage = (t: number) => (w: number) => countsFromErrors(100 * Math.min(t, w), 100 * w);
    const T0 = Date.UTC(2026, 10, 26);
    const observations = [0, 30, 60, 90, 120, 150, 180, 210].map((t) => ({ at: T0 + t * 1000, severity: evaluateBurn(outage(t), 0.999).severity }));
    const { events } = evaluateAll(INITIAL_ALERT_STATE, observations, SLO_ALERT_RULE);
    // critical from t = 60 s; for = 120 s → opens at t = 180 s.
    expect(events).toEqual([{ type: 'open', at: new Date(T0 + 180_000).toISOString(), severity: 'critical', activeSince: new Date(T0 + 60_000).toISOString() }]);
  });
});

describe('AND within a pair, OR across pairs', () => {
  // Burns with clear margins (a burn of exactly the factor is not burning).
  const ratio = (burn: number) => burn * 0.001; // at SLO 99.9 %
  type Case = [label: string, burns: Record<number, number>, severity: 'ok' | 'warning' | 'critical', firing: string[]];
  const CASES: Case[] = [
    ['nothing burning', { 3600: 0, 300: 0, 21600: 0, 1800: 0, 259200: 0 }, 'ok', []],
    ['page-fast long only', { 3600: 20, 300: 10, 21600: 0, 1800: 0, 259200: 0 }, 'ok', []],
    ['page-fast short only (a spike)', { 3600: 10, 300: 50, 21600: 0, 1800: 0, 259200: 0 }, 'ok', []],
    ['page-fast both', { 3600: 15, 300: 15, 21600: 0, 1800: 0, 259200: 0 }, 'critical', ['page-fast']],
    ['page-slow both', { 3600: 0, 300: 0, 21600: 7, 1800: 7, 259200: 0 }, 'critical', ['page-slow']],
    ['page-slow long only', { 3600: 0, 300: 0, 21600: 7, 1800: 5, 259200: 0 }, 'ok', []],
    ['ticket both (6 h is also its short window)', { 3600: 0, 300: 0, 21600: 2, 1800: 0, 259200: 2 }, 'warning', ['ticket']],
    ['ticket long only', { 3600: 0, 300: 0, 21600: 0.5, 1800: 0, 259200: 2 }, 'ok', []],
    ['ticket short only', { 3600: 0, 300: 0, 21600: 2, 1800: 0, 259200: 0.5 }, 'ok', []],
    ['ticket and page-slow: the highest severity wins', { 3600: 0, 300: 0, 21600: 7, 1800: 7, 259200: 2 }, 'critical', ['page-slow', 'ticket']],
    ['all three', { 3600: 20, 300: 20, 21600: 7, 1800: 7, 259200: 2 }, 'critical', ['page-fast', 'page-slow', 'ticket']],
    ['recovered: long windows still high, short windows clean', { 3600: 20, 300: 0, 21600: 7, 1800: 0, 259200: 2 }, 'warning', ['ticket']],
  ];

  it.each(CASES)('%s', (_label, burns, severity, firing) => {
    const windows = fixed(Object.fromEntries(Object.entries(burns).map(([w, b]) => [w, ratio(b)])));
    const result = evaluateBurn(windows, 0.999);
    expect(result.severity).toBe(severity);
    expect(result.firing.map((f) => f.rule.name)).toEqual(firing);
    expect(result.burns.map((b) => b.firing)).toEqual(DEFAULT_BURN_RULES.map((r) => firing.includes(r.name)));
  });

  it('reports every window of every rule, and asks for each window length once', () => {
    const asked: number[] = [];
    const result = evaluateBurn((w) => (asked.push(w), { good: 999, total: 1000 }), 0.999);
    expect(asked.sort((a, b) => a - b)).toEqual([300, 1800, 3600, 21600, 259200]);
    expect(result.burns).toHaveLength(3);
    for (const b of result.burns) {
      for (const w of [b.long, b.short]) {
        expect(w).toMatchObject({ counts: { good: 999, total: 1000 }, burning: false });
        expect(w.errorRatio).toBeCloseTo(0.001, 12);
        expect(w.burn).toBeCloseTo(1, 9);
      }
    }
    expect(result.burns[2]!.short.windowSeconds).toBe(6 * HOUR);
  });

  it('judges a window shared by two rules against each rule\'s own factor', () => {
    // 6 h burns 3: below page-slow's 6, above the ticket's 1.
    const result = evaluateBurn(fixed({ 3600: 0, 300: 0, 21600: 0.003, 1800: 0.01, 259200: 0.003 }), 0.999);
    expect(result.burns[1]!.long.burning).toBe(false);
    expect(result.burns[2]!.short.burning).toBe(true);
    expect(result.severity).toBe('warning');
  });

  it('takes custom rules', () => {
    const custom: BurnRule[] = [{ name: 'strict', longWindowSeconds: 600, shortWindowSeconds: 60, factor: 2, severity: 'warning' }];
    const result = evaluateBurn(fixed({ 600: 0.05, 60: 0.05 }, 1000), 0.99, custom);
    expect(result).toMatchObject({ severity: 'warning', firing: [{ rule: custom[0] }] });
    expect(result.firing[0]!.longBurn).toBeCloseTo(5, 9);
    expect(result.firing[0]!.shortBurn).toBeCloseTo(5, 9);
    expect(evaluateBurn(fixed({}), 0.99, [])).toEqual({ severity: 'ok', firing: [], burns: [] });
  });
});

describe('edge cases', () => {
  it('a window with no traffic or no data is not burning, and cannot complete a pair', () => {
    const noTraffic = evaluateBurn(() => ({ good: 0, total: 0 }), 0.999);
    expect(noTraffic.severity).toBe('ok');
    expect(noTraffic.burns[0]!.long).toEqual({ windowSeconds: 3600, counts: { good: 0, total: 0 }, errorRatio: null, burn: null, burning: false });
    const noData = evaluateBurn(() => null, 0.999);
    expect(noData.severity).toBe('ok');
    expect(noData.burns[0]!.short).toEqual({ windowSeconds: 300, counts: null, errorRatio: null, burn: null, burning: false });
    // Long window all errors, short window empty: not firing.
    const quiet = evaluateBurn((w) => (w === 300 ? { good: 0, total: 0 } : { good: 0, total: 10 }), 0.999);
    expect(quiet.burns[0]!.firing).toBe(false);
    expect(quiet.burns[0]!.long.burn).toBeCloseTo(1000, 9);
  });

  it('refuses errors > total, negative or non-finite counts, and invalid rules', () => {
    expect(() => countsFromErrors(11, 10)).toThrow(/cannot exceed/);
    expect(() => countsFromErrors(-1, 10)).toThrow(RangeError);
    expect(countsFromErrors(3, 10)).toEqual({ good: 7, total: 10 });
    expect(() => evaluateBurn(() => ({ good: 11, total: 10 }), 0.999)).toThrow(/good \(11\) cannot exceed total \(10\)/);
    expect(() => evaluateBurn(() => ({ good: -1, total: 10 }), 0.999)).toThrow(RangeError);
    expect(() => evaluateBurn(() => ({ good: 1, total: Number.NaN }), 0.999)).toThrow(RangeError);
    const bad = (patch: Partial<BurnRule>) => [{ ...PAGE_FAST, ...patch }];
    expect(() => evaluateBurn(() => null, 0.999, bad({ factor: 0 }))).toThrow(RangeError);
    expect(() => evaluateBurn(() => null, 0.999, bad({ shortWindowSeconds: 7200 }))).toThrow(RangeError);
    expect(() => evaluateBurn(() => null, 0.999, bad({ longWindowSeconds: -1 }))).toThrow(RangeError);
    expect(() => evaluateBurn(() => null, 0.999, bad({ severity: 'page' as 'critical' }))).toThrow(RangeError);
    expect(() => burnFactor(0, HOUR)).toThrow(RangeError);
  });
});

describe('latency good ratio', () => {
  // Per-bucket counts (Flightdeck's histogram shape), le in ms: 100 requests.
  const H = [
    { le: 50, count: 40 },
    { le: 100, count: 30 },
    { le: 250, count: 20 },
    { le: 1000, count: 10 },
  ];

  it('is exact at a bucket bound', () => {
    expect(latencyGoodRatio(H, 50)).toBe(0.4);
    expect(latencyGoodRatio(H, 100)).toBe(0.7);
    expect(latencyGoodRatio(H, 250)).toBe(0.9);
    expect(latencyGoodRatio(H, 1000)).toBe(1);
    expect(latencyGoodTotal(H, 250)).toEqual({ good: 90, total: 100 });
  });

  it('interpolates linearly inside a bucket, from 0 below the first bound', () => {
    expect(latencyGoodRatio(H, 25)).toBeCloseTo(0.2, 12); // half of the first bucket
    expect(latencyGoodRatio(H, 0)).toBe(0);
    expect(latencyGoodRatio(H, 175)).toBeCloseTo(0.8, 12); // 70 + 20 × 75/150
    expect(latencyGoodRatio(H, 400)).toBeCloseTo(0.92, 12); // 90 + 10 × 150/750
    expect(latencyGoodRatio(H, 5000)).toBe(1);
  });

  it('accepts buckets in any order, sums repeated bounds, and skips empty buckets correctly', () => {
    const shuffled = [H[2]!, H[0]!, { le: 100, count: 10 }, H[3]!, { le: 100, count: 20 }];
    expect(latencyGoodTotal(shuffled, 175)).toEqual(latencyGoodTotal(H, 175));
    expect(latencyGoodRatio([{ le: 10, count: 0 }, { le: 20, count: 10 }], 15)).toBeCloseTo(0.5, 12);
  });

  it('never counts the +Inf bucket as good', () => {
    const withInf = [...H.slice(0, 3), { le: Infinity, count: 10 }];
    expect(latencyGoodRatio(withInf, 250)).toBe(0.9);
    expect(latencyGoodRatio(withInf, 100_000)).toBe(0.9);
  });

  it('is null for an empty histogram and refuses bad input', () => {
    expect(latencyGoodRatio([], 100)).toBeNull();
    expect(latencyGoodRatio([{ le: 100, count: 0 }], 100)).toBeNull();
    expect(() => latencyGoodRatio(H, -1)).toThrow(RangeError);
    expect(() => latencyGoodRatio(H, Number.NaN)).toThrow(RangeError);
    expect(() => latencyGoodRatio([{ le: 100, count: -1 }], 100)).toThrow(RangeError);
    expect(() => latencyGoodRatio([{ le: Number.NaN, count: 1 }], 100)).toThrow(RangeError);
  });

  it('feeds evaluateBurn directly as a latency SLO', () => {
    // SLO: 99 % of requests within 250 ms. 10 % slower in every window is burn 10: above page-slow's 6, below page-fast's 14.4.
    const slow = [{ le: 250, count: 900 }, { le: 1000, count: 100 }];
    const result = evaluateBurn(() => latencyGoodTotal(slow, 250), 0.99);
    expect(result.burns[0]!.long.burn).toBeCloseTo(10, 9);
    expect(result.firing.map((f) => f.rule.name)).toEqual(['page-slow', 'ticket']);
    expect(result.severity).toBe('critical');
  });
});
