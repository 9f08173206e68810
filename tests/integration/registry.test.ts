import { createHash } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { environments, gateChecks, models, modelVersions, releases } from '@/db/schema';
import type { Database } from '@/db';
import type { DbHandle } from '@/db/client';
import { parseConfig } from '@/lib/config/parse-config';
import { DEFAULT_STAGING_POLICY, type CheckKind } from '@/lib/domain/gate-policy';
import type { Actor } from '@/lib/domain/roles';
import { getVersion } from '@/lib/queries/versions';
import { bootstrap } from '@/lib/server/bootstrap';
import { createEnvironment, createModel, registerVersion, reportCheck, updatePolicy, updateVersion } from '@/lib/services';
import type { AppError } from '@/lib/services/errors';
import { openTestDatabase, targets } from '../support/test-db';
import { auditCount, auditOf, failure, rowCounts, setUp, signedInKey, signedInUser, unique } from '../support/fixtures';

const sha256 = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`;

// Every field spelled out (nullable and required included), so the stored contract equals it.
const SCORE = { name: 'score', type: 'float', nullable: false, required: true, range: { min: 0, max: 1 } };
const CONTRACT = {
  inputs: [
    { name: 'amount', type: 'float', nullable: false, required: true },
    { name: 'country', type: 'string', nullable: false, required: true },
  ],
  outputs: [SCORE],
};
const WITHOUT_COUNTRY = { ...CONTRACT, inputs: [CONTRACT.inputs[0]!] };
const SCORE_AS_STRING = { ...CONTRACT, outputs: [{ ...SCORE, type: 'string' }] };
const WITH_OPTIONAL_CHANNEL = { ...CONTRACT, inputs: [...CONTRACT.inputs, { name: 'channel', type: 'string', nullable: true, required: false }] };

/** A registration as CI would post it. */
const registration = (model: string, version: string, extra: Record<string, unknown> = {}) => ({
  model,
  version,
  artifactUri: `s3://ml-artifacts/${model}/${version}/model.tar.gz`,
  artifactDigest: sha256(`${model}@${version}`),
  contract: CONTRACT,
  ...extra,
});

const fieldNames = (error: AppError) => Object.keys((error.details?.fields ?? {}) as object).sort();

describe.each(targets)('the registry on $name', ({ name }) => {
  let handle: DbHandle;
  let db: Database;
  let lead: Actor;
  let admin: Actor;
  beforeAll(async () => {
    handle = await openTestDatabase(name);
    db = handle.db;
    await bootstrap(db, parseConfig({}));
    lead = await signedInUser(db, ['ml_lead']);
    admin = await signedInUser(db, ['admin']);
  });
  afterAll(async () => handle?.close());

  const asLead = () => ({ actor: lead, db });
  const newModel = async () => (await createModel(setUp(db), { name: `churn-${unique()}`, ownerTeam: 'growth-ml' })).name;
  const storedVersion = async (model: string, version: string) => {
    const [row] = await db
      .select({ version: modelVersions })
      .from(modelVersions)
      .innerJoin(models, eq(models.id, modelVersions.modelId))
      .where(and(eq(models.name, model), eq(modelVersions.version, version)));
    return row?.version;
  };

  describe('registerVersion', () => {
    it('stores the version as posted, registered by the actor, and audits it', async () => {
      const model = await newModel();
      const at = new Date('2025-04-01T12:00:00.123Z');
      const posted = registration(model, '1.0.0', {
        gitCommit: 'ABCDEF1234567',
        dataSnapshotId: 'snap-2025-03-30',
        dataSnapshotHash: sha256('data'),
        hyperparameters: { depth: 6, learning_rate: 0.1, early_stopping: true, note: null },
        offlineMetrics: { auc: 0.91, primary_metric: 0.91 },
        tags: ['candidate', 'team:growth', 'candidate'],
      });
      const result = await registerVersion({ actor: lead, db, now: at, request: { via: 'ui', requestId: 'req-register' } }, posted);
      expect(result.created).toBe(true);

      const row = await storedVersion(model, '1.0.0');
      expect(row).toMatchObject({
        id: result.version.id,
        version: '1.0.0',
        major: 1,
        minor: 0,
        patch: 0,
        prerelease: null,
        artifactUri: posted.artifactUri,
        artifactDigest: posted.artifactDigest,
        gitCommit: 'abcdef1234567',
        dataSnapshotId: 'snap-2025-03-30',
        dataSnapshotHash: sha256('data'),
        hyperparameters: { depth: 6, learning_rate: 0.1, early_stopping: true, note: null },
        offlineMetrics: { auc: 0.91, primary_metric: 0.91 },
        parentVersionId: null,
        contractChange: null,
        tags: ['candidate', 'team:growth'],
        status: 'registered',
        registeredBy: lead.name,
      });
      expect(row!.contract).toEqual(CONTRACT);
      expect(row!.payloadDigest).toMatch(/^[0-9a-f]{64}$/);
      expect(row!.registeredAt.toISOString()).toBe(at.toISOString());

      const events = await auditOf(db, result.version.id);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        action: 'version.register',
        actorType: 'user',
        actorId: lead.id,
        actorName: lead.name,
        targetType: 'model_version',
        before: null,
        after: { model, version: '1.0.0', artifactDigest: posted.artifactDigest, payloadDigest: row!.payloadDigest, contractChange: null },
        metadata: { via: 'ui', requestId: 'req-register' },
      });
    });

    it('returns the stored version for an identical re-post, whoever sends it, and changes nothing', async () => {
      const model = await newModel();
      const first = await registerVersion(asLead(), registration(model, '1.0.0', { tags: ['a', 'b'] }));
      const ci = await signedInKey(db, ['ml_lead'], ['registry']);
      const before = await rowCounts(db);

      // The same payload with its keys in another order, re-sent by CI after a timeout.
      const reordered = Object.fromEntries(Object.entries(registration(model, '1.0.0', { tags: ['a', 'b'] })).reverse());
      const again = await registerVersion({ actor: ci, db }, reordered);

      expect(again.created).toBe(false);
      expect(again.version).toMatchObject({ id: first.version.id, registeredBy: lead.name });
      expect(await rowCounts(db)).toEqual(before);
      expect(await auditOf(db, first.version.id)).toHaveLength(1);
    });

    it('refuses the same version with different content as a conflict and stores nothing', async () => {
      const model = await newModel();
      const original = registration(model, '1.0.0');
      await registerVersion(asLead(), original);
      const before = await rowCounts(db);

      const error = await failure(registerVersion(asLead(), { ...original, artifactDigest: sha256('retrained') }));
      expect(error).toMatchObject({ code: 'conflict', message: expect.stringContaining('immutable'), details: { fields: { version: ['Already registered'] } } });
      expect(await rowCounts(db)).toEqual(before);
      expect((await storedVersion(model, '1.0.0'))!.artifactDigest).toBe(original.artifactDigest);
    });

    it.each([
      { change: 'an input removed with a MINOR bump', next: '1.1.0', contract: WITHOUT_COUNTRY, field: 'contract.inputs.country', needs: 'MAJOR' },
      { change: 'an output retyped with a PATCH bump', next: '1.0.1', contract: SCORE_AS_STRING, field: 'contract.outputs.score', needs: 'MAJOR' },
      { change: 'an optional input added with a PATCH bump', next: '1.0.1', contract: WITH_OPTIONAL_CHANNEL, field: 'contract.inputs.channel', needs: 'MINOR' },
    ])('refuses $change, naming the version and the contract field, and stores nothing', async ({ next, contract, field, needs }) => {
      const model = await newModel();
      await registerVersion(asLead(), registration(model, '1.0.0'));
      const before = await rowCounts(db);

      const error = await failure(registerVersion(asLead(), registration(model, next, { contract })));
      expect(error).toMatchObject({ code: 'invalid', message: expect.stringContaining(`needs a ${needs} bump`) });
      expect(fieldNames(error)).toEqual([field, 'version']);
      expect(await rowCounts(db)).toEqual(before);
      expect(await storedVersion(model, next)).toBeUndefined();
    });

    it('accepts a breaking change announced by a MAJOR bump and records the change against its predecessor', async () => {
      const model = await newModel();
      const first = await registerVersion(asLead(), registration(model, '1.0.0'));
      const second = await registerVersion(asLead(), registration(model, '2.0.0', { contract: WITHOUT_COUNTRY, parentVersion: '1.0.0' }));

      expect(second.created).toBe(true);
      expect(second.version).toMatchObject({
        parentVersionId: first.version.id,
        contractChange: {
          against: '1.0.0',
          level: 'breaking',
          changes: [{ side: 'input', field: 'country', kind: 'removed', level: 'breaking', detail: 'input "country" was removed' }],
        },
      });
      const [event] = await auditOf(db, second.version.id);
      expect(event!.after).toMatchObject({ version: '2.0.0', contractChange: { against: '1.0.0', level: 'breaking' } });
    });

    it('judges a pre-release and its release against the previous core version, not against each other', async () => {
      const model = await newModel();
      await registerVersion(asLead(), registration(model, '1.0.0'));

      const rc1 = await registerVersion(asLead(), registration(model, '1.1.0-rc.1', { contract: WITH_OPTIONAL_CHANNEL }));
      expect(rc1.version).toMatchObject({ major: 1, minor: 1, patch: 0, prerelease: 'rc.1', contractChange: { against: '1.0.0', level: 'compatible' } });

      // A pre-release is no loophole: a breaking change still needs a MAJOR bump over 1.0.0.
      const rc2 = await failure(registerVersion(asLead(), registration(model, '1.1.0-rc.2', { contract: WITHOUT_COUNTRY })));
      expect(rc2).toMatchObject({ code: 'invalid' });
      expect(fieldNames(rc2)).toEqual(['contract.inputs.country', 'version']);

      const release = await registerVersion(asLead(), registration(model, '1.1.0', { contract: WITH_OPTIONAL_CHANNEL }));
      expect(release.version).toMatchObject({ prerelease: null, contractChange: { against: '1.0.0', level: 'compatible' } });

      const patch = await registerVersion(asLead(), registration(model, '1.1.1', { contract: WITH_OPTIONAL_CHANNEL }));
      expect(patch.version.contractChange).toEqual({ against: '1.1.0', level: 'none', changes: [] });
    });

    it('refuses an unknown model as not found and stores nothing', async () => {
      const model = `missing-${unique()}`;
      const before = await rowCounts(db);
      const error = await failure(registerVersion(asLead(), registration(model, '1.0.0')));
      expect(error).toMatchObject({ code: 'not_found', message: expect.stringContaining(model) });
      expect(await rowCounts(db)).toEqual(before);
    });

    it('refuses a parent version that is not registered and stores nothing', async () => {
      const model = await newModel();
      await registerVersion(asLead(), registration(model, '1.0.0'));
      const before = await rowCounts(db);
      const error = await failure(registerVersion(asLead(), registration(model, '1.0.1', { parentVersion: '0.9.0' })));
      expect(error).toMatchObject({ code: 'invalid', details: { fields: { parentVersion: [expect.stringContaining('0.9.0')] } } });
      expect(fieldNames(error)).toEqual(['parentVersion']);
      expect(await rowCounts(db)).toEqual(before);
    });

    it.each([
      { label: 'a two-part version', field: 'version', change: { version: '1.0' } },
      { label: 'a v-prefixed version', field: 'version', change: { version: 'v1.0.0' } },
      { label: 'a version with a leading zero', field: 'version', change: { version: '1.02.0' } },
      { label: 'a short digest', field: 'artifactDigest', change: { artifactDigest: 'sha256:abc123' } },
      { label: 'an md5 digest', field: 'artifactDigest', change: { artifactDigest: `md5:${'a'.repeat(32)}` } },
      { label: 'a NaN metric', field: 'offlineMetrics.auc', change: { offlineMetrics: { auc: Number.NaN } } },
      { label: 'an infinite metric', field: 'offlineMetrics.auc', change: { offlineMetrics: { auc: Number.POSITIVE_INFINITY } } },
      { label: 'a tag over 64 characters', field: 'tags.1', change: { tags: ['ok', 'x'.repeat(65)] } },
      { label: 'more than 50 tags', field: 'tags', change: { tags: Array.from({ length: 51 }, (_, i) => `tag-${i}`) } },
      { label: 'a tag with a space', field: 'tags.0', change: { tags: ['not ok'] } },
      { label: 'an artifact URI without a scheme', field: 'artifactUri', change: { artifactUri: 'bucket/model.tar.gz' } },
    ])('refuses $label with a field error on $field and stores nothing', async ({ field, change }) => {
      const model = await newModel();
      const before = await rowCounts(db);
      const error = await failure(registerVersion(asLead(), registration(model, '1.0.0', change)));
      expect(error).toMatchObject({ code: 'invalid', details: { fields: { [field]: [expect.any(String)] } } });
      expect(fieldNames(error)).toEqual([field]);
      expect(await rowCounts(db)).toEqual(before);
    });

    it('reports every invalid field at once', async () => {
      const model = await newModel();
      const error = await failure(
        registerVersion(asLead(), registration(model, 'one', { artifactDigest: 'nope', offlineMetrics: { auc: Number.NaN }, tags: ['y'.repeat(65)] })),
      );
      expect(fieldNames(error)).toEqual(['artifactDigest', 'offlineMetrics.auc', 'tags.0', 'version']);
    });

    it('lets one of several concurrent identical registrations create the version; the others get it back', async () => {
      const model = await newModel();
      const before = await rowCounts(db);
      const results = await Promise.all(Array.from({ length: 4 }, () => registerVersion(asLead(), registration(model, '1.0.0'))));
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(new Set(results.map((r) => r.version.id)).size).toBe(1);
      const after = await rowCounts(db);
      expect(after.modelVersions).toBe(before.modelVersions + 1);
      expect(after.auditEvents).toBe(before.auditEvents + 1);
    });

    it('refuses an API key without the registry scope and stores nothing', async () => {
      const model = await newModel();
      const reader = await signedInKey(db, ['ml_lead'], ['read']);
      const before = await rowCounts(db);
      await expect(registerVersion({ actor: reader, db }, registration(model, '1.0.0'))).rejects.toMatchObject({ code: 'forbidden', message: expect.stringContaining('"registry" scope') });
      expect(await rowCounts(db)).toEqual(before);
    });

    // Regression: versions differing only in build metadata have the same precedence (semver §10);
    // 1.0.0+build.2 used to be registered beside 1.0.0+build.1 and judged against 0.x.
    it('refuses a breaking contract change hidden behind different build metadata', async () => {
      const model = await newModel();
      await registerVersion(asLead(), registration(model, '1.0.0+build.1'));
      const before = await rowCounts(db);
      const error = await failure(registerVersion(asLead(), registration(model, '1.0.0+build.2', { contract: WITHOUT_COUNTRY })));
      expect(error.code).toMatch(/^(conflict|invalid)$/);
      expect(await rowCounts(db)).toEqual(before);
    });

    it('judges a version registered out of order against its successor too', async () => {
      const model = await newModel();
      await registerVersion(asLead(), registration(model, '1.0.0'));
      await registerVersion(asLead(), registration(model, '1.2.0'));
      const before = await rowCounts(db);
      // 1.1.0 adding an input that 1.2.0 lacks would make 1.1.0 → 1.2.0 remove it in a MINOR step.
      const extra = WITH_OPTIONAL_CHANNEL;
      const error = await failure(registerVersion(asLead(), registration(model, '1.1.0', { contract: extra })));
      expect(error.code).toBe('invalid');
      expect(error.message).toContain('Against the already registered 1.2.0');
      expect(await rowCounts(db)).toEqual(before);
    });
  });

  describe('reportCheck', () => {
    it('creates, updates, then ignores an identical repeat, auditing each change with before and after', async () => {
      const model = await newModel();
      const { version } = await registerVersion(asLead(), registration(model, '1.0.0'));
      const link = 'https://ci.example/runs/42';

      const created = await reportCheck(asLead(), { model, version: '1.0.0', kind: 'unit', status: 'running', link });
      expect(created).toMatchObject({ outcome: 'created', check: { versionId: version.id, kind: 'unit', status: 'running', link, summary: null, reportedBy: lead.name } });

      const passed = { model, version: '1.0.0', kind: 'unit', status: 'passed', link, measurements: { tests: 412, failures: 0 }, summary: '412 tests passed' };
      const updated = await reportCheck(asLead(), passed);
      expect(updated).toMatchObject({ outcome: 'updated', check: { id: created.check.id, status: 'passed', measurements: { tests: 412, failures: 0 } } });

      const before = await rowCounts(db);
      const repeated = await reportCheck(asLead(), passed);
      expect(repeated).toMatchObject({ outcome: 'unchanged', check: { id: created.check.id, status: 'passed' } });
      expect(await rowCounts(db)).toEqual(before);

      const rows = await db.select().from(gateChecks).where(eq(gateChecks.versionId, version.id));
      expect(rows).toHaveLength(1);
      const events = (await auditOf(db, version.id)).filter((e) => e.action === 'check.report');
      expect(events).toHaveLength(2);
      expect(events[0]).toMatchObject({
        actorId: lead.id,
        targetType: 'model_version',
        before: null,
        after: { model, version: '1.0.0', kind: 'unit', status: 'running', measurements: {}, link, summary: null },
      });
      expect(events[1]).toMatchObject({
        before: { kind: 'unit', status: 'running', measurements: {}, link, summary: null },
        after: { model, version: '1.0.0', kind: 'unit', status: 'passed', measurements: { tests: 412, failures: 0 }, link, summary: '412 tests passed' },
      });
    });

    it('refuses an unknown version as not found and stores nothing', async () => {
      const model = await newModel();
      await registerVersion(asLead(), registration(model, '1.0.0'));
      const before = await rowCounts(db);
      await expect(reportCheck(asLead(), { model, version: '1.0.1', kind: 'unit', status: 'passed' })).rejects.toMatchObject({ code: 'not_found' });
      expect(await rowCounts(db)).toEqual(before);
    });

    it('refuses an unknown kind, an unknown status and a NaN measurement with field errors', async () => {
      const model = await newModel();
      await registerVersion(asLead(), registration(model, '1.0.0'));
      const before = await rowCounts(db);
      const error = await failure(reportCheck(asLead(), { model, version: '1.0.0', kind: 'lint', status: 'green', measurements: { latency: Number.NaN } }));
      expect(error).toMatchObject({ code: 'invalid' });
      expect(fieldNames(error)).toEqual(['kind', 'measurements.latency', 'status']);
      expect(await rowCounts(db)).toEqual(before);
    });
  });

  describe('updateVersion', () => {
    it('changes tags and status, audits before and after, and leaves every other field as registered', async () => {
      const model = await newModel();
      await registerVersion(asLead(), registration(model, '1.0.0', { tags: ['candidate'] }));
      const registered = (await storedVersion(model, '1.0.0'))!;

      // Only tags and status exist in the input: the artifact fields are stripped, not applied.
      const updated = await updateVersion(asLead(), {
        model,
        version: '1.0.0',
        tags: ['approved', 'q3', 'approved'],
        status: 'archived',
        artifactUri: 's3://elsewhere/other.tar.gz',
        artifactDigest: sha256('other'),
      });
      expect(updated).toMatchObject({ tags: ['approved', 'q3'], status: 'archived' });

      const stored = (await storedVersion(model, '1.0.0'))!;
      expect(stored.artifactUri).toBe(registered.artifactUri);
      expect({ ...stored, tags: registered.tags, status: registered.status }).toEqual(registered);

      const events = (await auditOf(db, registered.id)).filter((e) => e.action === 'version.update');
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        actorId: lead.id,
        before: { tags: ['candidate'], status: 'registered' },
        after: { model, version: '1.0.0', tags: ['approved', 'q3'], status: 'archived' },
      });
    });

    it('treats a repeat as a no-op and refuses a request with nothing to change', async () => {
      const model = await newModel();
      await registerVersion(asLead(), registration(model, '1.0.0', { tags: ['candidate'] }));
      const registered = (await storedVersion(model, '1.0.0'))!;
      const before = await rowCounts(db);

      await updateVersion(asLead(), { model, version: '1.0.0', tags: ['candidate'], status: 'registered' });
      expect(await rowCounts(db)).toEqual(before);

      const error = await failure(updateVersion(asLead(), { model, version: '1.0.0', artifactUri: 's3://elsewhere/other.tar.gz' }));
      expect(error).toMatchObject({ code: 'invalid', details: { fields: { _: [expect.any(String)] } } });
      expect(await rowCounts(db)).toEqual(before);
      expect(await storedVersion(model, '1.0.0')).toEqual(registered);
    });

    it('refuses an unknown status with a field error', async () => {
      const model = await newModel();
      await registerVersion(asLead(), registration(model, '1.0.0'));
      const error = await failure(updateVersion(asLead(), { model, version: '1.0.0', status: 'deleted' }));
      expect(fieldNames(error)).toEqual(['status']);
    });
  });

  describe('updatePolicy', () => {
    const newEnvironment = () => createEnvironment(setUp(db), { name: `canary-${unique()}`, rank: 0, policy: DEFAULT_STAGING_POLICY });
    const POLICY = {
      requiredChecks: ['unit', 'smoke', 'data_drift'],
      thresholds: { data_drift: [{ metric: 'psi', threshold: 0.2, greaterIsBetter: false }] },
    };

    it('lets an admin replace a policy: the policy version goes up by one and the change is audited', async () => {
      const env = await newEnvironment();
      const updated = await updatePolicy({ actor: admin, db }, { environment: env.name, policy: POLICY });
      expect(updated).toMatchObject({ id: env.id, policyVersion: 2, requiredChecks: POLICY.requiredChecks, checkThresholds: POLICY.thresholds });

      const events = (await auditOf(db, env.id)).filter((e) => e.action === 'environment.policy.update');
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        actorType: 'user',
        actorId: admin.id,
        targetType: 'environment',
        before: { requiredChecks: ['unit', 'smoke'], thresholds: {}, policyVersion: 1 },
        after: { ...POLICY, policyVersion: 2 },
      });

      // The same policy again changes nothing: no new version, no audit event.
      const audited = await auditCount(db);
      const again = await updatePolicy({ actor: admin, db }, { environment: env.name, policy: POLICY });
      expect(again.policyVersion).toBe(2);
      expect(await auditCount(db)).toBe(audited);
    });

    it('refuses an ML lead and stores nothing', async () => {
      const env = await newEnvironment();
      const before = await rowCounts(db);
      await expect(updatePolicy(asLead(), { environment: env.name, policy: POLICY })).rejects.toMatchObject({ code: 'forbidden', message: expect.stringContaining('Admin') });
      expect(await rowCounts(db)).toEqual(before);
      const [row] = await db.select().from(environments).where(eq(environments.id, env.id));
      expect(row).toMatchObject({ policyVersion: 1, requiredChecks: ['unit', 'smoke'] });
    });

    it.each([
      {
        label: 'a relative change of 200 %',
        field: 'policy.thresholds.quality_regression.0.minRelativeChange',
        policy: { requiredChecks: ['unit'], thresholds: { quality_regression: [{ metric: 'auc', minRelativeChange: 2, greaterIsBetter: true }] } },
      },
      { label: 'an unknown required check kind', field: 'policy.requiredChecks.1', policy: { requiredChecks: ['unit', 'lint'], thresholds: {} } },
      {
        label: 'thresholds for an unknown check kind',
        field: 'policy.thresholds',
        policy: { requiredChecks: ['unit'], thresholds: { lint: [{ metric: 'warnings', threshold: 0, greaterIsBetter: false }] } },
      },
      {
        label: 'a rule without any limit',
        field: 'policy.thresholds.safety.0.threshold',
        policy: { requiredChecks: ['safety'], thresholds: { safety: [{ metric: 'gap', greaterIsBetter: false }] } },
      },
    ])('refuses $label with the field path $field and stores nothing', async ({ field, policy }) => {
      const env = await newEnvironment();
      const before = await rowCounts(db);
      const error = await failure(updatePolicy({ actor: admin, db }, { environment: env.name, policy }));
      expect(error).toMatchObject({ code: 'invalid' });
      expect(fieldNames(error)).toEqual([field]);
      expect(await rowCounts(db)).toEqual(before);
    });

    it('refuses an unknown environment as not found', async () => {
      await expect(updatePolicy({ actor: admin, db }, { environment: `nowhere-${unique()}`, policy: POLICY })).rejects.toMatchObject({ code: 'not_found' });
    });
  });

  describe('deployability', () => {
    type Numbers = { primary: number; p99: number; gap: number };
    const PRODUCTION_CHECKS: CheckKind[] = ['unit', 'smoke', 'contract', 'quality_regression', 'performance', 'safety'];
    const measurementsOf = (kind: CheckKind, n: Numbers): Record<string, number> =>
      kind === 'quality_regression' ? { primary_metric: n.primary } : kind === 'performance' ? { p99_latency_ms: n.p99 } : kind === 'safety' ? { subgroup_gap_points: n.gap } : {};

    /** Registers `version` and reports every production check as passed, except those in `skip`. */
    async function candidate(model: string, version: string, numbers: Numbers, skip: CheckKind[] = []) {
      const { version: row } = await registerVersion(asLead(), registration(model, version));
      for (const kind of PRODUCTION_CHECKS.filter((k) => !skip.includes(k)))
        await reportCheck(asLead(), { model, version, kind, status: 'passed', measurements: measurementsOf(kind, numbers) });
      return row;
    }

    /** What a finished release leaves behind (db/seed/demo.ts seedPromotedRelease): the version is live there. */
    async function promote(modelId: string, versionId: string, environment: string) {
      const [env] = await db.select().from(environments).where(eq(environments.name, environment));
      const finishedAt = new Date(Date.now() - 3_600_000);
      await db.insert(releases).values({
        modelId,
        versionId,
        environmentId: env!.id,
        strategy: 'immediate',
        state: 'promoted',
        currentWeight: 100,
        requestedBy: 'Test Lead',
        reason: 'baseline for the deployability tests',
        startedAt: new Date(finishedAt.getTime() - 600_000),
        finishedAt,
        updatedAt: finishedAt,
      });
    }

    /** A model whose 1.0.0 is live in production with primary_metric 0.92, p99 100 ms and a gap of 1.2 points. */
    async function modelLiveInProduction() {
      const model = await newModel();
      const baseline = await candidate(model, '1.0.0', { primary: 0.92, p99: 100, gap: 1.2 });
      await promote(baseline.modelId, baseline.id, 'production');
      return model;
    }

    const deployabilityIn = async (model: string, version: string, environment: string) =>
      (await getVersion(asLead(), model, version)).deployability.find((d) => d.environment === environment)!;

    it('is deployable to production when every check passed and the numbers hold against the live version', async () => {
      const model = await modelLiveInProduction();
      // Exactly at each limit: −0.5 % of 0.92 is 0.9154, +10 % of 100 ms is 110 ms, the gap limit is 2.
      await candidate(model, '1.1.0', { primary: 0.9154, p99: 110, gap: 2 });

      const production = await deployabilityIn(model, '1.1.0', 'production');
      expect(production).toMatchObject({ deployable: true, unmet: [], isLive: false, live: { version: '1.0.0' } });
      expect(production.verdicts.map((v) => [v.kind, v.metric, v.candidate, v.baseline, v.passed])).toEqual([
        ['performance', 'p99_latency_ms', 110, 100, true],
        ['quality_regression', 'primary_metric', 0.9154, 0.92, true],
        ['safety', 'subgroup_gap_points', 2, 1.2, true],
      ]);
      expect(await deployabilityIn(model, '1.1.0', 'staging')).toMatchObject({ deployable: true, unmet: [], live: null });
      expect(await deployabilityIn(model, '1.0.0', 'production')).toMatchObject({ isLive: true, deployable: true });
    });

    it.each([
      { label: 'the primary metric drops more than 0.5 %', numbers: { primary: 0.915, p99: 100, gap: 1 }, kind: 'quality_regression', metric: 'primary_metric', reason: 'primary_metric 0.915 is below 0.9154' },
      { label: 'p99 latency grows more than 10 %', numbers: { primary: 0.93, p99: 110.5, gap: 1 }, kind: 'performance', metric: 'p99_latency_ms', reason: 'p99_latency_ms 110.5 is above 110' },
      { label: 'the subgroup gap exceeds 2 points', numbers: { primary: 0.93, p99: 90, gap: 2.01 }, kind: 'safety', metric: 'subgroup_gap_points', reason: 'subgroup_gap_points 2.01 is above 2' },
    ])('is blocked from production, naming the gate, when $label', async ({ numbers, kind, metric, reason }) => {
      const model = await modelLiveInProduction();
      await candidate(model, '1.1.0', numbers);

      const production = await deployabilityIn(model, '1.1.0', 'production');
      expect(production.deployable).toBe(false);
      expect(production.unmet).toEqual([{ kind, metric, reason: expect.stringContaining(`${kind}: ${reason}`) }]);
      // Staging has no thresholds: the same numbers are fine there.
      expect(await deployabilityIn(model, '1.1.0', 'staging')).toMatchObject({ deployable: true });
    });

    it('is blocked while a required check is missing or running, and turns deployable once it passes', async () => {
      const model = await modelLiveInProduction();
      await candidate(model, '1.1.0', { primary: 0.93, p99: 95, gap: 1 }, ['safety']);

      expect(await deployabilityIn(model, '1.1.0', 'production')).toMatchObject({ deployable: false, unmet: [{ kind: 'safety', reason: 'safety: no result reported yet' }] });
      expect(await deployabilityIn(model, '1.1.0', 'staging')).toMatchObject({ deployable: true });

      await reportCheck(asLead(), { model, version: '1.1.0', kind: 'safety', status: 'running' });
      expect(await deployabilityIn(model, '1.1.0', 'production')).toMatchObject({ deployable: false, unmet: [{ kind: 'safety', reason: 'safety: still running' }] });

      await reportCheck(asLead(), { model, version: '1.1.0', kind: 'safety', status: 'passed', measurements: { subgroup_gap_points: 1 } });
      expect(await deployabilityIn(model, '1.1.0', 'production')).toMatchObject({ deployable: true, unmet: [] });
    });

    it('applies only absolute thresholds while nothing is live in production yet', async () => {
      const model = await newModel();
      await candidate(model, '1.0.0', { primary: 0.5, p99: 900, gap: 1 });
      await candidate(model, '1.0.1', { primary: 0.5, p99: 900, gap: 3 });

      expect(await deployabilityIn(model, '1.0.0', 'production')).toMatchObject({ deployable: true, live: null });
      expect(await deployabilityIn(model, '1.0.1', 'production')).toMatchObject({
        deployable: false,
        unmet: [{ kind: 'safety', metric: 'subgroup_gap_points', reason: expect.stringContaining('subgroup_gap_points 3 is above 2') }],
      });
    });

    it('compares the version with the one live in production', async () => {
      const model = await modelLiveInProduction();
      await candidate(model, '1.1.0', { primary: 0.93, p99: 95, gap: 1 });
      const { comparison } = await getVersion(asLead(), model, '1.1.0');
      expect(comparison).toMatchObject({ environment: 'production', baseline: { version: '1.0.0' }, contractDiff: { level: 'none' } });
    });
  });
});
