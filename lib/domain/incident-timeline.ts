import { z } from 'zod';

/**
 * An incident's story (issue 8 §3): what happened around a rollback, assembled from the audit
 * chain, the analysis verdicts, the alerts and optional metric points; how long it took to detect
 * and to roll back; who acted. Pure: the incident page loads the rows and hands them in as they
 * come out of the database (Date objects, jsonb as `unknown`, text columns as `string`).
 *
 * Times are `Date` everywhere, in and out. A Date that is invalid (NaN) counts as missing.
 */

// ---------------------------------------------------------------------------------------------
// Input

export const ACTOR_TYPES = ['user', 'api_key', 'system'] as const;
export type ActorType = (typeof ACTOR_TYPES)[number];

/** The incident's release (releases row). `weights` (the plan's weight by step) only helps titles. */
export type IncidentRelease = {
  startedAt: Date | null;
  finishedAt?: Date | null;
  state: string;
  strategy?: string | null;
  weights?: readonly number[];
};

/** An audit_events row about the release, its incident or its alerts. */
export type IncidentAuditEvent = {
  occurredAt: Date;
  actorType: string; // user | api_key | system
  actorName: string;
  action: string; // release.start, release.rollback, alert.acknowledge, …
  targetType?: string;
  targetId?: string;
  before?: unknown;
  after?: unknown;
  reason?: string | null;
};

/** An analysis_runs row. The verdict is known at intervalEnd. `step` is 0-based, as stored. */
export type IncidentAnalysisRun = {
  step: number;
  intervalStart: Date;
  intervalEnd: Date;
  verdict: string; // pass | marginal | fail | inconclusive
  summary?: string | null;
  score?: number | null;
};

/** An alerts row linked to the release. */
export type IncidentAlert = {
  id: string;
  kind: string; // drift | slo_breach | analysis_failed
  severity: string; // warning | critical (the current one: an escalated alert reads critical)
  title: string;
  openedAt: Date;
  acknowledgedAt?: Date | null;
  acknowledgedBy?: string | null;
  resolvedAt?: Date | null;
  resolvedBy?: string | null;
};

/** One variant's numbers at one time. errorRatePercent is a percentage (2.1 means 2.1 %). */
export type IncidentMetricPoint = { at: Date; variant: string; errorRatePercent: number | null; p99Ms: number | null };

export type IncidentInput = {
  /** Null when the incident's release is gone or unknown: everything still works, durations go null. */
  release: IncidentRelease | null;
  auditEvents?: readonly IncidentAuditEvent[];
  analysisRuns?: readonly IncidentAnalysisRun[];
  alerts?: readonly IncidentAlert[];
  metrics?: readonly IncidentMetricPoint[];
};

export type IncidentWindowOptions = {
  /** How long after the rollback the story goes on (recovery, acknowledgements). Default 30. */
  afterRollbackMinutes?: number;
};

// ---------------------------------------------------------------------------------------------
// Output

export const TIMELINE_KINDS = ['metric', 'analysis', 'alert', 'release', 'action'] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];
export type TimelineSeverity = 'info' | 'warning' | 'critical';

/**
 * kind:
 * - release:  the plan going its way — request, approve, reject, start, advance, resume, promote;
 * - action:   interventions and records — pause, rollback (also rollback to last good), abort,
 *             comments, incident.* events, and any audit action this module does not know;
 * - analysis: one interval's verdict, placed at intervalEnd (when the verdict exists);
 * - alert:    an alert opened, escalated, acknowledged or resolved;
 * - metric:   the metric points at one time, every variant on one line.
 */
export type TimelineEntry = {
  at: Date;
  kind: TimelineKind;
  title: string;
  detail?: string;
  actor?: string;
  actorType?: ActorType;
  severity?: TimelineSeverity;
};

/**
 * Order of entries at the same millisecond, cause before response: what was observed (metric),
 * what was judged on it (analysis), the signal raised (alert), what changed (release), who
 * intervened (action). Equal time and kind keep the order they were handed in (audit events in
 * chain order, so a rollback comes before the incident.open it caused).
 */
export const TIMELINE_KIND_ORDER: readonly TimelineKind[] = TIMELINE_KINDS;

export const DEFAULT_AFTER_ROLLBACK_MINUTES = 30;

export const ROLLBACK_ACTIONS = ['release.rollback', 'release.rollback_to_last_good'] as const;

// ---------------------------------------------------------------------------------------------
// Small readers

const MS = 1000;

function valid(d: Date | null | undefined): Date | null {
  return d instanceof Date && !Number.isNaN(d.getTime()) ? d : null;
}

function actorTypeOf(value: string | null | undefined): ActorType | undefined {
  return (ACTOR_TYPES as readonly string[]).includes(value ?? '') ? (value as ActorType) : undefined;
}

function field(obj: unknown, key: string): unknown {
  return obj !== null && typeof obj === 'object' && !Array.isArray(obj) ? (obj as Record<string, unknown>)[key] : undefined;
}
function numberField(obj: unknown, key: string): number | null {
  const v = field(obj, key);
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}
function stringField(obj: unknown, key: string): string | null {
  const v = field(obj, key);
  return typeof v === 'string' && v.trim() !== '' ? v : null;
}

const text = (s: string | null | undefined): string | null => (s && s.trim() !== '' ? s.trim() : null);

const isRollback = (action: string) => (ROLLBACK_ACTIONS as readonly string[]).includes(action);

/** The first rollback in the audit events handed in (by time), or null. */
function rollbackEvent(input: IncidentInput): IncidentAuditEvent | null {
  let first: IncidentAuditEvent | null = null;
  for (const e of input.auditEvents ?? []) {
    const at = valid(e.occurredAt);
    if (at && isRollback(e.action) && (!first || at < first.occurredAt)) first = e;
  }
  return first;
}

const clockTime = (d: Date) => `${d.toISOString().slice(11, 19)} UTC`;

/** 2.1 %, 0.45 %, 12.3 %, 0 % */
function formatRate(percent: number): string {
  if (percent === 0) return '0 %';
  return `${Math.abs(percent) >= 1 ? percent.toFixed(1) : percent.toPrecision(2)} %`;
}

// ---------------------------------------------------------------------------------------------
// Window

/**
 * The part of the story the timeline shows, both ends inclusive:
 * - from: the release start; when it is unknown, no lower bound (the first event opens it).
 *   Events before the start (the request, its approvals) are left out: they belong to the
 *   release record, not to the incident.
 * - to:   the rollback (first release.rollback / release.rollback_to_last_good audit event) plus
 *   `afterRollbackMinutes` (default 30), to show the recovery and late acknowledgements; with no
 *   rollback known, no upper bound.
 * afterRollbackMinutes that is negative or not finite → RangeError.
 */
export function incidentWindow(input: IncidentInput, options: IncidentWindowOptions = {}): { from: Date | null; to: Date | null } {
  const after = options.afterRollbackMinutes ?? DEFAULT_AFTER_ROLLBACK_MINUTES;
  if (!(Number.isFinite(after) && after >= 0)) throw new RangeError(`afterRollbackMinutes must be a number of minutes ≥ 0, got ${after}`);
  const from = valid(input.release?.startedAt);
  const rolledBack = rollbackEvent(input);
  const to = rolledBack ? new Date(rolledBack.occurredAt.getTime() + after * 60 * MS) : null;
  return { from, to };
}

const inWindow = (at: Date, w: { from: Date | null; to: Date | null }) => (!w.from || at >= w.from) && (!w.to || at <= w.to);

// ---------------------------------------------------------------------------------------------
// Timeline

const STRATEGY_LABEL: Record<string, string> = {
  canary: 'Canary',
  blue_green: 'Blue-green release',
  shadow: 'Shadow release',
  split: 'Split release',
  immediate: 'Release',
  ab: 'A/B experiment',
};

const VERDICT_HEAD: Record<string, string> = {
  pass: 'Analysis passed',
  marginal: 'Analysis marginal',
  fail: 'Analysis failed',
  inconclusive: 'Analysis inconclusive',
};
const VERDICT_SEVERITY: Record<string, TimelineSeverity> = { pass: 'info', marginal: 'warning', fail: 'critical', inconclusive: 'info' };

const ALERT_KIND_LABEL: Record<string, string> = { drift: 'Drift', slo_breach: 'SLO breach', analysis_failed: 'Failed analysis' };

const severityOf = (s: string | null | undefined): TimelineSeverity | undefined => (s === 'warning' || s === 'critical' || s === 'info' ? s : undefined);

/** Weight by 0-based step: the plan when given, corrected by what start/advance events recorded. */
function weightsByStep(input: IncidentInput): Map<number, number> {
  const map = new Map<number, number>();
  (input.release?.weights ?? []).forEach((w, i) => map.set(i, w));
  for (const e of input.auditEvents ?? []) {
    if (e.action !== 'release.start' && e.action !== 'release.advance') continue;
    const step = numberField(e.after, 'step');
    const weight = numberField(e.after, 'weight');
    if (step !== null && weight !== null) map.set(step, weight);
  }
  return map;
}

type Draft = Omit<TimelineEntry, 'at' | 'kind'>;

function entry(at: Date, kind: TimelineKind, d: Draft): TimelineEntry {
  const out: TimelineEntry = { at, kind, title: d.title };
  if (d.detail) out.detail = d.detail;
  if (d.actor) out.actor = d.actor;
  if (d.actorType) out.actorType = d.actorType;
  if (d.severity) out.severity = d.severity;
  return out;
}

const ALERT_LIFECYCLE = ['alert.open', 'alert.acknowledge', 'alert.resolve'] as const;

function auditEntry(e: IncidentAuditEvent, strategy: string | null | undefined, alertTitle: (id: string | undefined) => string | null): TimelineEntry {
  const actor = e.actorName;
  const actorType = actorTypeOf(e.actorType);
  const reason = text(e.reason);
  const weight = numberField(e.after, 'weight');
  const step = numberField(e.after, 'step');
  const at = e.occurredAt;
  const by = { actor, actorType };
  switch (e.action) {
    case 'release.start': {
      const label = STRATEGY_LABEL[strategy ?? ''] ?? 'Release';
      return entry(at, 'release', { ...by, title: weight === null ? `${label} started` : `${label} started at ${weight} %`, detail: reason ?? undefined, severity: 'info' });
    }
    case 'release.advance':
      if (stringField(e.after, 'state') === 'promoted') return entry(at, 'release', { ...by, title: 'Promoted to 100 %', detail: reason ?? undefined, severity: 'info' });
      return entry(at, 'release', {
        ...by,
        title: weight === null ? 'Advanced to the next step' : `Advanced to ${weight} %${step === null ? '' : ` (step ${step + 1})`}`,
        detail: reason ?? undefined,
        severity: 'info',
      });
    case 'release.promote':
      return entry(at, 'release', { ...by, title: 'Promoted to 100 %', detail: reason ?? undefined, severity: 'info' });
    case 'release.resume':
      return entry(at, 'release', { ...by, title: `Resumed${weight === null ? '' : ` at ${weight} %`} by ${actor}`, detail: reason ?? undefined, severity: 'info' });
    case 'release.request':
      return entry(at, 'release', { ...by, title: `Requested by ${actor}`, detail: reason ?? undefined, severity: 'info' });
    case 'release.approve':
      return entry(at, 'release', { ...by, title: `Approved by ${actor}`, detail: reason ?? undefined, severity: 'info' });
    case 'release.reject':
      return entry(at, 'release', { ...by, title: `Rejected by ${actor}`, detail: reason ?? undefined, severity: 'info' });
    case 'release.pause':
      return entry(at, 'action', { ...by, title: `Paused${weight === null ? '' : ` at ${weight} %`} by ${actor}${reason ? `: ${reason}` : ''}`, severity: 'warning' });
    case 'release.abort':
      return entry(at, 'action', { ...by, title: `Aborted by ${actor}${reason ? `: ${reason}` : ''}`, severity: 'warning' });
    case 'release.rollback':
    case 'release.rollback_to_last_good': {
      const from = numberField(e.before, 'weight');
      const version = stringField(e.before, 'version');
      const detail =
        e.action === 'release.rollback'
          ? from === null
            ? 'All traffic back to the baseline'
            : `All traffic back to the baseline from ${from} %`
          : `Rolled back to the last good version${version ? ` from ${version}` : ''}`;
      return entry(at, 'action', { ...by, title: `Rolled back by ${actor}${reason ? `: ${reason}` : ''}`, detail, severity: 'critical' });
    }
    case 'alert.open': {
      const title = alertTitle(e.targetId);
      return entry(at, 'alert', { ...by, title: `Alert opened${title ? `: ${title}` : ''}`, detail: reason ?? undefined, severity: severityOf(stringField(e.after, 'severity')) ?? 'warning' });
    }
    case 'alert.escalate': {
      const title = alertTitle(e.targetId);
      const to = severityOf(stringField(e.after, 'to')) ?? 'critical';
      return entry(at, 'alert', { ...by, title: `Alert escalated to ${to}${title ? `: ${title}` : ''}`, detail: reason ?? undefined, severity: to });
    }
    case 'alert.acknowledge':
      return entry(at, 'alert', { ...by, title: `Alert acknowledged by ${actor}`, detail: [alertTitle(e.targetId), reason].filter(Boolean).join(' · ') || undefined, severity: 'info' });
    case 'alert.resolve':
      return entry(at, 'alert', { ...by, title: `Alert resolved by ${actor}`, detail: [alertTitle(e.targetId), reason].filter(Boolean).join(' · ') || undefined, severity: 'info' });
    case 'alert.comment': {
      const comment = stringField(e.after, 'comment') ?? reason;
      return entry(at, 'action', { ...by, title: `Comment by ${actor}${comment ? `: ${comment}` : ''}`, detail: alertTitle(e.targetId) ?? undefined, severity: 'info' });
    }
    case 'incident.open': {
      const title = stringField(e.after, 'title');
      return entry(at, 'action', { ...by, title: `Incident opened${title ? `: ${title}` : ''}`, severity: 'info' });
    }
    default:
      return entry(at, 'action', { ...by, title: `${e.action} by ${actor}`, detail: reason ?? undefined, severity: 'info' });
  }
}

function analysisEntry(run: IncidentAnalysisRun, weights: Map<number, number>): TimelineEntry {
  const head = VERDICT_HEAD[run.verdict] ?? `Analysis ${run.verdict}`;
  // The judge writes "Fail: clause; clause; …": the verdict is in the head already.
  const body = (run.summary ?? '').replace(/^(Pass|Marginal|Fail|Inconclusive):\s*/, '').trim();
  const clauses = body === '' ? [] : body.split('; ');
  const weight = weights.get(run.step);
  const where = `step ${run.step + 1}${weight === undefined ? '' : ` (${weight} %)`}`;
  const title = clauses.length > 0 ? `${head}: ${clauses[0]}` : `${head} at ${where}`;
  const interval = `${where[0]!.toUpperCase()}${where.slice(1)}, interval ${clockTime(run.intervalStart)} – ${clockTime(run.intervalEnd)}`;
  const detail = [interval, ...(run.score === null || run.score === undefined ? [] : [`score ${run.score}`]), ...clauses.slice(1)].join(' · ');
  return entry(run.intervalEnd, 'analysis', { title, detail, severity: VERDICT_SEVERITY[run.verdict] ?? 'info' });
}

const VARIANT_RANK = (v: string) => (v === 'canary' ? 0 : v === 'baseline' ? 1 : 2);

function metricEntries(points: readonly IncidentMetricPoint[]): TimelineEntry[] {
  const byTime = new Map<number, IncidentMetricPoint[]>();
  for (const p of points) {
    const at = valid(p.at);
    if (!at) continue;
    const list = byTime.get(at.getTime()) ?? [];
    list.push(p);
    byTime.set(at.getTime(), list);
  }
  return [...byTime.entries()].map(([ms, list]) => {
    const parts = [...list]
      .sort((a, b) => VARIANT_RANK(a.variant) - VARIANT_RANK(b.variant) || (VARIANT_RANK(a.variant) === 2 ? a.variant.localeCompare(b.variant) : 0))
      .map((p) => {
        const numbers = [
          p.errorRatePercent !== null && Number.isFinite(p.errorRatePercent) ? `${formatRate(p.errorRatePercent)} errors` : null,
          p.p99Ms !== null && Number.isFinite(p.p99Ms) ? `p99 ${Math.round(p.p99Ms)} ms` : null,
        ].filter((x): x is string => x !== null);
        return `${p.variant} ${numbers.length > 0 ? numbers.join(', ') : 'no data'}`;
      });
    return entry(new Date(ms), 'metric', { title: parts.join(' · ') });
  });
}

/**
 * The incident's timeline, oldest first, clipped to incidentWindow (see there).
 *
 * Sources:
 * - audit events → release / action / alert entries with human titles ("Canary started at 10 %",
 *   "Advanced to 25 % (step 2)", "Rolled back by system:controller: <reason>", "Comment by …");
 * - if no release.start event is given, the release's startedAt stands in for it;
 * - analysis runs → one entry at intervalEnd: "Analysis failed: <first clause of the summary>",
 *   the step, interval, score and further clauses in detail; fail → critical, marginal → warning;
 * - alerts → "Alert opened: <title>", "Alert acknowledged by <who>", "Alert resolved by <who>". An
 *   alert row and its audit events (alert.open / acknowledge / resolve with targetId = the alert's
 *   id) tell the same thing once: the row gives the times and the title, the audit event the actor
 *   type and the severity at opening (the row holds the current one). Audit events about alerts
 *   not handed in are shown on their own; escalations and comments always come from audit events;
 * - metric points → one entry per time with every variant ("canary 2.1 % errors, p99 340 ms ·
 *   baseline 1.0 % errors, p99 180 ms"), canary first, then baseline, then others by name.
 * Entries whose time is missing or invalid are left out. Ties: TIMELINE_KIND_ORDER, then input order.
 */
export function buildTimeline(input: IncidentInput, options: IncidentWindowOptions = {}): TimelineEntry[] {
  const window = incidentWindow(input, options);
  const audit = (input.auditEvents ?? []).filter((e) => valid(e.occurredAt));
  const alerts = (input.alerts ?? []).filter((a) => valid(a.openedAt));
  const alertById = new Map(alerts.map((a) => [a.id, a]));
  const alertTitle = (id: string | undefined) => (id === undefined ? null : (alertById.get(id)?.title ?? null));
  const weights = weightsByStep(input);
  const entries: TimelineEntry[] = [];

  const release = input.release;
  const startedAt = valid(release?.startedAt);
  if (startedAt && !audit.some((e) => e.action === 'release.start')) {
    const label = STRATEGY_LABEL[release?.strategy ?? ''] ?? 'Release';
    const w = weights.get(0);
    entries.push(entry(startedAt, 'release', { title: w === undefined ? `${label} started` : `${label} started at ${w} %`, severity: 'info' }));
  }

  // Alert lifecycle audit events of the alerts handed in: folded into the row's entries.
  const lifecycle = (alertId: string, action: (typeof ALERT_LIFECYCLE)[number]) => audit.find((e) => e.targetId === alertId && e.action === action);
  const folded = new Set<IncidentAuditEvent>();
  for (const a of alerts) {
    // Folded only when the row tells that part itself; otherwise the audit event shows it.
    const rowHas = { 'alert.open': true, 'alert.acknowledge': valid(a.acknowledgedAt) !== null, 'alert.resolve': valid(a.resolvedAt) !== null };
    for (const action of ALERT_LIFECYCLE) {
      const e = lifecycle(a.id, action);
      if (e && rowHas[action]) folded.add(e);
    }
  }

  for (const e of audit) if (!folded.has(e)) entries.push(auditEntry(e, release?.strategy, alertTitle));

  for (const run of input.analysisRuns ?? []) if (valid(run.intervalEnd) && valid(run.intervalStart)) entries.push(analysisEntry(run, weights));

  for (const a of alerts) {
    const kindLabel = ALERT_KIND_LABEL[a.kind] ?? a.kind;
    const opened = lifecycle(a.id, 'alert.open');
    entries.push(
      entry(a.openedAt, 'alert', {
        title: `Alert opened: ${a.title}`,
        detail: kindLabel,
        actor: opened?.actorName,
        actorType: actorTypeOf(opened?.actorType),
        severity: severityOf(stringField(opened?.after, 'severity')) ?? severityOf(a.severity) ?? 'warning',
      }),
    );
    const ackAt = valid(a.acknowledgedAt);
    if (ackAt) {
      const ack = lifecycle(a.id, 'alert.acknowledge');
      const who = text(a.acknowledgedBy) ?? ack?.actorName ?? null;
      entries.push(
        entry(ackAt, 'alert', {
          title: who ? `Alert acknowledged by ${who}` : 'Alert acknowledged',
          detail: [a.title, text(ack?.reason)].filter(Boolean).join(' · '),
          actor: who ?? undefined,
          actorType: actorTypeOf(ack?.actorType),
          severity: 'info',
        }),
      );
    }
    const resolvedAt = valid(a.resolvedAt);
    if (resolvedAt) {
      const res = lifecycle(a.id, 'alert.resolve');
      const who = text(a.resolvedBy) ?? res?.actorName ?? null;
      entries.push(
        entry(resolvedAt, 'alert', {
          title: who ? `Alert resolved by ${who}` : 'Alert resolved',
          detail: [a.title, text(res?.reason)].filter(Boolean).join(' · '),
          actor: who ?? undefined,
          actorType: actorTypeOf(res?.actorType),
          severity: 'info',
        }),
      );
    }
  }

  entries.push(...metricEntries(input.metrics ?? []));

  const rank = (k: TimelineKind) => TIMELINE_KIND_ORDER.indexOf(k);
  return entries
    .map((e, seq) => ({ e, seq }))
    .filter(({ e }) => inWindow(e.at, window))
    .sort((a, b) => a.e.at.getTime() - b.e.at.getTime() || rank(a.e.kind) - rank(b.e.kind) || a.seq - b.seq)
    .map(({ e }) => e);
}

// ---------------------------------------------------------------------------------------------
// Durations

export type IncidentDurations = {
  onsetAt: Date | null;
  detectedAt: Date | null;
  rolledBackAt: Date | null;
  /** detectedAt − onsetAt */
  timeToDetectSeconds: number | null;
  /** rolledBackAt − detectedAt */
  timeToRollBackSeconds: number | null;
  /** rolledBackAt − onsetAt */
  totalSeconds: number | null;
  /** Where onsetAt comes from: the failing analysis, or the release start for lack of one. */
  onsetFrom: 'analysis' | 'release_start' | null;
  /** Which signal came first: a failed analysis verdict, an alert, or the rollback itself. */
  detectedBy: 'analysis' | 'alert' | 'rollback' | null;
};

const seconds = (from: Date | null, to: Date | null): number | null =>
  from && to ? Math.max(0, (to.getTime() - from.getTime()) / MS) : null;

/**
 * Definitions:
 * - rolledBackAt: the first release.rollback (or release.rollback_to_last_good) audit event.
 * - The failing analyses: runs with verdict 'fail' whose interval began before the rollback (one
 *   that began after it judged traffic the candidate no longer had). The step where it failed is
 *   the step of the latest of them (by intervalEnd); failures at earlier steps were tolerated
 *   (the release advanced past them) and are not this incident.
 * - onsetAt: the intervalStart of the first failing run at that step; with no failing analysis
 *   (a human noticed and rolled back by hand), the release start — the earliest the candidate can
 *   have done harm.
 * - detectedAt: the earliest of the first failing run's intervalEnd at that step (its verdict
 *   time), the first alert opened at or after the release start (an alert older than the release
 *   cannot be about it), and the rollback itself (a human who rolled back without any signal
 *   detected the problem then).
 * - timeToDetect = detected − onset; timeToRollBack = rolledBack − detected; total = rolledBack −
 *   onset. Seconds, fractions kept (audit times have milliseconds). So a manual rollback without
 *   any signal has timeToRollBack 0 and timeToDetect = total = rollback − release start.
 * Null-safe: a duration whose end is unknown is null, never NaN. Never negative: a negative
 * difference is clamped to 0. It arises from clock skew between the controller that writes the
 * analysis intervals and the server that stamps audit events and alerts, or from an alert that
 * fired before the analysis interval that failed began (the signal was there first: detection
 * cannot precede the onset we know, so it is taken as immediate).
 */
export function incidentDurations(input: IncidentInput): IncidentDurations {
  const rollback = rollbackEvent(input);
  const rolledBackAt = rollback ? rollback.occurredAt : null;
  const startedAt = valid(input.release?.startedAt);

  const failing = (input.analysisRuns ?? []).filter(
    (r) => r.verdict === 'fail' && valid(r.intervalStart) && valid(r.intervalEnd) && (!rolledBackAt || r.intervalStart < rolledBackAt),
  );
  let onsetAt: Date | null = null;
  let firstFailVerdictAt: Date | null = null;
  let onsetFrom: IncidentDurations['onsetFrom'] = null;
  if (failing.length > 0) {
    const latest = failing.reduce((a, b) => (b.intervalEnd > a.intervalEnd ? b : a));
    const atStep = failing.filter((r) => r.step === latest.step);
    const first = atStep.reduce((a, b) => (b.intervalStart < a.intervalStart ? b : a));
    onsetAt = first.intervalStart;
    firstFailVerdictAt = atStep.reduce((min, r) => (r.intervalEnd < min ? r.intervalEnd : min), first.intervalEnd);
    onsetFrom = 'analysis';
  } else if (startedAt) {
    onsetAt = startedAt;
    onsetFrom = 'release_start';
  }

  const firstAlertAt = (input.alerts ?? [])
    .map((a) => valid(a.openedAt))
    .filter((d): d is Date => d !== null && (!startedAt || d >= startedAt))
    .reduce<Date | null>((min, d) => (!min || d < min ? d : min), null);

  // Earliest wins; on a tie the analysis, then the alert, is named (the signal, not the response).
  const candidates: [Date | null, NonNullable<IncidentDurations['detectedBy']>][] = [
    [firstFailVerdictAt, 'analysis'],
    [firstAlertAt, 'alert'],
    [rolledBackAt, 'rollback'],
  ];
  let detectedAt: Date | null = null;
  let detectedBy: IncidentDurations['detectedBy'] = null;
  for (const [at, by] of candidates) {
    if (at && (!detectedAt || at < detectedAt)) {
      detectedAt = at;
      detectedBy = by;
    }
  }

  return {
    onsetAt,
    detectedAt,
    rolledBackAt,
    timeToDetectSeconds: seconds(onsetAt, detectedAt),
    timeToRollBackSeconds: seconds(detectedAt, rolledBackAt),
    totalSeconds: seconds(onsetAt, rolledBackAt),
    onsetFrom,
    detectedBy,
  };
}

// ---------------------------------------------------------------------------------------------
// Responders

export type Responder = {
  actor: string;
  actorType: ActorType | null;
  firstActionAt: Date;
  /** What they did first, and everything they did (distinct, in order): 'rolled back', 'acknowledged', … */
  firstAction: string;
  actions: string[];
};

/** Audit actions that count as responding to the incident, with the verb shown. */
export const RESPONSE_ACTIONS: Readonly<Record<string, string>> = {
  'release.pause': 'paused',
  'release.resume': 'resumed',
  'release.rollback': 'rolled back',
  'release.rollback_to_last_good': 'rolled back',
  'release.abort': 'aborted',
  'alert.acknowledge': 'acknowledged',
  'alert.comment': 'commented',
  'alert.resolve': 'resolved',
  'incident.comment': 'commented',
};

/**
 * Who was on call and acted: the distinct actors (people, API keys, the system) of the
 * RESPONSE_ACTIONS inside incidentWindow, and those named on the alert rows as having acknowledged
 * or resolved (for when the matching audit event is not handed in). Not responses: routine plan
 * steps (start, advance), the incident.open that every rollback writes, and a system actor's
 * alert.resolve (the alert recovering on its own: an audit event with actorType system, or a row
 * whose resolvedBy is a system name, "system:…"). The system rolling back IS a response.
 * Identity is the actor's name (alert rows carry only the name); actorType comes from the first
 * audit event that names it, else null. Sorted by first action, then name.
 */
export function responders(input: IncidentInput, options: IncidentWindowOptions = {}): Responder[] {
  const window = incidentWindow(input, options);
  type Act = { actor: string; actorType: ActorType | null; at: Date; verb: string; seq: number };
  const acts: Act[] = [];
  let seq = 0;
  const audit = (input.auditEvents ?? []).filter((e) => valid(e.occurredAt));
  for (const e of audit) {
    const verb = RESPONSE_ACTIONS[e.action];
    if (!verb || text(e.actorName) === null) continue;
    const type = actorTypeOf(e.actorType) ?? null;
    if (e.action === 'alert.resolve' && type === 'system') continue;
    acts.push({ actor: e.actorName.trim(), actorType: type, at: e.occurredAt, verb, seq: seq++ });
  }
  for (const a of input.alerts ?? []) {
    const ackAt = valid(a.acknowledgedAt);
    const ackBy = text(a.acknowledgedBy);
    if (ackAt && ackBy) acts.push({ actor: ackBy, actorType: null, at: ackAt, verb: 'acknowledged', seq: seq++ });
    const resAt = valid(a.resolvedAt);
    const resBy = text(a.resolvedBy);
    const auto = audit.some((e) => e.targetId === a.id && e.action === 'alert.resolve' && actorTypeOf(e.actorType) === 'system');
    if (resAt && resBy && !auto && !resBy.startsWith('system:')) acts.push({ actor: resBy, actorType: null, at: resAt, verb: 'resolved', seq: seq++ });
  }

  const byActor = new Map<string, Responder>();
  for (const act of acts.filter((x) => inWindow(x.at, window)).sort((x, y) => x.at.getTime() - y.at.getTime() || x.seq - y.seq)) {
    const known = byActor.get(act.actor);
    if (!known) {
      byActor.set(act.actor, { actor: act.actor, actorType: act.actorType, firstActionAt: act.at, firstAction: act.verb, actions: [act.verb] });
      continue;
    }
    if (known.actorType === null && act.actorType !== null) known.actorType = act.actorType;
    if (!known.actions.includes(act.verb)) known.actions.push(act.verb);
  }
  return [...byActor.values()].sort((a, b) => a.firstActionAt.getTime() - b.firstActionAt.getTime() || a.actor.localeCompare(b.actor));
}

// ---------------------------------------------------------------------------------------------
// Across incidents

export type MeanTimeToRollBack = {
  /** Incidents with a known time to roll back: the ones the mean and median are over. */
  count: number;
  /** Incidents whose time to roll back is unknown (null, NaN or negative): left out, not zero. */
  unknown: number;
  meanSeconds: number | null;
  medianSeconds: number | null;
};

/** Mean and median time to roll back over the known values; both null when none is known. Median of an even count: the mean of the middle two. */
export function meanTimeToRollBack(incidents: readonly { timeToRollBackSeconds: number | null }[]): MeanTimeToRollBack {
  const known = incidents
    .map((i) => i.timeToRollBackSeconds)
    .filter((s): s is number => s !== null && Number.isFinite(s) && s >= 0)
    .sort((a, b) => a - b);
  const count = known.length;
  if (count === 0) return { count, unknown: incidents.length, meanSeconds: null, medianSeconds: null };
  const mean = known.reduce((sum, s) => sum + s, 0) / count;
  const mid = Math.floor(count / 2);
  const median = count % 2 === 1 ? known[mid]! : (known[mid - 1]! + known[mid]!) / 2;
  return { count, unknown: incidents.length - count, meanSeconds: mean, medianSeconds: median };
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/**
 * "42 s", "3 min 05 s", "1 h 12 min", "2 d 03 h": two units at most, the smaller one padded,
 * rounded to the smaller unit shown (59.6 s → "1 min 00 s", 3599.5 s → "1 h 00 min").
 * null / undefined → "—" (unknown). Negative or not finite → RangeError (durations here are
 * never negative; a NaN is a bug to surface, not to print).
 */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '—';
  if (!Number.isFinite(seconds) || seconds < 0) throw new RangeError(`A duration must be a finite number of seconds ≥ 0, got ${seconds}`);
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${pad2(s % 60)} s`;
  const minutes = Math.round(s / 60);
  if (minutes < 24 * 60) return `${Math.floor(minutes / 60)} h ${pad2(minutes % 60)} min`;
  const hours = Math.round(s / 3600);
  return `${Math.floor(hours / 24)} d ${pad2(hours % 24)} h`;
}

// ---------------------------------------------------------------------------------------------
// Postmortem

export const POSTMORTEM_MAX_CHARS = 20_000;
export const MAX_ACTION_ITEMS = 50;

/** Postgres text refuses NUL; refusing it here names the field instead of failing the write. */
const noNul = (s: string) => !s.includes('\u0000');

export const ActionItem = z.object({
  text: z.string().trim().min(1, 'Describe the action item').max(500, 'At most 500 characters').refine(noNul, 'Contains a NUL character'),
  owner: z.string().trim().max(200, 'At most 200 characters').optional(),
  done: z.boolean().default(false),
});
export type ActionItem = z.infer<typeof ActionItem>;

/**
 * What the postmortem editor saves: the whole document each time (markdown, not trimmed: its
 * whitespace is the author's), the owner, the full list of action items (required, so a save
 * that forgot them cannot wipe them; send [] to clear), and `close` to close the incident.
 * Lengths count UTF-16 code units (String.length). An owner of only spaces reads as no owner.
 */
export const PostmortemInput = z.object({
  incidentId: z.uuid('Not an incident id'),
  postmortem: z
    .string()
    .max(POSTMORTEM_MAX_CHARS, `At most ${POSTMORTEM_MAX_CHARS.toLocaleString('en-US')} characters`)
    .refine(noNul, 'Contains a NUL character'),
  owner: z
    .string()
    .trim()
    .max(200, 'At most 200 characters')
    .optional()
    .transform((v) => (v === '' ? undefined : v)),
  actionItems: z.array(ActionItem).max(MAX_ACTION_ITEMS, `At most ${MAX_ACTION_ITEMS} action items`),
  close: z.boolean().optional(),
});
export type PostmortemInput = z.infer<typeof PostmortemInput>;
