// First: it points the process-wide database at this suite's own before any app module loads.
import { closeProcessDatabase, openProcessDatabase } from '../support/process-database';
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '@/db';

const loadApp = async () => ({
  versions: await import('@/app/api/v1/models/[name]/versions/route'),
  version: await import('@/app/api/v1/models/[name]/versions/[version]/route'),
  checks: await import('@/app/api/v1/models/[name]/versions/[version]/checks/route'),
  environments: await import('@/app/api/v1/environments/route'),
  policy: await import('@/app/api/v1/environments/[name]/policy/route'),
  db: await import('@/db'),
  config: await import('@/lib/config'),
  bootstrap: await import('@/lib/server/bootstrap'),
  systemActor: await import('@/lib/auth/system-actor'),
  services: await import('@/lib/services'),
  fixtures: await import('../support/fixtures'),
});

type ErrorBody = { error: { code: string; message: string; details: Record<string, unknown> } };
// Response bodies are read loosely: each test asserts the shape it relies on.
type Json = Record<string, any>;

const sha256 = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`;
const CONTRACT = {
  inputs: [
    { name: 'amount', type: 'float', nullable: false, required: true },
    { name: 'country', type: 'string', nullable: false, required: true },
  ],
  outputs: [{ name: 'score', type: 'float', nullable: false, required: true }],
};
const registration = (version: string, extra: Record<string, unknown> = {}) => ({
  version,
  artifactUri: `s3://ml-artifacts/fraud/${version}/model.tar.gz`,
  artifactDigest: sha256(`fraud@${version}`),
  offlineMetrics: { auc: 0.91 },
  contract: CONTRACT,
  ...extra,
});

describe('the registry API', () => {
  let app: Awaited<ReturnType<typeof loadApp>>;
  let db: Database;
  const keys = {} as Record<'admin' | 'lead' | 'leadReadOnly' | 'viewer' | 'revoked', string>;
  let leadKeyName: string;

  beforeAll(async () => {
    await openProcessDatabase();
    app = await loadApp();
    db = await app.db.getDb();

    await app.bootstrap.bootstrap(db, app.config.getConfig());
    const caller = { actor: app.systemActor.systemActor('bootstrap'), db };
    const key = async (roles: ('admin' | 'ml_lead')[], scopes: ('admin' | 'read' | 'registry')[]) =>
      app.services.createApiKey(caller, { name: `key-${app.fixtures.unique()}`, roles, scopes });
    keys.admin = (await key(['admin'], ['admin'])).secret;
    const lead = await key(['ml_lead'], ['read', 'registry']);
    keys.lead = lead.secret;
    leadKeyName = lead.name;
    keys.leadReadOnly = (await key(['ml_lead'], ['read'])).secret;
    keys.viewer = (await key([], ['read'])).secret;
    const revoked = await key(['ml_lead'], ['read', 'registry']);
    await app.services.revokeApiKey(caller, { apiKeyId: revoked.id });
    keys.revoked = revoked.secret;
  });

  afterAll(async () => {
    await closeProcessDatabase();
  });

  // --- requests -----------------------------------------------------------------------------

  type Send = { key?: string; body?: unknown; raw?: BodyInit; contentType?: string; headers?: Record<string, string> };

  function request(method: string, path: string, { key, body, raw, contentType = 'application/json', headers = {} }: Send = {}) {
    const h = new Headers(headers);
    if (key) h.set('authorization', `Bearer ${key}`);
    const payload = raw ?? (body === undefined ? undefined : JSON.stringify(body));
    if (payload !== undefined) h.set('content-type', contentType);
    return new Request(`http://test/api/v1/${path}`, { method, headers: h, body: payload });
  }

  const api = {
    register: (model: string, send: Send) => app.versions.POST(request('POST', `models/${model}/versions`, send), { params: Promise.resolve({ name: model }) }),
    get: (model: string, version: string, send: Send = {}) =>
      app.version.GET(request('GET', `models/${model}/versions/${version}`, send), { params: Promise.resolve({ name: model, version }) }),
    patch: (model: string, version: string, send: Send) =>
      app.version.PATCH(request('PATCH', `models/${model}/versions/${version}`, send), { params: Promise.resolve({ name: model, version }) }),
    check: (model: string, version: string, send: Send) =>
      app.checks.POST(request('POST', `models/${model}/versions/${version}/checks`, send), { params: Promise.resolve({ name: model, version }) }),
    putPolicy: (environment: string, send: Send) =>
      app.policy.PUT(request('PUT', `environments/${environment}/policy`, send), { params: Promise.resolve({ name: environment }) }),
    environments: (send: Send) => app.environments.GET(request('GET', 'environments', send), { params: Promise.resolve({}) }),
  };

  const read = async (response: Response) => ({ status: response.status, body: (await response.json()) as Json });

  /** Asserts the status, the one error shape and that no table gained or lost a row. */
  async function refused(send: () => Promise<Response>, status: number, code: string) {
    const before = await app.fixtures.rowCounts(db);
    const response = await send();
    const body = (await response.json()) as ErrorBody;
    expect({ status: response.status, body }).toEqual({
      status,
      body: { error: { code, message: expect.any(String), details: expect.any(Object) } },
    });
    expect(await app.fixtures.rowCounts(db)).toEqual(before);
    return body.error;
  }

  const fields = (error: ErrorBody['error']) => Object.keys((error.details.fields ?? {}) as object).sort();
  const newModel = async () =>
    (await app.services.createModel({ actor: app.systemActor.systemActor('bootstrap'), db }, { name: `fraud-${app.fixtures.unique()}`, ownerTeam: 'risk-ml' })).name;

  // --- registration -------------------------------------------------------------------------

  describe('POST /api/v1/models/:name/versions', () => {
    let model: string;
    beforeAll(async () => {
      model = await newModel();
    });

    it('registers a version with 201, as the API key, and audits the request', async () => {
      const before = await app.fixtures.rowCounts(db);
      const response = await api.register(model, { key: keys.lead, body: registration('1.0.0', { tags: ['candidate'] }), headers: { 'x-request-id': 'ci-run-17' } });
      const { status, body } = await read(response);

      expect(status).toBe(201);
      expect(response.headers.get('x-request-id')).toBe('ci-run-17');
      expect(body).toMatchObject({ id: expect.any(String), version: '1.0.0', registeredBy: `api-key:${leadKeyName}`, tags: ['candidate'], status: 'registered', contract: CONTRACT });
      const after = await app.fixtures.rowCounts(db);
      expect(after).toEqual({ ...before, modelVersions: before.modelVersions + 1, auditEvents: before.auditEvents + 1 });
      const [event] = await app.fixtures.auditOf(db, body.id);
      expect(event).toMatchObject({ action: 'version.register', actorType: 'api_key', actorName: `api-key:${leadKeyName}`, metadata: { via: 'api', requestId: 'ci-run-17' } });
    });

    it('answers an identical re-post with 200 and the stored version, and stores nothing', async () => {
      const first = await read(await api.register(model, { key: keys.lead, body: registration('1.0.1') }));
      expect(first.status).toBe(201);
      const before = await app.fixtures.rowCounts(db);

      const again = await read(await api.register(model, { key: keys.lead, body: registration('1.0.1') }));
      expect(again).toMatchObject({ status: 200, body: { id: first.body.id, version: '1.0.1' } });
      expect(await app.fixtures.rowCounts(db)).toEqual(before);
    });

    it('refuses different content for a registered version with 409', async () => {
      const error = await refused(() => api.register(model, { key: keys.lead, body: registration('1.0.0', { artifactDigest: sha256('retrained') }) }), 409, 'conflict');
      expect(error.details).toEqual({ fields: { version: ['Already registered'] } });
      const stored = await read(await api.get(model, '1.0.0', { key: keys.lead }));
      expect(stored.body.version.artifactDigest).toBe(sha256('fraud@1.0.0'));
    });

    it('refuses invalid fields with 422, naming each field', async () => {
      const body = registration('1.0', { artifactDigest: 'sha256:abc', offlineMetrics: { auc: null }, tags: ['x'.repeat(65)] });
      const error = await refused(() => api.register(model, { key: keys.lead, body }), 422, 'invalid');
      expect(fields(error)).toEqual(['artifactDigest', 'offlineMetrics.auc', 'tags.0', 'version']);
    });

    it('refuses an understated version bump with 422, naming the version and the contract field', async () => {
      const body = registration('1.1.0', { contract: { ...CONTRACT, inputs: [CONTRACT.inputs[0]] } });
      const error = await refused(() => api.register(model, { key: keys.lead, body }), 422, 'invalid');
      expect(fields(error)).toEqual(['contract.inputs.country', 'version']);
      expect(error.message).toContain('needs a MAJOR bump');
    });

    it('refuses an unknown parent version with 422', async () => {
      const error = await refused(() => api.register(model, { key: keys.lead, body: registration('1.2.0', { parentVersion: '0.1.0' }) }), 422, 'invalid');
      expect(fields(error)).toEqual(['parentVersion']);
    });

    it('refuses a request without an API key with 401', async () => {
      const error = await refused(() => api.register(model, { body: registration('2.0.0') }), 401, 'unauthenticated');
      expect(error.message).toContain('Bearer');
    });

    // Regression: the body used to be read and shape-checked before anyone asked for an actor.
    it('refuses an anonymous request with 401 whatever its body', async () => {
      await refused(() => api.register(model, { raw: 'hello', contentType: 'text/plain' }), 401, 'unauthenticated');
      await refused(() => api.register(model, { raw: '{"version": ' }), 401, 'unauthenticated');
      await refused(() => api.register(model, { raw: '[]' }), 401, 'unauthenticated');
    });

    it.each([
      { label: 'an unknown API key', authorization: () => `Bearer fdk_${randomBytes(24).toString('base64url')}` },
      { label: 'a revoked API key', authorization: () => `Bearer ${keys.revoked}` },
      { label: 'a malformed Authorization header', authorization: () => `Basic ${keys.lead}` },
    ])('refuses $label with 401', async ({ authorization }) => {
      await refused(() => api.register(model, { body: registration('2.0.0'), headers: { authorization: authorization() } }), 401, 'unauthenticated');
    });

    it('refuses a viewer key with 403, naming the role it lacks', async () => {
      const error = await refused(() => api.register(model, { key: keys.viewer, body: registration('2.0.0') }), 403, 'forbidden');
      expect(error.message).toContain('ML lead');
    });

    it('refuses an ML-lead key without the registry scope with 403, naming the scope', async () => {
      const error = await refused(() => api.register(model, { key: keys.leadReadOnly, body: registration('2.0.0') }), 403, 'forbidden');
      expect(error.message).toContain('"registry" scope');
    });

    it('refuses an unknown model with 404', async () => {
      const error = await refused(() => api.register('no-such-model', { key: keys.lead, body: registration('1.0.0') }), 404, 'not_found');
      expect(error.message).toContain('no-such-model');
    });

    it('refuses a body over 1,000,000 bytes with 413', async () => {
      const raw = JSON.stringify(registration('2.0.0', { dataSnapshotId: 'x'.repeat(1_000_000) }));
      expect(Buffer.byteLength(raw)).toBeGreaterThan(1_000_000);
      await refused(() => api.register(model, { key: keys.lead, raw }), 413, 'payload_too_large');
    });

    it('refuses a body that declares more than 1,000,000 bytes with 413 before reading it', async () => {
      await refused(() => api.register(model, { key: keys.lead, raw: '{}', headers: { 'content-length': '1000001' } }), 413, 'payload_too_large');
    });

    it.each(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x'])('refuses the content type %s with 415', async (contentType) => {
      await refused(() => api.register(model, { key: keys.lead, raw: JSON.stringify(registration('2.0.0')), contentType }), 415, 'unsupported_media_type');
    });

    it('refuses malformed JSON with 400', async () => {
      const error = await refused(() => api.register(model, { key: keys.lead, raw: '{"version": "2.0.0",' }), 400, 'bad_request');
      expect(error.message).toContain('not valid JSON');
    });

    it.each([
      { label: 'a JSON array', raw: JSON.stringify([registration('2.0.0')]) },
      { label: 'JSON null', raw: 'null' },
      { label: 'a JSON string', raw: '"2.0.0"' },
    ])('refuses $label as the body with 422', async ({ raw }) => {
      const error = await refused(() => api.register(model, { key: keys.lead, raw }), 422, 'invalid');
      expect(fields(error)).toEqual(['_']);
    });

    it('lets the path, not the body, name the model', async () => {
      const other = await newModel();
      const { status, body } = await read(await api.register(model, { key: keys.lead, body: { ...registration('1.3.0'), model: other } }));
      expect(status).toBe(201);
      expect((await read(await api.get(model, '1.3.0', { key: keys.viewer }))).body.version.id).toBe(body.id);
      expect((await read(await api.get(other, '1.3.0', { key: keys.viewer }))).status).toBe(404);
    });
  });

  // --- checks -------------------------------------------------------------------------------

  describe('POST /api/v1/models/:name/versions/:version/checks', () => {
    let model: string;
    beforeAll(async () => {
      model = await newModel();
      expect((await api.register(model, { key: keys.lead, body: registration('1.0.0') })).status).toBe(201);
    });

    it('answers 201 for a new kind, 200 for an update and 200 for an identical repeat', async () => {
      const before = await app.fixtures.rowCounts(db);
      const created = await read(await api.check(model, '1.0.0', { key: keys.lead, body: { kind: 'unit', status: 'running' } }));
      expect(created).toMatchObject({ status: 201, body: { outcome: 'created', kind: 'unit', status: 'running', reportedBy: `api-key:${leadKeyName}` } });

      const passed = { kind: 'unit', status: 'passed', measurements: { tests: 120 }, link: 'https://ci.example/runs/9' };
      const updated = await read(await api.check(model, '1.0.0', { key: keys.lead, body: passed }));
      expect(updated).toMatchObject({ status: 200, body: { outcome: 'updated', id: created.body.id, status: 'passed' } });
      const afterUpdate = await app.fixtures.rowCounts(db);
      expect(afterUpdate).toEqual({ ...before, gateChecks: before.gateChecks + 1, auditEvents: before.auditEvents + 2 });

      const repeated = await read(await api.check(model, '1.0.0', { key: keys.lead, body: passed }));
      expect(repeated).toMatchObject({ status: 200, body: { outcome: 'unchanged', id: created.body.id } });
      expect(await app.fixtures.rowCounts(db)).toEqual(afterUpdate);
    });

    it('refuses an unknown version with 404 and an unknown model with 404', async () => {
      await refused(() => api.check(model, '9.9.9', { key: keys.lead, body: { kind: 'unit', status: 'passed' } }), 404, 'not_found');
      await refused(() => api.check('no-such-model', '1.0.0', { key: keys.lead, body: { kind: 'unit', status: 'passed' } }), 404, 'not_found');
    });

    it('refuses an unknown kind with 422 naming the field', async () => {
      const error = await refused(() => api.check(model, '1.0.0', { key: keys.lead, body: { kind: 'lint', status: 'passed' } }), 422, 'invalid');
      expect(fields(error)).toEqual(['kind']);
    });

    it('refuses keys without the registry permission with 403 and no key with 401', async () => {
      const body = { kind: 'smoke', status: 'passed' };
      expect((await refused(() => api.check(model, '1.0.0', { key: keys.leadReadOnly, body }), 403, 'forbidden')).message).toContain('"registry" scope');
      await refused(() => api.check(model, '1.0.0', { key: keys.viewer, body }), 403, 'forbidden');
      await refused(() => api.check(model, '1.0.0', { body }), 401, 'unauthenticated');
    });
  });

  // --- reading and updating a version -------------------------------------------------------

  describe('GET and PATCH /api/v1/models/:name/versions/:version', () => {
    let model: string;
    beforeAll(async () => {
      model = await newModel();
      expect((await api.register(model, { key: keys.lead, body: registration('1.0.0', { tags: ['candidate'] }) })).status).toBe(201);
    });

    it('shows deployability per environment with the reason of every unmet gate', async () => {
      const { status, body } = await read(await api.get(model, '1.0.0', { key: keys.viewer }));
      expect(status).toBe(200);
      expect(body).toMatchObject({ model: { name: model }, version: { version: '1.0.0' }, checks: [], parent: null, comparison: null });
      const byEnvironment = Object.fromEntries((body.deployability as Json[]).map((d) => [d.environment, d]));
      expect(Object.keys(byEnvironment).sort()).toEqual(['production', 'staging']);
      expect(byEnvironment.staging).toMatchObject({
        deployable: false,
        live: null,
        isLive: false,
        unmet: [
          { kind: 'unit', reason: 'unit: no result reported yet' },
          { kind: 'smoke', reason: 'smoke: no result reported yet' },
        ],
      });
      expect(byEnvironment.production.deployable).toBe(false);
      expect((byEnvironment.production.unmet as Json[]).map((u) => u.reason)).toEqual([
        'unit: no result reported yet',
        'smoke: no result reported yet',
        'performance: no result reported yet',
        'quality_regression: no result reported yet',
        'safety: no result reported yet',
        'contract: no result reported yet',
      ]);
    });

    it('turns deployable to staging once its checks pass, and names what production still lacks', async () => {
      for (const kind of ['unit', 'smoke']) expect((await api.check(model, '1.0.0', { key: keys.lead, body: { kind, status: 'passed' } })).status).toBe(201);
      await api.check(model, '1.0.0', { key: keys.lead, body: { kind: 'safety', status: 'failed', measurements: { subgroup_gap_points: 4 } } });

      const { body } = await read(await api.get(model, '1.0.0', { key: keys.viewer }));
      const byEnvironment = Object.fromEntries((body.deployability as Json[]).map((d) => [d.environment, d]));
      expect(byEnvironment.staging).toMatchObject({ deployable: true, unmet: [] });
      expect((byEnvironment.production.unmet as Json[]).map((u) => u.reason)).toEqual([
        'performance: no result reported yet',
        'quality_regression: no result reported yet',
        'safety: failed',
        'contract: no result reported yet',
      ]);
    });

    it('refuses an unknown version and an unknown model with 404, and no key with 401', async () => {
      await refused(() => api.get(model, '9.9.9', { key: keys.viewer }), 404, 'not_found');
      await refused(() => api.get('no-such-model', '1.0.0', { key: keys.viewer }), 404, 'not_found');
      await refused(() => api.get(model, '1.0.0'), 401, 'unauthenticated');
    });

    it('changes tags and status with 200 and ignores attempts to change anything else', async () => {
      const { status, body } = await read(
        await api.patch(model, '1.0.0', { key: keys.lead, body: { tags: ['approved'], status: 'archived', artifactUri: 's3://elsewhere/x.tar.gz', version: '7.0.0' } }),
      );
      expect(status).toBe(200);
      expect(body).toMatchObject({ version: '1.0.0', tags: ['approved'], status: 'archived', artifactUri: 's3://ml-artifacts/fraud/1.0.0/model.tar.gz' });
      const [event] = (await app.fixtures.auditOf(db, body.id)).filter((e) => e.action === 'version.update');
      expect(event).toMatchObject({ actorType: 'api_key', before: { tags: ['candidate'], status: 'registered' }, after: { tags: ['approved'], status: 'archived' } });
    });

    it('refuses a PATCH with nothing to change with 422, a viewer with 403 and an unknown version with 404', async () => {
      const error = await refused(() => api.patch(model, '1.0.0', { key: keys.lead, body: { artifactUri: 's3://elsewhere/x.tar.gz' } }), 422, 'invalid');
      expect(fields(error)).toEqual(['_']);
      await refused(() => api.patch(model, '1.0.0', { key: keys.viewer, body: { tags: ['x'] } }), 403, 'forbidden');
      await refused(() => api.patch(model, '9.9.9', { key: keys.lead, body: { tags: ['x'] } }), 404, 'not_found');
    });
  });

  // --- gate policies ------------------------------------------------------------------------

  describe('PUT /api/v1/environments/:name/policy', () => {
    const POLICY = {
      requiredChecks: ['unit', 'smoke', 'data_drift'],
      thresholds: { data_drift: [{ metric: 'psi', threshold: 0.2, greaterIsBetter: false }] },
    };

    it('refuses an ML-lead key with 403', async () => {
      const error = await refused(() => api.putPolicy('production', { key: keys.lead, body: POLICY }), 403, 'forbidden');
      expect(error.message).toContain('Admin');
    });

    it('refuses no key with 401 and an unknown environment with 404', async () => {
      await refused(() => api.putPolicy('production', { body: POLICY }), 401, 'unauthenticated');
      await refused(() => api.putPolicy('nowhere', { key: keys.admin, body: POLICY }), 404, 'not_found');
    });

    it('refuses an invalid policy with 422 and the field paths', async () => {
      const invalid = {
        requiredChecks: ['unit', 'lint'],
        thresholds: { quality_regression: [{ metric: 'auc', minRelativeChange: 2, greaterIsBetter: true }] },
      };
      const error = await refused(() => api.putPolicy('production', { key: keys.admin, body: invalid }), 422, 'invalid');
      expect(fields(error)).toEqual(['policy.requiredChecks.1', 'policy.thresholds.quality_regression.0.minRelativeChange']);
      await refused(() => api.putPolicy('production', { key: keys.admin, raw: '[]' }), 422, 'invalid');
    });

    it('replaces the policy for an admin key with 200, and versions judge against it at once', async () => {
      const before = await app.fixtures.rowCounts(db);
      const { status, body } = await read(await api.putPolicy('staging', { key: keys.admin, body: POLICY }));
      expect(status).toBe(200);
      expect(body).toMatchObject({ name: 'staging', policyVersion: 2, requiredChecks: POLICY.requiredChecks, checkThresholds: POLICY.thresholds });
      expect(await app.fixtures.rowCounts(db)).toEqual({ ...before, auditEvents: before.auditEvents + 1 });

      const listed = await read(await api.environments({ key: keys.viewer }));
      expect(listed.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'staging', policyVersion: 2, policy: POLICY })]));

      const model = await newModel();
      await api.register(model, { key: keys.lead, body: registration('1.0.0') });
      for (const kind of ['unit', 'smoke']) await api.check(model, '1.0.0', { key: keys.lead, body: { kind, status: 'passed' } });
      const { body: version } = await read(await api.get(model, '1.0.0', { key: keys.viewer }));
      expect((version.deployability as Json[]).find((d) => d.environment === 'staging')).toMatchObject({
        deployable: false,
        unmet: [{ kind: 'data_drift', reason: 'data_drift: no result reported yet' }],
      });
    });
  });
});
