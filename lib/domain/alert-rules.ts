import { z } from 'zod';

/**
 * One alert instance (one model-version-feature for drift, one SLO, one canary analysis) over its
 * evaluations, in the semantics operators know from Prometheus (rules/alerting.go) and Grafana
 * (ANCHORS-ML §D). Pure: the controller loads the state from its jsonb column, calls `evaluate`
 * with the newest observation, stores the returned state and turns the returned events into
 * alert rows and webhook notifications. Replaying the same observations gives the same events.
 *
 *   inactive --breach--> pending --breach held `for`--> firing          (open)
 *      ^                    |                            |  ^  breach      (escalate when worse)
 *      +------ ok ----------+  (dropped, no event)       ok |
 *      |                                                  v  |
 *      +---- ok, keep_firing_for elapsed AND N healthy -- recovering      (resolve)
 *
 * - pending: the condition holds (warning or critical) but not yet for `forSeconds`, measured from
 *   the first breaching evaluation of the run (Prometheus' ActiveAt). It fires on the first
 *   evaluation where `at − activeSince ≥ for`; with for = 0 that is the first breaching evaluation.
 *   A healthy evaluation while pending drops it silently: no event, and the timer starts again
 *   at the next breach. The caller never hears of a pending alert unless it reads the state.
 * - firing: emits `open` once, with the severity of the evaluation that fired it.
 * - recovering (Grafana's "Recovering"): still firing — the alert stays open — but the last
 *   evaluation was healthy. It resolves on the healthy evaluation where both hold:
 *   `at − clearedSince ≥ keepFiringForSeconds` and `healthyStreak ≥ resolveAfterHealthy`.
 *   `clearedSince` is the first healthy evaluation after the last breach, exactly Prometheus'
 *   KeepFiringSince: the code starts the keep-firing clock at the evaluation that noticed the
 *   condition was gone, not at the last breach as the docs' sentence reads, so the grace is one
 *   evaluation interval longer than "since the last breach". A breach while recovering returns
 *   to firing, resets the streak and the clock, and emits nothing (or `escalate`, see below).
 *   With keepFiringFor = 0 and resolveAfterHealthy = 1 this is plain Prometheus: the first
 *   healthy evaluation resolves.
 * - severity can rise while open: a worse breach emits `escalate {from, to}` at once (no
 *   separate `for` per severity). It never falls while open: a critical alert whose condition is
 *   now only a warning stays critical until it resolves, and no event is emitted; `observed`
 *   shows what the latest evaluation saw. While pending, `severity` follows the latest breach.
 * - after `resolve` the state is inactive and empty again; the next breach starts a new pending
 *   run and, once it fires, a new `open` (a new alert row, not the old one reopened).
 * - out-of-order or duplicate observations (`at ≤ lastEvaluatedAt`) are ignored: the same state,
 *   no events, `ignored: true`. A missing evaluation changes nothing; if the controller wants
 *   Grafana's "stale after 2 missed intervals", it feeds 'ok' itself.
 *
 * Timeline (ANCHORS-ML §D), evaluation every 1 min, for = 5 m, keep firing 0, resolve after 1:
 *
 *   t (min)     0    1    2    3    4    5       6
 *   condition   T    T    T    T    T    T       F
 *   phase       pnd  pnd  pnd  pnd  pnd  firing  inactive
 *   events                               open    resolve
 *
 *   t (min)     0    1    2    3    4    5    6    7    8    9
 *   condition   T    T    T    F    T    T    T    T    T    T
 *   phase       pnd  pnd  pnd  ina  pnd  pnd  pnd  pnd  pnd  firing + open  (ActiveAt = 4, 9 − 4 ≥ 5)
 *
 * With keep firing for 5 m and a breach up to t = 9: the first healthy evaluation t = 10 sets
 * clearedSince = 10 (recovering), t = 11…14 stay recovering, t = 15 resolves (15 − 10 ≥ 5).
 *
 * Times in the state are ISO 8601 strings (UTC, millisecond precision) so that the jsonb column
 * reads well and round-trips through JSON unchanged; observations take a Date or epoch ms.
 */

export const ALERT_PHASES = ['inactive', 'pending', 'firing', 'recovering'] as const;
export type AlertPhase = (typeof ALERT_PHASES)[number];

export const ALERT_SEVERITIES = ['warning', 'critical'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];
/** What one evaluation saw: healthy, or a breach of the warning or the critical threshold. */
export type ObservedSeverity = 'ok' | AlertSeverity;

const RANK: Record<ObservedSeverity, number> = { ok: 0, warning: 1, critical: 2 };
/** Positive when a is worse than b. */
export const compareSeverity = (a: ObservedSeverity, b: ObservedSeverity): number => RANK[a] - RANK[b];

const DAY_SECONDS = 86_400;

/** One rule's timing; editable per model in Settings, hence a schema as well as a type. */
export const AlertRuleConfig = z.object({
  /** The condition must hold this long before pending becomes firing (Prometheus `for`). */
  forSeconds: z.number().finite().min(0).max(7 * DAY_SECONDS),
  /** After the condition clears, stay firing (recovering) this long (Prometheus `keep_firing_for`). */
  keepFiringForSeconds: z.number().finite().min(0).max(7 * DAY_SECONDS),
  /** Consecutive healthy evaluations (windows) needed to resolve, at least 1. */
  resolveAfterHealthy: z.number().int().min(1).max(1000),
});
export type AlertRuleConfig = z.infer<typeof AlertRuleConfig>;

/**
 * Drift: a snapshot window is already an aggregate (hours of traffic), so one bad window is
 * evidence enough to fire (for = 0); the anti-flapping is on the way out, where a score hovering
 * at the threshold must stay healthy for 3 windows in a row before the alert resolves.
 */
export const DRIFT_ALERT_RULE: AlertRuleConfig = Object.freeze({ forSeconds: 0, keepFiringForSeconds: 0, resolveAfterHealthy: 3 });
/**
 * SLO burn rate, evaluated every minute or so: the multi-window rule already needs the short
 * window to agree, so for = 2 min only filters a single noisy evaluation; keep firing 5 min
 * stops a page from resolving and re-opening while the error rate hovers at the threshold.
 */
export const SLO_ALERT_RULE: AlertRuleConfig = Object.freeze({ forSeconds: 120, keepFiringForSeconds: 300, resolveAfterHealthy: 1 });

export type AlertInstanceState = {
  phase: AlertPhase;
  /** First breaching evaluation of the current run (Prometheus ActiveAt); null when inactive. */
  activeSince: string | null;
  /** The evaluation that fired it (the `open`); null unless firing or recovering. */
  firingSince: string | null;
  /** The latest breaching evaluation; null when inactive. */
  lastBreachAt: string | null;
  /** First healthy evaluation after the last breach (Prometheus KeepFiringSince); set only while recovering. */
  clearedSince: string | null;
  /** Consecutive healthy evaluations since the last breach; > 0 only while recovering. */
  healthyStreak: number;
  /** The alert's severity: the latest breach's while pending; once open, the highest since the open. null when inactive. */
  severity: AlertSeverity | null;
  /** What the latest accepted evaluation saw. */
  observed: ObservedSeverity | null;
  /** The latest accepted evaluation; older or equal ones are ignored. */
  lastEvaluatedAt: string | null;
};

export const INITIAL_ALERT_STATE: AlertInstanceState = Object.freeze({
  phase: 'inactive',
  activeSince: null,
  firingSince: null,
  lastBreachAt: null,
  clearedSince: null,
  healthyStreak: 0,
  severity: null,
  observed: null,
  lastEvaluatedAt: null,
});

export type AlertObservation = { at: Date | number; severity: ObservedSeverity };

/** What the caller must do; `at` is the evaluation's time (ISO). Pending never produces an event. */
export type AlertEvent =
  | { type: 'open'; at: string; severity: AlertSeverity; activeSince: string }
  | { type: 'escalate'; at: string; from: AlertSeverity; to: AlertSeverity }
  | { type: 'resolve'; at: string; severity: AlertSeverity; firingSince: string };

export type AlertEvaluation = { state: AlertInstanceState; events: AlertEvent[]; ignored: boolean };

/** Throws RangeError when a rule is out of range (the Settings form validates with the schema). */
export function assertAlertRule(rule: AlertRuleConfig): void {
  if (!(Number.isFinite(rule.forSeconds) && rule.forSeconds >= 0)) throw new RangeError(`forSeconds must be a finite number ≥ 0, got ${rule.forSeconds}`);
  if (!(Number.isFinite(rule.keepFiringForSeconds) && rule.keepFiringForSeconds >= 0)) {
    throw new RangeError(`keepFiringForSeconds must be a finite number ≥ 0, got ${rule.keepFiringForSeconds}`);
  }
  if (!(Number.isInteger(rule.resolveAfterHealthy) && rule.resolveAfterHealthy >= 1)) {
    throw new RangeError(`resolveAfterHealthy must be an integer ≥ 1, got ${rule.resolveAfterHealthy}`);
  }
}

const iso = (ms: number) => new Date(ms).toISOString();
const msOf = (value: string) => Date.parse(value);

function toMs(at: Date | number): number {
  const ms = new Date(at instanceof Date ? at.getTime() : at).getTime(); // Date truncates to whole ms
  if (Number.isNaN(ms)) throw new RangeError(`An observation needs a valid time, got ${String(at)}`);
  return ms;
}

/** A stored state read back from jsonb: the shape and the per-phase invariants above. */
export function isAlertInstanceState(value: unknown): value is AlertInstanceState {
  if (typeof value !== 'object' || value === null) return false;
  const s = value as Record<string, unknown>;
  const time = (v: unknown) => v === null || (typeof v === 'string' && !Number.isNaN(Date.parse(v)));
  if (!(ALERT_PHASES as readonly unknown[]).includes(s.phase)) return false;
  if (![s.activeSince, s.firingSince, s.lastBreachAt, s.clearedSince, s.lastEvaluatedAt].every(time)) return false;
  if (!(typeof s.healthyStreak === 'number' && Number.isInteger(s.healthyStreak) && s.healthyStreak >= 0)) return false;
  if (!(s.severity === null || (ALERT_SEVERITIES as readonly unknown[]).includes(s.severity))) return false;
  if (!(s.observed === null || s.observed === 'ok' || (ALERT_SEVERITIES as readonly unknown[]).includes(s.observed))) return false;
  const open = s.phase === 'firing' || s.phase === 'recovering';
  const active = open || s.phase === 'pending';
  return (
    (s.activeSince !== null) === active &&
    (s.lastBreachAt !== null) === active &&
    (s.severity !== null) === active &&
    (s.firingSince !== null) === open &&
    (s.clearedSince !== null) === (s.phase === 'recovering') &&
    (s.healthyStreak > 0) === (s.phase === 'recovering') &&
    (!active || s.lastEvaluatedAt !== null)
  );
}

/**
 * Applies one evaluation. Throws RangeError for an invalid rule, time or severity (a bug in the
 * caller, not data to alert on). See the module comment for the semantics.
 */
export function evaluate(state: AlertInstanceState, observation: AlertObservation, rule: AlertRuleConfig): AlertEvaluation {
  assertAlertRule(rule);
  const { severity: observed } = observation;
  if (!Object.hasOwn(RANK, observed)) throw new RangeError(`An observation's severity must be ok, warning or critical, got ${String(observed)}`);
  const now = toMs(observation.at);
  if (state.lastEvaluatedAt !== null && now <= msOf(state.lastEvaluatedAt)) return { state, events: [], ignored: true };

  const at = iso(now);
  const events: AlertEvent[] = [];
  const seen = { observed, lastEvaluatedAt: at };

  if (observed === 'ok') {
    switch (state.phase) {
      case 'inactive':
        return { state: { ...state, ...seen }, events, ignored: false };
      case 'pending': // cleared before it fired: dropped silently, the `for` timer starts again
        return { state: { ...INITIAL_ALERT_STATE, ...seen }, events, ignored: false };
      case 'firing':
      case 'recovering': {
        const clearedSince = state.clearedSince ?? at;
        const healthyStreak = state.healthyStreak + 1;
        const kept = now - msOf(clearedSince) < rule.keepFiringForSeconds * 1000;
        if (!kept && healthyStreak >= rule.resolveAfterHealthy) {
          events.push({ type: 'resolve', at, severity: state.severity!, firingSince: state.firingSince! });
          return { state: { ...INITIAL_ALERT_STATE, ...seen }, events, ignored: false };
        }
        return { state: { ...state, ...seen, phase: 'recovering', clearedSince, healthyStreak }, events, ignored: false };
      }
    }
  }

  // A breach.
  switch (state.phase) {
    case 'inactive':
    case 'pending': {
      const activeSince = state.activeSince ?? at;
      if (now - msOf(activeSince) >= rule.forSeconds * 1000) {
        events.push({ type: 'open', at, severity: observed, activeSince });
        return {
          state: { ...INITIAL_ALERT_STATE, ...seen, phase: 'firing', activeSince, firingSince: at, lastBreachAt: at, severity: observed },
          events,
          ignored: false,
        };
      }
      return { state: { ...INITIAL_ALERT_STATE, ...seen, phase: 'pending', activeSince, lastBreachAt: at, severity: observed }, events, ignored: false };
    }
    case 'firing':
    case 'recovering': {
      const from = state.severity!;
      const severity = compareSeverity(observed, from) > 0 ? observed : from;
      if (severity !== from) events.push({ type: 'escalate', at, from, to: severity });
      return {
        state: { ...state, ...seen, phase: 'firing', lastBreachAt: at, clearedSince: null, healthyStreak: 0, severity },
        events,
        ignored: false,
      };
    }
  }
}

/** Applies observations in order, collecting the events: for replays and tests. */
export function evaluateAll(
  state: AlertInstanceState,
  observations: readonly AlertObservation[],
  rule: AlertRuleConfig,
): { state: AlertInstanceState; events: AlertEvent[] } {
  const events: AlertEvent[] = [];
  let current = state;
  for (const observation of observations) {
    const result = evaluate(current, observation, rule);
    current = result.state;
    events.push(...result.events);
  }
  return { state: current, events };
}

/** True while an alert row exists for the instance (firing or recovering). */
export const isOpen = (state: AlertInstanceState): boolean => state.phase === 'firing' || state.phase === 'recovering';
