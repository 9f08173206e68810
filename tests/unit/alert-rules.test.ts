import { describe, expect, it } from 'vitest';
import {
  AlertRuleConfig,
  DRIFT_ALERT_RULE,
  INITIAL_ALERT_STATE,
  SLO_ALERT_RULE,
  compareSeverity,
  evaluate,
  evaluateAll,
  isAlertInstanceState,
  isOpen,
  type AlertEvent,
  type AlertInstanceState,
  type AlertPhase,
  type ObservedSeverity,
} from '@/lib/domain/alert-rules';
import { mulberry32 } from '@/lib/simulator/traffic';

const T0 = Date.UTC(2026, 10, 26, 10, 0, 0);
const ms = (minutes: number) => T0 + minutes * 60_000;
const iso = (minutes: number) => new Date(ms(minutes)).toISOString();
const rule = (forMinutes: number, keepMinutes = 0, resolveAfterHealthy = 1): AlertRuleConfig => ({
  forSeconds: forMinutes * 60,
  keepFiringForSeconds: keepMinutes * 60,
  resolveAfterHealthy,
});

// Written out by hand: T/W = warning breach, C = critical breach, F = ok (condition false).
type Cond = 'T' | 'W' | 'C' | 'F';
const SEVERITY: Record<Cond, ObservedSeverity> = { T: 'warning', W: 'warning', C: 'critical', F: 'ok' };
/** [minute, condition, phase after, events as "open:warning" | "escalate:warning>critical" | "resolve"] */
type Row = [t: number, cond: Cond, phase: AlertPhase, events: string];

const summary = (events: AlertEvent[]) =>
  events.map((e) => (e.type === 'open' ? `open:${e.severity}` : e.type === 'escalate' ? `escalate:${e.from}>${e.to}` : 'resolve')).join(' ');

/** Replays the rows from the initial state, checking every row; returns the states and events. */
function replay(config: AlertRuleConfig, rows: Row[]) {
  let state: AlertInstanceState = INITIAL_ALERT_STATE;
  const trail: { state: AlertInstanceState; events: AlertEvent[] }[] = [];
  for (const [t, cond, phase, events] of rows) {
    const result = evaluate(state, { at: ms(t), severity: SEVERITY[cond] }, config);
    expect({ t, phase: result.state.phase, events: summary(result.events) }).toEqual({ t, phase, events });
    expect(result.ignored).toBe(false);
    expect(isAlertInstanceState(result.state)).toBe(true);
    state = result.state;
    trail.push(result);
  }
  return { state, trail };
}

describe('Prometheus timeline vectors (ANCHORS-ML §D): evaluation every 1 min, for 5 m', () => {
  it('true from t = 0: pending at 0…4, firing at 5', () => {
    const { state, trail } = replay(rule(5), [
      [0, 'T', 'pending', ''],
      [1, 'T', 'pending', ''],
      [2, 'T', 'pending', ''],
      [3, 'T', 'pending', ''],
      [4, 'T', 'pending', ''],
      [5, 'T', 'firing', 'open:warning'],
      [6, 'T', 'firing', ''],
    ]);
    expect(trail[5]!.events).toEqual([{ type: 'open', at: iso(5), severity: 'warning', activeSince: iso(0) }]);
    expect(state).toEqual({
      phase: 'firing',
      activeSince: iso(0),
      firingSince: iso(5),
      lastBreachAt: iso(6),
      clearedSince: null,
      healthyStreak: 0,
      severity: 'warning',
      observed: 'warning',
      lastEvaluatedAt: iso(6),
    });
  });

  it('false at t = 3 and true again at t = 4: ActiveAt = 4 and it fires at t = 9', () => {
    const { trail } = replay(rule(5), [
      [0, 'T', 'pending', ''],
      [1, 'T', 'pending', ''],
      [2, 'T', 'pending', ''],
      [3, 'F', 'inactive', ''],
      [4, 'T', 'pending', ''],
      [5, 'T', 'pending', ''],
      [6, 'T', 'pending', ''],
      [7, 'T', 'pending', ''],
      [8, 'T', 'pending', ''],
      [9, 'T', 'firing', 'open:warning'],
    ]);
    expect(trail[4]!.state.activeSince).toBe(iso(4));
    expect(trail[9]!.events).toEqual([{ type: 'open', at: iso(9), severity: 'warning', activeSince: iso(4) }]);
  });

  it('without keep_firing_for, the first false evaluation while firing resolves', () => {
    const { state, trail } = replay(rule(5), [
      [0, 'T', 'pending', ''],
      [1, 'T', 'pending', ''],
      [2, 'T', 'pending', ''],
      [3, 'T', 'pending', ''],
      [4, 'T', 'pending', ''],
      [5, 'T', 'firing', 'open:warning'],
      [6, 'F', 'inactive', 'resolve'],
      [7, 'F', 'inactive', ''],
    ]);
    expect(trail[6]!.events).toEqual([{ type: 'resolve', at: iso(6), severity: 'warning', firingSince: iso(5) }]);
    expect(state).toEqual({ ...INITIAL_ALERT_STATE, observed: 'ok', lastEvaluatedAt: iso(7) });
  });

  it('uneven evaluation times: fires on the first evaluation at or after ActiveAt + for', () => {
    replay(rule(5), [
      [0, 'T', 'pending', ''],
      [4.99, 'T', 'pending', ''],
      [5, 'T', 'firing', 'open:warning'],
    ]);
    replay(rule(5), [
      [0, 'T', 'pending', ''],
      [3, 'T', 'pending', ''],
      [7.5, 'T', 'firing', 'open:warning'],
    ]);
  });
});

describe('pending', () => {
  it('a pending alert that clears is dropped without any event, and the timer starts again', () => {
    const rows: Row[] = [];
    for (let cycle = 0; cycle < 10; cycle++) {
      const t = cycle * 5;
      rows.push([t, 'T', 'pending', ''], [t + 1, 'T', 'pending', ''], [t + 2, 'C', 'pending', ''], [t + 3, 'T', 'pending', ''], [t + 4, 'F', 'inactive', '']);
    }
    const { trail } = replay(rule(5), rows);
    expect(trail.flatMap((r) => r.events)).toEqual([]);
    expect(trail.at(-1)!.state).toEqual({ ...INITIAL_ALERT_STATE, observed: 'ok', lastEvaluatedAt: iso(49) });
  });

  it('for = 0 fires on the first breaching evaluation, at its own time', () => {
    const { trail } = replay(rule(0), [
      [0, 'F', 'inactive', ''],
      [1, 'C', 'firing', 'open:critical'],
    ]);
    expect(trail[1]!.events).toEqual([{ type: 'open', at: iso(1), severity: 'critical', activeSince: iso(1) }]);
    expect(trail[1]!.state.firingSince).toBe(iso(1));
  });

  it('while pending, severity follows the latest breach; the open carries the firing evaluation\'s severity', () => {
    const up = replay(rule(2), [
      [0, 'W', 'pending', ''],
      [1, 'C', 'pending', ''],
      [2, 'C', 'firing', 'open:critical'],
    ]);
    expect(up.trail[1]!.state.severity).toBe('critical');
    const down = replay(rule(2), [
      [0, 'C', 'pending', ''],
      [1, 'C', 'pending', ''],
      [2, 'W', 'firing', 'open:warning'],
    ]);
    expect(down.trail[0]!.state.severity).toBe('critical');
    expect(down.state.severity).toBe('warning');
  });
});

describe('keep_firing_for (anti-flapping)', () => {
  it('the clock starts at the first false evaluation (Prometheus KeepFiringSince), and resolves when it has run out', () => {
    const { trail } = replay(rule(0, 5), [
      [0, 'T', 'firing', 'open:warning'],
      [9, 'T', 'firing', ''],
      [10, 'F', 'recovering', ''],
      [11, 'F', 'recovering', ''],
      [14, 'F', 'recovering', ''],
      [15, 'F', 'inactive', 'resolve'],
    ]);
    expect(trail[2]!.state).toMatchObject({ phase: 'recovering', clearedSince: iso(10), healthyStreak: 1, lastBreachAt: iso(9) });
    expect(trail[4]!.state).toMatchObject({ clearedSince: iso(10), healthyStreak: 3 });
    expect(isOpen(trail[4]!.state)).toBe(true);
  });

  it('a breach while recovering goes back to firing silently and restarts the clock', () => {
    replay(rule(0, 5), [
      [0, 'T', 'firing', 'open:warning'],
      [1, 'F', 'recovering', ''],
      [2, 'F', 'recovering', ''],
      [3, 'T', 'firing', ''],
      [4, 'F', 'recovering', ''],
      [8, 'F', 'recovering', ''],
      [9, 'F', 'inactive', 'resolve'],
    ]);
  });

  it('a flapping condition makes one open and one resolve with keep firing, but one pair per flap without', () => {
    const flaps: Cond[] = ['T', 'F', 'T', 'F', 'T', 'F', 'T', 'F', 'F', 'F', 'F', 'F', 'F'];
    const observations = flaps.map((c, i) => ({ at: ms(i), severity: SEVERITY[c] }));
    const kept = evaluateAll(INITIAL_ALERT_STATE, observations, rule(0, 3));
    expect(summary(kept.events)).toBe('open:warning resolve');
    expect(kept.events.at(-1)).toMatchObject({ type: 'resolve', at: iso(10) }); // last breach 6, cleared 7, 7 + 3 = 10
    const plain = evaluateAll(INITIAL_ALERT_STATE, observations, rule(0));
    expect(summary(plain.events)).toBe('open:warning resolve open:warning resolve open:warning resolve open:warning resolve');
  });
});

describe('resolve after N healthy windows', () => {
  it('drift default: 3 healthy windows in a row; a breach in between restarts the count', () => {
    const hourly = (h: number) => h * 60;
    const { trail } = replay(DRIFT_ALERT_RULE, [
      [hourly(0), 'C', 'firing', 'open:critical'],
      [hourly(1), 'F', 'recovering', ''],
      [hourly(2), 'F', 'recovering', ''],
      [hourly(3), 'W', 'firing', ''],
      [hourly(4), 'F', 'recovering', ''],
      [hourly(5), 'F', 'recovering', ''],
      [hourly(6), 'F', 'inactive', 'resolve'],
    ]);
    expect(trail[2]!.state.healthyStreak).toBe(2);
    expect(trail[3]!.state).toMatchObject({ healthyStreak: 0, clearedSince: null, severity: 'critical', observed: 'warning' });
    expect(trail[6]!.events).toEqual([{ type: 'resolve', at: iso(360), severity: 'critical', firingSince: iso(0) }]);
  });

  it('needs both the streak and keep_firing_for: whichever comes later decides', () => {
    // Streak reached at t = 11 but the clock (cleared at 10) runs to 15.
    replay(rule(0, 5, 3), [
      [0, 'T', 'firing', 'open:warning'],
      [10, 'F', 'recovering', ''],
      [10.5, 'F', 'recovering', ''],
      [11, 'F', 'recovering', ''],
      [15, 'F', 'inactive', 'resolve'],
    ]);
    // The clock runs out at t = 11 but the third healthy window is at t = 30.
    replay(rule(0, 1, 3), [
      [0, 'T', 'firing', 'open:warning'],
      [10, 'F', 'recovering', ''],
      [20, 'F', 'recovering', ''],
      [30, 'F', 'inactive', 'resolve'],
    ]);
  });
});

describe('severity', () => {
  it('escalates warning → critical while firing, and while recovering (back to firing)', () => {
    const { trail } = replay(rule(0, 5), [
      [0, 'W', 'firing', 'open:warning'],
      [1, 'C', 'firing', 'escalate:warning>critical'],
      [2, 'C', 'firing', ''],
    ]);
    expect(trail[1]!.events).toEqual([{ type: 'escalate', at: iso(1), from: 'warning', to: 'critical' }]);
    replay(rule(0, 5), [
      [0, 'W', 'firing', 'open:warning'],
      [1, 'F', 'recovering', ''],
      [2, 'C', 'firing', 'escalate:warning>critical'],
    ]);
  });

  it('never falls while open: a critical alert now seeing warnings stays critical, silently, until it resolves', () => {
    const { trail } = replay(rule(0), [
      [0, 'C', 'firing', 'open:critical'],
      [1, 'W', 'firing', ''],
      [2, 'W', 'firing', ''],
      [3, 'C', 'firing', ''],
      [4, 'F', 'inactive', 'resolve'],
    ]);
    expect(trail[1]!.state).toMatchObject({ severity: 'critical', observed: 'warning' });
    expect(trail[4]!.events[0]).toMatchObject({ type: 'resolve', severity: 'critical' });
  });

  it('orders ok < warning < critical', () => {
    expect(compareSeverity('critical', 'warning')).toBeGreaterThan(0);
    expect(compareSeverity('ok', 'warning')).toBeLessThan(0);
    expect(compareSeverity('warning', 'warning')).toBe(0);
  });
});

describe('after resolve', () => {
  it('the next breach is a new pending run and a new open', () => {
    const { trail } = replay(rule(2), [
      [0, 'T', 'pending', ''],
      [2, 'T', 'firing', 'open:warning'],
      [3, 'F', 'inactive', 'resolve'],
      [4, 'C', 'pending', ''],
      [5, 'C', 'pending', ''],
      [6, 'C', 'firing', 'open:critical'],
    ]);
    expect(trail[5]!.events).toEqual([{ type: 'open', at: iso(6), severity: 'critical', activeSince: iso(4) }]);
    expect(trail[5]!.state.firingSince).toBe(iso(6));
  });
});

describe('out-of-order and duplicate observations', () => {
  it('are ignored: the same state object, no events, ignored = true', () => {
    const { state } = replay(rule(5), [
      [0, 'T', 'pending', ''],
      [1, 'T', 'pending', ''],
    ]);
    for (const [t, severity] of [[1, 'ok'], [1, 'critical'], [0.5, 'ok'], [-10, 'warning']] as const) {
      const result = evaluate(state, { at: ms(t), severity }, rule(5));
      expect(result).toEqual({ state, events: [], ignored: true });
      expect(result.state).toBe(state);
    }
    // A stale 'ok' did not drop the pending run: it still fires on time.
    expect(summary(evaluate(state, { at: ms(5), severity: 'warning' }, rule(5)).events)).toBe('open:warning');
  });

  it('compares at millisecond precision; Date and epoch ms are the same time', () => {
    const a = evaluate(INITIAL_ALERT_STATE, { at: new Date(ms(0)), severity: 'warning' }, rule(0));
    const b = evaluate(INITIAL_ALERT_STATE, { at: ms(0), severity: 'warning' }, rule(0));
    expect(a).toEqual(b);
    expect(evaluate(a.state, { at: ms(0) + 0.4, severity: 'ok' }, rule(0)).ignored).toBe(true);
    expect(evaluate(a.state, { at: ms(0) + 1, severity: 'ok' }, rule(0)).ignored).toBe(false);
  });
});

describe('inputs', () => {
  it('refuses an invalid time, severity or rule', () => {
    expect(() => evaluate(INITIAL_ALERT_STATE, { at: Number.NaN, severity: 'ok' }, rule(0))).toThrow(RangeError);
    expect(() => evaluate(INITIAL_ALERT_STATE, { at: new Date('nope'), severity: 'ok' }, rule(0))).toThrow(RangeError);
    expect(() => evaluate(INITIAL_ALERT_STATE, { at: ms(0), severity: 'fatal' as ObservedSeverity }, rule(0))).toThrow(RangeError);
    expect(() => evaluate(INITIAL_ALERT_STATE, { at: ms(0), severity: 'toString' as ObservedSeverity }, rule(0))).toThrow(RangeError);
    expect(() => evaluate(INITIAL_ALERT_STATE, { at: ms(0), severity: 'ok' }, { ...rule(0), forSeconds: -1 })).toThrow(RangeError);
    expect(() => evaluate(INITIAL_ALERT_STATE, { at: ms(0), severity: 'ok' }, { ...rule(0), keepFiringForSeconds: Infinity })).toThrow(RangeError);
    expect(() => evaluate(INITIAL_ALERT_STATE, { at: ms(0), severity: 'ok' }, { ...rule(0), resolveAfterHealthy: 0 })).toThrow(RangeError);
    expect(() => evaluate(INITIAL_ALERT_STATE, { at: ms(0), severity: 'ok' }, { ...rule(0), resolveAfterHealthy: 1.5 })).toThrow(RangeError);
  });

  it('documents its defaults, which the Settings schema accepts', () => {
    expect(DRIFT_ALERT_RULE).toEqual({ forSeconds: 0, keepFiringForSeconds: 0, resolveAfterHealthy: 3 });
    expect(SLO_ALERT_RULE).toEqual({ forSeconds: 120, keepFiringForSeconds: 300, resolveAfterHealthy: 1 });
    expect(AlertRuleConfig.parse(DRIFT_ALERT_RULE)).toEqual(DRIFT_ALERT_RULE);
    expect(AlertRuleConfig.parse(SLO_ALERT_RULE)).toEqual(SLO_ALERT_RULE);
    expect(AlertRuleConfig.safeParse({ ...SLO_ALERT_RULE, resolveAfterHealthy: 0 }).success).toBe(false);
    expect(AlertRuleConfig.safeParse({ ...SLO_ALERT_RULE, forSeconds: -5 }).success).toBe(false);
  });

  it('recognises stored states and refuses malformed or inconsistent ones', () => {
    expect(isAlertInstanceState(INITIAL_ALERT_STATE)).toBe(true);
    expect(isAlertInstanceState(null)).toBe(false);
    expect(isAlertInstanceState({ ...INITIAL_ALERT_STATE, phase: 'alerting' })).toBe(false);
    expect(isAlertInstanceState({ ...INITIAL_ALERT_STATE, phase: 'firing' })).toBe(false);
    expect(isAlertInstanceState({ ...INITIAL_ALERT_STATE, healthyStreak: 2 })).toBe(false);
    expect(isAlertInstanceState({ ...INITIAL_ALERT_STATE, lastEvaluatedAt: 'yesterday' })).toBe(false);
    const { healthyStreak: _omitted, ...missing } = INITIAL_ALERT_STATE;
    expect(isAlertInstanceState(missing)).toBe(false);
  });
});

describe('invariants over a seeded random sweep', () => {
  const CONDS: ObservedSeverity[] = ['ok', 'ok', 'warning', 'critical'];

  it('holds for 150 random rules × observation streams, including through a JSON round trip', () => {
    const random = mulberry32(20261126);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
    let opens = 0;
    let escalations = 0;
    let resolves = 0;
    for (let run = 0; run < 150; run++) {
      const config: AlertRuleConfig = { forSeconds: pick([0, 60, 120, 300]), keepFiringForSeconds: pick([0, 60, 300]), resolveAfterHealthy: pick([1, 2, 3]) };
      // Sticky conditions so that runs are long enough to fire.
      let cond: ObservedSeverity = 'ok';
      let t = T0;
      let state: AlertInstanceState = INITIAL_ALERT_STATE;
      let open = false; // between an open and its resolve
      const accepted: { at: number; severity: ObservedSeverity }[] = [];
      for (let step = 0; step < 120; step++) {
        if (random() < 0.3) cond = pick(CONDS);
        const stale = random() < 0.08;
        const at = stale ? t - Math.floor(random() * 3) * 30_000 : (t += pick([15_000, 30_000, 60_000, 60_000, 90_000]));
        const stored = JSON.parse(JSON.stringify(state)) as AlertInstanceState;
        const result = evaluate(stored, { at, severity: cond }, config);
        expect(evaluate(state, { at, severity: cond }, config)).toEqual(result); // JSON round trip changes nothing
        expect(isAlertInstanceState(result.state)).toBe(true);

        const before = state;
        const isStale = before.lastEvaluatedAt !== null && at <= Date.parse(before.lastEvaluatedAt);
        expect(result.ignored).toBe(isStale);
        if (isStale) {
          expect(result.events).toEqual([]);
          expect(result.state).toEqual(before);
          continue;
        }
        accepted.push({ at, severity: cond });

        for (const event of result.events) {
          if (event.type === 'open') {
            expect(open).toBe(false); // never two opens without a resolve in between
            open = true;
            opens++;
            expect(result.state.phase).toBe('firing');
            expect(event.severity).toBe(cond);
            // Fired on the first evaluation where the breach run has lasted `for`.
            let start = accepted.length - 1;
            while (start > 0 && accepted[start - 1]!.severity !== 'ok') start--;
            expect(event.activeSince).toBe(new Date(accepted[start]!.at).toISOString());
            expect(at - accepted[start]!.at).toBeGreaterThanOrEqual(config.forSeconds * 1000);
            if (accepted.length - 1 > start) expect(accepted.at(-2)!.at - accepted[start]!.at).toBeLessThan(config.forSeconds * 1000);
          } else if (event.type === 'escalate') {
            expect(open).toBe(true);
            expect(result.state.phase).toBe('firing');
            expect(compareSeverity(event.to, event.from)).toBeGreaterThan(0);
            expect(event.to).toBe(cond);
            escalations++;
          } else {
            expect(open).toBe(true); // at most one resolve per open
            open = false;
            resolves++;
            expect(cond).toBe('ok');
            expect(result.state.phase).toBe('inactive');
            // The first evaluation where both the streak and keep_firing_for are satisfied.
            let first = accepted.length - 1;
            while (first > 0 && accepted[first - 1]!.severity === 'ok') first--;
            const streak = accepted.length - first;
            const satisfied = (i: number) => i - first + 1 >= config.resolveAfterHealthy && accepted[i]!.at - accepted[first]!.at >= config.keepFiringForSeconds * 1000;
            expect(satisfied(accepted.length - 1)).toBe(true);
            if (streak > 1) expect(satisfied(accepted.length - 2)).toBe(false);
          }
        }
        expect(result.events.length).toBeLessThanOrEqual(1);
        expect(isOpen(result.state)).toBe(open);
        if (result.state.phase === 'pending' || (before.phase === 'pending' && result.state.phase === 'inactive')) expect(result.events).toEqual([]);
        if (isOpen(before) && isOpen(result.state)) {
          expect(compareSeverity(result.state.severity!, before.severity!)).toBeGreaterThanOrEqual(0); // never falls while open
          expect(result.state.firingSince).toBe(before.firingSince);
        }
        state = result.state;
      }
    }
    // The sweep exercised every kind of event.
    expect(opens).toBeGreaterThan(300);
    expect(escalations).toBeGreaterThan(50);
    expect(resolves).toBeGreaterThan(300);
  });
});
