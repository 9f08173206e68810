import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '@/db/client';
import type { Database } from '@/db';
import type { Actor } from '@/lib/domain/roles';
import { getIncident, listIncidents } from '@/lib/queries/incidents';
import { getReleaseRecord } from '@/lib/queries/release-record';
import { listApprovalHistory } from '@/lib/queries/releases';
import { approveRelease, observeAnalysis, requestRelease, rollbackRelease, startRelease, writePostmortem } from '@/lib/services';
import { recordAnalysis } from '@/lib/services/analysis/record-analysis';
import type { AppError } from '@/lib/services/errors';
import { liveModel } from '../support/experiment-fixtures';
import { auditOf, setUp, signedInUser } from '../support/fixtures';
import { openTestDatabase, targets } from '../support/test-db';

const MINUTE = 60_000;

describe.each(targets)('incidents, release records and approval history on $name', ({ name }) => {
  let handle: DbHandle;
  let db: Database;
  let lead: Actor;
  let reviewer: Actor;
  let oncall: Actor;
  beforeAll(async () => {
    handle = await openTestDatabase(name);
    db = handle.db;
    lead = await signedInUser(db, ['ml_lead']);
    reviewer = await signedInUser(db, ['reviewer']);
    oncall = await signedInUser(db, ['oncall']);
  });
  afterAll(async () => handle?.close());
  const as = (actor: Actor, now?: Date) => ({ actor, db, now });

  /** A canary approved, started, failing its second interval, rolled back by on-call. */
  async function rolledBack() {
    const target = await liveModel(db, { requiredApprovals: 1 });
    const t0 = Date.now() - 30 * MINUTE;
    const release = await requestRelease(as(lead, new Date(t0)), { ...target, version: '1.1.0', strategy: 'canary', plan: [{ weight: 10, analysisRequired: true }, { weight: 100 }] });
    await approveRelease(as(reviewer, new Date(t0 + MINUTE)), { releaseId: release.id, comment: 'Gates green' });
    await startRelease(as(lead, new Date(t0 + 2 * MINUTE)), { releaseId: release.id });
    const interval = (i: number, verdict: 'pass' | 'fail') =>
      recordAnalysis(setUp(db), { releaseId: release.id, step: 0, intervalStart: new Date(t0 + (2 + i) * MINUTE), intervalEnd: new Date(t0 + (3 + i) * MINUTE), verdict, score: verdict === 'pass' ? 100 : 20, metrics: [], summary: verdict === 'pass' ? 'Pass' : 'Fail: error rate 2.4 % vs 1.0 %', evidence: {} });
    await interval(0, 'pass');
    await interval(1, 'fail');
    await observeAnalysis(setUp(db), { releaseId: release.id, verdict: 'fail', at: new Date(t0 + 4 * MINUTE), summary: 'Fail: error rate 2.4 % vs 1.0 %' });
    const { incidentId } = (await rollbackRelease(as(oncall, new Date(t0 + 6 * MINUTE)), { releaseId: release.id, reason: 'error rate doubled' })) as { incidentId: string };
    return { target, release, incidentId, t0 };
  }

  it('an incident has its timeline, time to detect and time to roll back, and who acted', async () => {
    const { incidentId } = await rolledBack();
    const incident = await getIncident(as(lead), incidentId);
    // Onset: the failing interval started at t0+3 min; detected at its end (t0+4); rolled back at t0+6.
    expect(incident.durations).toMatchObject({ timeToDetectSeconds: 60, timeToRollBackSeconds: 120, totalSeconds: 180, onsetFrom: 'analysis', detectedBy: 'analysis' });
    const titles = incident.timeline.map((e) => e.title).join(' | ');
    expect(titles).toMatch(/Analysis failed/);
    expect(titles).toMatch(/Rolled back/);
    expect(incident.responders.map((r) => r.actor)).toContain(oncall.name);
    const { summary } = await listIncidents(as(lead));
    expect(summary.count).toBeGreaterThan(0);
  });

  // The list reads every incident's history in a handful of queries for all of them at once:
  // each must come out as its own page computes it, with no other release's events mixed in.
  it("lists each incident with the durations its own page shows", async () => {
    const second = await rolledBack();
    const { items } = await listIncidents(as(lead));
    const listed = items.find((i) => i.incident.id === second.incidentId);
    expect(listed?.durations).toMatchObject({ timeToRollBackSeconds: 120, detectedBy: 'analysis' });
    expect(items.length).toBeGreaterThan(1);
    for (const item of items) expect(item.durations, item.incident.id).toEqual((await getIncident(as(lead), item.incident.id)).durations);
  });

  it('on-call writes the postmortem; saving the same again changes nothing; bad input names the field', async () => {
    const { incidentId } = await rolledBack();
    const input = { incidentId, postmortem: '## Summary\nCanary doubled the error rate.', owner: 'risk-ml', actionItems: [{ text: 'Add an error-rate gate offline', done: false }], close: true };
    expect(await writePostmortem(as(oncall), input)).toMatchObject({ state: 'closed', postmortemOwner: 'risk-ml' });
    await writePostmortem(as(oncall), input);
    expect((await auditOf(db, incidentId)).map((e) => e.action)).toEqual(['incident.open', 'incident.postmortem']);
    const bad = (await writePostmortem(as(oncall), { ...input, actionItems: [{ text: '' }] }).catch((e: unknown) => e)) as AppError;
    expect(Object.keys((bad.details as { fields: object }).fields)).toEqual(['actionItems.0.text']);
    const viewer = await signedInUser(db, []);
    expect(((await writePostmortem(as(viewer), input).catch((e: unknown) => e)) as AppError).code).toBe('forbidden');
  });

  it('the release record joins version, gates, approvals with evidence, verdicts per step, alerts, incident and audit hashes', async () => {
    const { release, target } = await rolledBack();
    const record = await getReleaseRecord(as(lead), release.id);
    expect(record.release).toMatchObject({ model: target.model, version: '1.1.0', state: 'rolled_back' });
    expect(record.version.lineage.map((l) => l.version)).toEqual([]);
    expect(record.approvals).toEqual([expect.objectContaining({ reviewer: reviewer.name, decision: 'approve', comment: 'Gates green', evidenceDigest: expect.stringMatching(/^[0-9a-f]{64}$/) })]);
    expect(record.plan[0]!.verdicts.map((v) => v.verdict)).toEqual(['pass', 'fail']);
    expect(record.alerts.map((a) => a.kind)).toEqual(['analysis_failed']);
    expect(record.incident).toMatchObject({ rolledBackBy: oncall.name });
    expect(record.audit.map((e) => e.action)).toEqual(['release.request', 'release.approval', 'release.approve', 'release.start', 'release.rollback']);
    expect(record.audit.every((e) => /^[0-9a-f]{64}$/.test(e.hash))).toBe(true);
  });

  it('the approval history lists reviews per environment, newest first', async () => {
    const { target } = await rolledBack();
    const rows = await listApprovalHistory(as(lead), { environment: target.environment });
    expect(rows.map((r) => [r.approval.reviewer, r.approval.decision, r.environment])).toEqual([[reviewer.name, 'approve', target.environment]]);
  });
});
