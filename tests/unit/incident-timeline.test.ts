import { describe, expect, it } from 'vitest';
import {
  PostmortemInput,
  buildTimeline,
  formatDuration,
  incidentDurations,
  incidentWindow,
  meanTimeToRollBack,
  responders,
  type IncidentAlert,
  type IncidentAnalysisRun,
  type IncidentAuditEvent,
  type IncidentInput,
  type TimelineEntry,
} from '@/lib/domain/incident-timeline';

const t = (hms: string) => new Date(`2025-03-04T${hms}Z`);
const ALERT_ID = '6f1c1d7e-2b1a-4c53-9a55-0d6a4f1e9b21';
const INCIDENT_ID = '0b6e3c52-93a4-4c4b-8d0e-5e2f4d1c7a10';

const ev = (at: string, action: string, actorName: string, actorType: string, extra: Partial<IncidentAuditEvent> = {}): IncidentAuditEvent => ({
  occurredAt: t(at),
  actorType,
  actorName,
  action,
  targetType: action.split('.')[0]!,
  targetId: action.startsWith('alert.') ? ALERT_ID : 'rel-1',
  before: null,
  after: null,
  reason: null,
  ...extra,
});
const run = (step: number, start: string, end: string, verdict: string, summary = ''): IncidentAnalysisRun => ({
  step,
  intervalStart: t(start),
  intervalEnd: t(end),
  verdict,
  summary,
  score: null,
});

const FAIL_SUMMARY = 'Fail: error rate 2.1 % vs 1.0 %, +110 %; p99 latency passed: 340 ms vs 310 ms';

/**
 * The controller's rollback: canary at 10 % from 10:00, a passing interval, advance to 25 % at
 * 10:05, two failing intervals at 25 % (10:05–10:10, 10:10–10:15), rollback by the controller at
 * 10:15:02 with the incident opened in the same instant, the analysis alert opened at 10:15:04,
 * acknowledged by the on-call engineer at 10:21:30, who comments at 10:25.
 */
function controllerRollback(): IncidentInput {
  const alert: IncidentAlert = {
    id: ALERT_ID,
    kind: 'analysis_failed',
    severity: 'critical',
    title: 'Canary analysis failed for fraud-scorer 2.4.0',
    openedAt: t('10:15:04'),
    acknowledgedAt: t('10:21:30'),
    acknowledgedBy: 'Omar On-call',
    resolvedAt: t('11:30:00'),
    resolvedBy: 'system:controller',
  };
  return {
    release: { startedAt: t('10:00:00'), finishedAt: t('10:15:02'), state: 'rolled_back', strategy: 'canary' },
    auditEvents: [
      ev('09:50:00', 'release.approve', 'Ana Approver', 'user'),
      ev('10:00:00', 'release.start', 'Dana Deployer', 'user', { after: { state: 'running', step: 0, weight: 10 } }),
      ev('10:05:00', 'release.advance', 'system:controller', 'system', { after: { state: 'running', step: 1, weight: 25 } }),
      ev('10:15:02', 'release.rollback', 'system:controller', 'system', {
        before: { state: 'running', step: 1, weight: 25 },
        after: { state: 'rolled_back', step: 1, weight: 0 },
        reason: '2 failed intervals in a row (limit 2)',
      }),
      ev('10:15:02', 'incident.open', 'system:controller', 'system', {
        targetType: 'incident',
        targetId: INCIDENT_ID,
        after: { title: 'Rollback of fraud-scorer 2.4.0 in production' },
      }),
      ev('10:15:04', 'alert.open', 'system:controller', 'system', { after: { severity: 'critical' }, reason: 'critical: Canary analysis failed' }),
      ev('10:21:30', 'alert.acknowledge', 'Omar On-call', 'user', { reason: 'Looking at the error spike' }),
      ev('10:25:00', 'alert.comment', 'Omar On-call', 'user', { after: { comment: 'Bad feature join in 2.4.0; baseline is healthy' } }),
      ev('11:30:00', 'alert.resolve', 'system:controller', 'system', { reason: 'Recovered: 3 healthy evaluations in a row' }),
    ],
    analysisRuns: [
      run(0, '10:00:00', '10:05:00', 'pass', 'Pass: score 100, 2 of 2 judged metrics passed'),
      run(1, '10:05:00', '10:10:00', 'fail', FAIL_SUMMARY),
      run(1, '10:10:00', '10:15:00', 'fail', FAIL_SUMMARY),
    ],
    alerts: [alert],
    metrics: [
      { at: t('10:12:00'), variant: 'baseline', errorRatePercent: 1.0, p99Ms: 310 },
      { at: t('10:12:00'), variant: 'canary', errorRatePercent: 2.1, p99Ms: 340.4 },
      { at: t('10:50:00'), variant: 'canary', errorRatePercent: 0, p99Ms: null },
    ],
  };
}

const brief = (entries: TimelineEntry[]) => entries.map((e) => [e.at.toISOString().slice(11, 19), e.kind, e.title]);

describe('buildTimeline', () => {
  it('tells a controller rollback in order, from the release start to 30 min after the rollback', () => {
    expect(brief(buildTimeline(controllerRollback()))).toEqual([
      ['10:00:00', 'release', 'Canary started at 10 %'],
      ['10:05:00', 'analysis', 'Analysis passed: score 100, 2 of 2 judged metrics passed'],
      ['10:05:00', 'release', 'Advanced to 25 % (step 2)'],
      ['10:10:00', 'analysis', 'Analysis failed: error rate 2.1 % vs 1.0 %, +110 %'],
      ['10:12:00', 'metric', 'canary 2.1 % errors, p99 340 ms · baseline 1.0 % errors, p99 310 ms'],
      ['10:15:00', 'analysis', 'Analysis failed: error rate 2.1 % vs 1.0 %, +110 %'],
      ['10:15:02', 'action', 'Rolled back by system:controller: 2 failed intervals in a row (limit 2)'],
      ['10:15:02', 'action', 'Incident opened: Rollback of fraud-scorer 2.4.0 in production'],
      ['10:15:04', 'alert', 'Alert opened: Canary analysis failed for fraud-scorer 2.4.0'],
      ['10:21:30', 'alert', 'Alert acknowledged by Omar On-call'],
      ['10:25:00', 'action', 'Comment by Omar On-call: Bad feature join in 2.4.0; baseline is healthy'],
    ]);
  });

  it('gives each entry its actor, severity and detail', () => {
    const entries = buildTimeline(controllerRollback());
    const byTitle = (prefix: string) => entries.find((e) => e.title.startsWith(prefix));
    expect(byTitle('Rolled back')).toEqual({
      at: t('10:15:02'),
      kind: 'action',
      title: 'Rolled back by system:controller: 2 failed intervals in a row (limit 2)',
      detail: 'All traffic back to the baseline from 25 %',
      actor: 'system:controller',
      actorType: 'system',
      severity: 'critical',
    });
    // The alert row and its audit events are one story: the row's time and title, the event's actor type.
    expect(byTitle('Alert opened')).toMatchObject({ actor: 'system:controller', actorType: 'system', severity: 'critical', detail: 'Failed analysis' });
    expect(byTitle('Alert acknowledged')).toEqual({
      at: t('10:21:30'),
      kind: 'alert',
      title: 'Alert acknowledged by Omar On-call',
      detail: 'Canary analysis failed for fraud-scorer 2.4.0 · Looking at the error spike',
      actor: 'Omar On-call',
      actorType: 'user',
      severity: 'info',
    });
    expect(entries.filter((e) => e.title.startsWith('Alert acknowledged'))).toHaveLength(1);
    expect(byTitle('Analysis failed')).toMatchObject({
      severity: 'critical',
      detail: 'Step 2 (25 %), interval 10:05:00 UTC – 10:10:00 UTC · p99 latency passed: 340 ms vs 310 ms',
    });
    expect(byTitle('Analysis passed')).toMatchObject({ severity: 'info', detail: 'Step 1 (10 %), interval 10:00:00 UTC – 10:05:00 UTC' });
    expect(byTitle('Canary started')).toMatchObject({ actor: 'Dana Deployer', actorType: 'user' });
  });

  it('orders equal times metric, analysis, alert, release, action, then as handed in', () => {
    const at = '10:15:02';
    const input: IncidentInput = {
      release: { startedAt: t('10:00:00'), state: 'rolled_back', strategy: 'canary' },
      auditEvents: [
        ev(at, 'release.rollback', 'Priya SRE', 'user', { reason: 'errors' }),
        ev(at, 'incident.open', 'Priya SRE', 'user', { after: { title: 'Rollback' } }),
        ev(at, 'release.advance', 'system:controller', 'system', { after: { step: 2, weight: 50 } }),
      ],
      analysisRuns: [run(1, '10:10:02', at, 'fail')],
      alerts: [{ id: 'other', kind: 'slo_breach', severity: 'warning', title: 'Error budget burn', openedAt: t(at) }],
      metrics: [{ at: t(at), variant: 'canary', errorRatePercent: 0.45, p99Ms: null }],
    };
    expect(brief(buildTimeline(input)).filter(([time]) => time === at)).toEqual([
      [at, 'metric', 'canary 0.45 % errors'],
      [at, 'analysis', 'Analysis failed at step 2'],
      [at, 'alert', 'Alert opened: Error budget burn'],
      [at, 'release', 'Advanced to 50 % (step 3)'],
      [at, 'action', 'Rolled back by Priya SRE: errors'],
      [at, 'action', 'Incident opened: Rollback'],
    ]);
  });

  it('clips to [release start, rollback + 30 min], both ends included; the margin is configurable', () => {
    const input = controllerRollback();
    input.auditEvents = [
      ...input.auditEvents!,
      ev('10:45:02', 'alert.comment', 'Omar On-call', 'user', { after: { comment: 'at the edge' } }),
      ev('10:45:03', 'alert.comment', 'Omar On-call', 'user', { after: { comment: 'just past it' } }),
    ];
    expect(incidentWindow(input)).toEqual({ from: t('10:00:00'), to: t('10:45:02') });
    const titles = buildTimeline(input).map((e) => e.title);
    expect(titles).toContain('Comment by Omar On-call: at the edge');
    expect(titles).not.toContain('Comment by Omar On-call: just past it');
    expect(titles).not.toContain('Approved by Ana Approver'); // 09:50, before the start
    expect(titles.some((x) => x.startsWith('Alert resolved'))).toBe(false); // 11:30

    const wider = buildTimeline(input, { afterRollbackMinutes: 90 });
    expect(brief(wider).slice(-3)).toEqual([
      ['10:45:03', 'action', 'Comment by Omar On-call: just past it'],
      ['10:50:00', 'metric', 'canary 0 % errors'],
      ['11:30:00', 'alert', 'Alert resolved by system:controller'],
    ]);
    expect(() => buildTimeline(input, { afterRollbackMinutes: -1 })).toThrow(RangeError);
  });

  it('without a start or a rollback, does not clip; a missing release.start event is stood in for by startedAt', () => {
    expect(incidentWindow({ release: null })).toEqual({ from: null, to: null });
    const entries = buildTimeline({
      release: { startedAt: t('10:00:00'), state: 'running', strategy: 'blue_green', weights: [0, 100] },
      analysisRuns: [run(0, '09:00:00', '09:05:00', 'inconclusive', 'Inconclusive: no metric could be judged')],
    });
    expect(brief(entries)).toEqual([['10:00:00', 'release', 'Blue-green release started at 0 %']]);
    expect(brief(buildTimeline({ release: null, analysisRuns: [run(0, '09:00:00', '09:05:00', 'marginal')] }))).toEqual([
      ['09:05:00', 'analysis', 'Analysis marginal at step 1'],
    ]);
  });

  it('shows audit events about alerts that were not handed in, and drops entries without a valid time', () => {
    const entries = buildTimeline({
      release: null,
      auditEvents: [
        ev('10:00:00', 'alert.acknowledge', 'ChatOps bot', 'api_key'),
        { ...ev('10:01:00', 'release.pause', 'x', 'user'), occurredAt: new Date(Number.NaN) },
        ev('10:02:00', 'model.archive', 'Eve', 'user', { reason: 'cleanup' }),
      ],
    });
    expect(entries).toEqual([
      { at: t('10:00:00'), kind: 'alert', title: 'Alert acknowledged by ChatOps bot', actor: 'ChatOps bot', actorType: 'api_key', severity: 'info' },
      { at: t('10:02:00'), kind: 'action', title: 'model.archive by Eve', detail: 'cleanup', actor: 'Eve', actorType: 'user', severity: 'info' },
    ]);
  });
});

describe('incidentDurations', () => {
  it('controller rollback: onset at the first failing interval at 25 %, detected by its verdict', () => {
    expect(incidentDurations(controllerRollback())).toEqual({
      onsetAt: t('10:05:00'),
      detectedAt: t('10:10:00'),
      rolledBackAt: t('10:15:02'),
      timeToDetectSeconds: 300,
      timeToRollBackSeconds: 302,
      totalSeconds: 602,
      onsetFrom: 'analysis',
      detectedBy: 'analysis',
    });
  });

  it('manual rollback without any signal: onset is the release start, detection is the rollback', () => {
    const input: IncidentInput = {
      release: { startedAt: t('10:00:00'), state: 'rolled_back', strategy: 'canary' },
      auditEvents: [
        ev('10:00:00', 'release.start', 'Dana Deployer', 'user', { after: { step: 0, weight: 5 } }),
        ev('10:40:00.250', 'release.rollback', 'Priya SRE', 'user', { reason: 'Customers report wrong prices' }),
      ],
      analysisRuns: [run(0, '10:00:00', '10:05:00', 'pass'), run(0, '10:05:00', '10:10:00', 'marginal')],
    };
    expect(incidentDurations(input)).toEqual({
      onsetAt: t('10:00:00'),
      detectedAt: t('10:40:00.250'),
      rolledBackAt: t('10:40:00.250'),
      timeToDetectSeconds: 2400.25,
      timeToRollBackSeconds: 0,
      totalSeconds: 2400.25,
      onsetFrom: 'release_start',
      detectedBy: 'rollback',
    });
  });

  it('an alert before the failing verdict detects it; failures at an earlier, tolerated step are not the onset', () => {
    const input = controllerRollback();
    input.analysisRuns = [run(0, '09:58:00', '10:00:00', 'fail'), ...input.analysisRuns!];
    input.alerts = [{ ...input.alerts![0]!, openedAt: t('10:08:00') }];
    expect(incidentDurations(input)).toMatchObject({
      onsetAt: t('10:05:00'),
      detectedAt: t('10:08:00'),
      detectedBy: 'alert',
      timeToDetectSeconds: 180,
      timeToRollBackSeconds: 422,
      totalSeconds: 602,
    });
  });

  it('clamps negative differences to 0 (an alert older than the failing interval, clock skew)', () => {
    const input = controllerRollback();
    input.alerts = [{ ...input.alerts![0]!, openedAt: t('10:03:00') }];
    expect(incidentDurations(input)).toMatchObject({ onsetAt: t('10:05:00'), detectedAt: t('10:03:00'), timeToDetectSeconds: 0, timeToRollBackSeconds: 722, totalSeconds: 602 });

    // The release start stamped 2 s after the rollback by a skewed clock.
    const skewed = incidentDurations({ release: { startedAt: t('10:40:02'), state: 'rolled_back' }, auditEvents: [ev('10:40:00', 'release.rollback', 'Priya SRE', 'user')] });
    expect(skewed).toMatchObject({ timeToDetectSeconds: 0, timeToRollBackSeconds: 0, totalSeconds: 0 });
  });

  it('ignores alerts older than the release and failing intervals that began after the rollback', () => {
    const input = controllerRollback();
    input.alerts = [{ ...input.alerts![0]!, openedAt: t('09:00:00') }];
    input.analysisRuns = [...input.analysisRuns!, run(1, '10:15:02', '10:20:00', 'fail')];
    expect(incidentDurations(input)).toMatchObject({ onsetAt: t('10:05:00'), detectedAt: t('10:10:00'), detectedBy: 'analysis' });
  });

  it('missing pieces give nulls, never NaN', () => {
    const none = {
      onsetAt: null,
      detectedAt: null,
      rolledBackAt: null,
      timeToDetectSeconds: null,
      timeToRollBackSeconds: null,
      totalSeconds: null,
      onsetFrom: null,
      detectedBy: null,
    };
    expect(incidentDurations({ release: null })).toEqual(none);
    expect(incidentDurations({ release: { startedAt: new Date('not a date'), state: 'rolled_back' }, auditEvents: [], analysisRuns: [], alerts: [] })).toEqual(none);
    // Started, no rollback event and no signal: only the onset is known.
    expect(incidentDurations({ release: { startedAt: t('10:00:00'), state: 'running' } })).toEqual({ ...none, onsetAt: t('10:00:00'), onsetFrom: 'release_start' });
    // A rollback but no start and no failing analysis: detected at the rollback, onset unknown.
    expect(incidentDurations({ release: { startedAt: null, state: 'rolled_back' }, auditEvents: [ev('10:40:00', 'release.rollback', 'Priya SRE', 'user')] })).toEqual({
      ...none,
      detectedAt: t('10:40:00'),
      rolledBackAt: t('10:40:00'),
      timeToRollBackSeconds: 0,
      detectedBy: 'rollback',
    });
  });

  it('counts a rollback to the last good version as the rollback', () => {
    const d = incidentDurations({
      release: { startedAt: t('10:00:00'), state: 'promoted' },
      auditEvents: [ev('10:00:00', 'release.rollback_to_last_good', 'Priya SRE', 'user', { before: { version: '2.4.0' } })],
    });
    expect(d).toMatchObject({ rolledBackAt: t('10:00:00'), totalSeconds: 0 });
  });
});

describe('responders', () => {
  it('names who acted during the incident, with their first action', () => {
    expect(responders(controllerRollback())).toEqual([
      { actor: 'system:controller', actorType: 'system', firstActionAt: t('10:15:02'), firstAction: 'rolled back', actions: ['rolled back'] },
      { actor: 'Omar On-call', actorType: 'user', firstActionAt: t('10:21:30'), firstAction: 'acknowledged', actions: ['acknowledged', 'commented'] },
    ]);
  });

  it('counts pauses by API keys and acknowledgements known only from the alert row; not auto-resolution or routine steps', () => {
    const input: IncidentInput = {
      release: { startedAt: t('10:00:00'), state: 'rolled_back' },
      auditEvents: [
        ev('10:00:00', 'release.start', 'Dana Deployer', 'user'),
        ev('10:06:00', 'release.pause', 'chatops-bot', 'api_key'),
        ev('10:07:00', 'release.resume', 'Priya SRE', 'user'),
        ev('10:09:00', 'release.rollback', 'Priya SRE', 'user', { reason: 'errors again' }),
        ev('10:09:00', 'incident.open', 'Priya SRE', 'user'),
        { ...ev('10:30:00', 'alert.resolve', 'system:controller', 'system'), targetId: 'a2' },
        ev('12:00:00', 'alert.comment', 'Late Larry', 'user'),
      ],
      alerts: [
        { id: 'a1', kind: 'drift', severity: 'warning', title: 'Drift on amount', openedAt: t('10:05:00'), acknowledgedAt: t('10:05:30'), acknowledgedBy: 'Omar On-call' },
        { id: 'a2', kind: 'slo_breach', severity: 'critical', title: 'SLO burn', openedAt: t('10:05:00'), resolvedAt: t('10:30:00'), resolvedBy: 'system:controller' },
      ],
    };
    expect(responders(input)).toEqual([
      { actor: 'Omar On-call', actorType: null, firstActionAt: t('10:05:30'), firstAction: 'acknowledged', actions: ['acknowledged'] },
      { actor: 'chatops-bot', actorType: 'api_key', firstActionAt: t('10:06:00'), firstAction: 'paused', actions: ['paused'] },
      { actor: 'Priya SRE', actorType: 'user', firstActionAt: t('10:07:00'), firstAction: 'resumed', actions: ['resumed', 'rolled back'] },
    ]);
    expect(responders({ release: null })).toEqual([]);
  });
});

describe('meanTimeToRollBack', () => {
  it('averages the known values and says how many were unknown', () => {
    expect(meanTimeToRollBack([{ timeToRollBackSeconds: 300 }, { timeToRollBackSeconds: null }, { timeToRollBackSeconds: 60 }, { timeToRollBackSeconds: 900 }, { timeToRollBackSeconds: Number.NaN }])).toEqual({
      count: 3,
      unknown: 2,
      meanSeconds: 420,
      medianSeconds: 300,
    });
  });

  it('takes the middle two for an even count, and gives nulls for nothing known', () => {
    expect(meanTimeToRollBack([0, 120, 30, 60].map((s) => ({ timeToRollBackSeconds: s })))).toEqual({ count: 4, unknown: 0, meanSeconds: 52.5, medianSeconds: 45 });
    expect(meanTimeToRollBack([])).toEqual({ count: 0, unknown: 0, meanSeconds: null, medianSeconds: null });
    expect(meanTimeToRollBack([{ timeToRollBackSeconds: null }, { timeToRollBackSeconds: -5 }])).toEqual({ count: 0, unknown: 2, meanSeconds: null, medianSeconds: null });
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0 s'],
    [0.4, '0 s'],
    [42, '42 s'],
    [59.4, '59 s'],
    [59.6, '1 min 00 s'],
    [60, '1 min 00 s'],
    [185, '3 min 05 s'],
    [602, '10 min 02 s'],
    [3599, '59 min 59 s'],
    [3599.5, '1 h 00 min'],
    [3600, '1 h 00 min'],
    [4320, '1 h 12 min'],
    [4329, '1 h 12 min'],
    [4350, '1 h 13 min'],
    [86_369, '23 h 59 min'],
    [86_370, '1 d 00 h'],
    [183_600, '2 d 03 h'],
    [null, '—'],
    [undefined, '—'],
  ])('%s s → %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])('refuses %s', (seconds) => {
    expect(() => formatDuration(seconds)).toThrow(RangeError);
  });
});

describe('PostmortemInput', () => {
  const valid = { incidentId: INCIDENT_ID, postmortem: '## What happened\n\nA bad feature join.\n', actionItems: [] };
  const pathsOf = (value: unknown) => PostmortemInput.safeParse(value).error?.issues.map((i) => [i.path.join('.'), i.message]);

  it('parses a postmortem: action items default to not done, owners trimmed, blank owner reads as none', () => {
    expect(
      PostmortemInput.parse({
        ...valid,
        owner: '  Omar On-call ',
        actionItems: [{ text: ' Add a schema check on the feature join ', owner: 'Dana' }, { text: 'Alert on join nulls', done: true }],
        close: true,
      }),
    ).toEqual({
      ...valid,
      owner: 'Omar On-call',
      actionItems: [
        { text: 'Add a schema check on the feature join', owner: 'Dana', done: false },
        { text: 'Alert on join nulls', done: true },
      ],
      close: true,
    });
    expect(PostmortemInput.parse({ ...valid, owner: '   ' }).owner).toBeUndefined();
    expect(PostmortemInput.parse({ ...valid, postmortem: '' }).postmortem).toBe('');
    expect(PostmortemInput.safeParse({ ...valid, postmortem: 'x'.repeat(20_000), actionItems: Array.from({ length: 50 }, () => ({ text: 'x' })) }).success).toBe(true);
  });

  it.each<[string, Record<string, unknown>, [string, string][]]>([
    ['a bad incident id', { incidentId: 'INC-1' }, [['incidentId', 'Not an incident id']]],
    ['a postmortem over 20,000 characters', { postmortem: 'x'.repeat(20_001) }, [['postmortem', 'At most 20,000 characters']]],
    ['a NUL in the postmortem', { postmortem: 'a\u0000b' }, [['postmortem', 'Contains a NUL character']]],
    ['an owner over 200 characters', { owner: 'o'.repeat(201) }, [['owner', 'At most 200 characters']]],
    ['51 action items', { actionItems: Array.from({ length: 51 }, () => ({ text: 'x' })) }, [['actionItems', 'At most 50 action items']]],
    ['a blank action item', { actionItems: [{ text: 'ok' }, { text: '   ' }] }, [['actionItems.1.text', 'Describe the action item']]],
    ['an action item over 500 characters', { actionItems: [{ text: 'x'.repeat(501) }] }, [['actionItems.0.text', 'At most 500 characters']]],
    ['an action item owner over 200 characters', { actionItems: [{ text: 'x', owner: 'o'.repeat(201) }] }, [['actionItems.0.owner', 'At most 200 characters']]],
  ])('refuses %s', (_, change, expected) => {
    expect(pathsOf({ ...valid, ...change })).toEqual(expected);
  });

  it('refuses missing fields and wrong types by path', () => {
    expect(pathsOf({ incidentId: INCIDENT_ID })?.map(([path]) => path)).toEqual(['postmortem', 'actionItems']);
    expect(pathsOf({ ...valid, actionItems: [{ text: 'x', done: 'yes' }], close: 'true' })?.map(([path]) => path)).toEqual(['actionItems.0.done', 'close']);
  });
});
