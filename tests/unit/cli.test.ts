import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

/**
 * The CLI's HTTP contract (cli/flightdeck.mjs): it runs as a child process against a fake
 * Flightdeck that records every request and answers with the documented /api/v1 shapes. The
 * end-to-end run against the real server lives with the integration tests.
 */

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'cli/flightdeck.mjs');
const KEY = 'fd_test_0123456789abcdefghijklmnop';

type Recorded = { method: string; path: string; query: URLSearchParams; headers: IncomingHttpHeaders; raw: string; body: unknown };
type Answer = { status: number; body?: unknown; raw?: string; type?: string };
type Handler = (req: Recorded) => Answer | undefined;

let server: Server;
let base: string;
let requests: Recorded[] = [];
let override: Handler | null = null;
let dir: string;

// --- the fake server -------------------------------------------------------------------------

const err = (status: number, code: string, message: string, details: Record<string, unknown> = {}): Answer => ({ status, body: { error: { code, message, details } } });

const ID = {
  promoted: '11111111-1111-4111-8111-111111111111',
  rolledBack: '22222222-2222-4222-8222-222222222222',
  stuck: '33333333-3333-4333-8333-333333333333',
  rejected: '44444444-4444-4444-8444-444444444444',
  flaky: '55555555-5555-4555-8555-555555555555',
  created: '66666666-6666-4666-8666-666666666666',
  awaitingStart: '88888888-8888-4888-8888-888888888888',
};
const INCIDENT_ID = '77777777-7777-4777-8777-777777777777';

const steps = [
  { id: 's0', releaseId: '', position: 0, weight: 50, holdSeconds: 60, analysisRequired: true, manualGate: false },
  { id: 's1', releaseId: '', position: 1, weight: 100, holdSeconds: 0, analysisRequired: false, manualGate: false },
];

function releaseDoc(id: string, state: string, currentStep: number, currentWeight: number, extra: Record<string, unknown> = {}) {
  return {
    id,
    model: 'loan-default',
    version: '1.0.0',
    baselineVersion: '0.9.0',
    environment: 'staging',
    environmentRank: 1,
    strategy: 'canary',
    state,
    currentStep,
    currentWeight,
    requestedBy: 'ci-key',
    requestedById: 'key:1',
    reason: 'CI abc1234',
    createdAt: '2024-05-01T10:00:00.000Z',
    updatedAt: '2024-05-01T10:05:00.000Z',
    routing: null,
    routingRevision: 3,
    startedAt: '2024-05-01T10:01:00.000Z',
    finishedAt: null,
    stepStartedAt: '2024-05-01T10:01:00.000Z',
    steps: steps.map((s) => ({ ...s, releaseId: id })),
    approvals: [],
    incident: null,
    inFlight: !['promoted', 'rolled_back', 'rejected', 'aborted'].includes(state),
    ...extra,
  };
}

const incident = { id: INCIDENT_ID, releaseId: ID.rolledBack, title: 'Rollback of loan-default 1.0.0 in staging', state: 'open' };
const rejection = { id: 'a1', releaseId: ID.rejected, reviewer: 'alice', decision: 'reject', comment: 'the offline AUC dropped', voidedAt: null };

/** What successive GETs of each release answer; the last entry repeats. */
const TIMELINES: Record<string, ReturnType<typeof releaseDoc>[]> = {
  [ID.promoted]: [releaseDoc(ID.promoted, 'approved', 0, 0), releaseDoc(ID.promoted, 'running', 0, 50), releaseDoc(ID.promoted, 'running', 1, 100), releaseDoc(ID.promoted, 'promoted', 1, 100)],
  [ID.rolledBack]: [releaseDoc(ID.rolledBack, 'running', 0, 50), releaseDoc(ID.rolledBack, 'rolled_back', 0, 0, { incident })],
  [ID.stuck]: [releaseDoc(ID.stuck, 'running', 0, 50)],
  [ID.rejected]: [releaseDoc(ID.rejected, 'pending_approval', 0, 0), releaseDoc(ID.rejected, 'rejected', 0, 0, { approvals: [rejection] })],
  [ID.flaky]: [releaseDoc(ID.flaky, 'running', 0, 50), releaseDoc(ID.flaky, 'running', 0, 50), releaseDoc(ID.flaky, 'promoted', 1, 100)],
};
const VERDICTS: Record<string, unknown[]> = {
  [ID.rolledBack]: [
    { id: 'v1', releaseId: ID.rolledBack, step: 0, verdict: 'pass', score: 1, summary: 'all metrics within bounds', intervalStart: '2024-05-01T10:01:00.000Z', intervalEnd: '2024-05-01T10:02:00.000Z' },
    { id: 'v2', releaseId: ID.rolledBack, step: 0, verdict: 'fail', score: 0.25, summary: 'error_rate: canary 4.1 % vs baseline 0.5 %', intervalStart: '2024-05-01T10:02:00.000Z', intervalEnd: '2024-05-01T10:03:00.000Z' },
  ],
  [ID.stuck]: [{ id: 'v3', releaseId: ID.stuck, step: 0, verdict: 'pass', score: 0.97, summary: 'healthy', intervalStart: '2024-05-01T10:01:00.000Z', intervalEnd: '2024-05-01T10:02:00.000Z' }],
};

let gets: Record<string, number> = {};
let models = new Set<string>();
let versions = new Map<string, string>();
let flakyFailures = 0;
let started = new Set<string>();

/** The documented /api/v1 shapes, for the endpoints the CLI uses. */
function api(req: Recorded): Answer {
  if (req.headers.authorization !== `Bearer ${KEY}`) return err(401, 'unauthenticated', 'Sign in or send an API key.');
  let m: RegExpMatchArray | null;
  if (req.method === 'POST' && req.path === '/api/v1/models') {
    const b = req.body as { name: string; ownerTeam: string };
    if (models.has(b.name)) return err(409, 'conflict', `A model named ${b.name} already exists.`);
    models.add(b.name);
    return { status: 201, body: { id: 'm1', name: b.name, ownerTeam: b.ownerTeam, description: '' } };
  }
  if (req.method === 'POST' && (m = req.path.match(/^\/api\/v1\/models\/([^/]+)\/versions$/))) {
    const name = decodeURIComponent(m[1]!);
    const b = req.body as { version: string };
    if (!/^\d+\.\d+\.\d+/.test(b.version ?? ''))
      return err(422, 'invalid', 'Some parameters are not valid.', { fields: { version: ['Expected a semantic version such as 1.4.0'], artifactDigest: ['Expected sha256:<64 hex characters>'] } });
    if (!models.has(name)) return err(404, 'not_found', `The model ${name} was not found.`);
    const key = `${name}@${b.version}`;
    const payload = JSON.stringify(b);
    const before = versions.get(key);
    if (before !== undefined && before !== payload) return err(409, 'conflict', `${name} ${b.version} is already registered with different content.`);
    versions.set(key, payload);
    return { status: before === undefined ? 201 : 200, body: { id: 'v1', modelId: 'm1', ...b, status: 'registered' } };
  }
  if (req.method === 'POST' && (m = req.path.match(/^\/api\/v1\/models\/([^/]+)\/versions\/([^/]+)\/checks$/))) {
    const b = req.body as Record<string, unknown>;
    return { status: 201, body: { id: 'c1', versionId: 'v1', ...b, reportedBy: 'ci-key', outcome: 'created' } };
  }
  if (req.method === 'POST' && req.path === '/api/v1/releases') {
    const b = req.body as { model: string; version: string; environment: string; strategy?: string };
    if (b.environment === 'production')
      return err(409, 'conflict', `${b.model} ${b.version} is not deployable to production: unit check missing`, { unmet: [{ kind: 'unit', reason: 'unit check missing' }] });
    return { status: 201, body: { id: ID.created, modelId: 'm1', versionId: 'v1', environmentId: 'e1', strategy: b.strategy ?? 'canary', state: 'approved', currentStep: 0, currentWeight: 0, reason: null } };
  }
  if (req.method === 'GET' && req.path === `/api/v1/incidents/${INCIDENT_ID}`) {
    return {
      status: 200,
      body: {
        incident: { ...incident, rolledBackBy: 'system:controller' },
        model: 'loan-default',
        version: '1.0.0',
        environment: 'staging',
        timeline: [
          { at: '2024-05-01T10:01:00.000Z', kind: 'release', title: 'Canary started at 50 %', severity: 'info' },
          { at: '2024-05-01T10:03:00.000Z', kind: 'action', title: 'Rolled back by system:controller: analysis failed twice', detail: 'All traffic back to the baseline from 50 %', severity: 'critical' },
        ],
      },
    };
  }
  if (req.method === 'GET' && (m = req.path.match(/^\/api\/v1\/releases\/([^/]+)\/metrics$/))) {
    return { status: 200, body: { widthSeconds: null, points: [], simulated: false, verdicts: VERDICTS[m[1]!] ?? [], steps: [] } };
  }
  if (req.method === 'GET' && (m = req.path.match(/^\/api\/v1\/releases\/([^/]+)$/))) {
    const id = m[1]!;
    if (id === ID.awaitingStart) {
      // Sits at "approved" until someone starts it; then runs and is promoted.
      const n = started.has(id) ? (gets[id] = (gets[id] ?? 0) + 1) : 0;
      return { status: 200, body: n === 0 ? releaseDoc(id, 'approved', 0, 0) : n === 1 ? releaseDoc(id, 'running', 0, 50) : releaseDoc(id, 'promoted', 1, 100) };
    }
    const timeline = TIMELINES[id];
    if (!timeline) return err(404, 'not_found', 'The release was not found.');
    const n = (gets[id] = (gets[id] ?? 0) + 1);
    if (id === ID.flaky && n === 2 && flakyFailures++ === 0) return err(503, 'unavailable', 'The database is unavailable; try again shortly.');
    return { status: 200, body: timeline[Math.min(n - 1, timeline.length - 1)] };
  }
  if (req.method === 'POST' && (m = req.path.match(/^\/api\/v1\/releases\/([^/]+)\/(approve|rollback|start)$/))) {
    const [, id, action] = m;
    if (action === 'start') {
      if (started.has(id!)) return err(409, 'conflict', 'This release is running: it has already started', { state: 'running', reason: 'illegal_transition' });
      started.add(id!);
      return { status: 200, body: { changed: true, note: null, incidentId: null, release: releaseDoc(id!, 'running', 0, 50) } };
    }
    if (action === 'approve') return { status: 200, body: { changed: true, note: null, incidentId: null, release: releaseDoc(id!, 'approved', 0, 0) } };
    return { status: 200, body: { changed: true, note: null, incidentId: INCIDENT_ID, release: releaseDoc(id!, 'rolled_back', 0, 0, { incident }) } };
  }
  return err(404, 'not_found', `No route for ${req.method} ${req.path}`);
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'flightdeck-cli-'));
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: unknown = undefined;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        body = raw;
      }
      const url = new URL(req.url ?? '/', 'http://fake');
      const rec: Recorded = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, raw, body };
      requests.push(rec);
      const answer = override?.(rec) ?? api(rec);
      res.writeHead(answer.status, { 'content-type': answer.type ?? 'application/json', 'x-request-id': 'req-0042' });
      res.end(answer.raw ?? (answer.body === undefined ? '' : JSON.stringify(answer.body)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  requests = [];
  override = null;
  gets = {};
  flakyFailures = 0;
  started = new Set();
  models = new Set(['loan-default']);
  versions = new Map();
});

// --- helpers ---------------------------------------------------------------------------------

type Run = { code: number; stdout: string; stderr: string };

/** Runs the CLI asynchronously (the fake server lives in this process, so it must not block). */
function cli(args: string[], env: Record<string, string | undefined> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      { cwd: dir, env: { ...process.env, FLIGHTDECK_URL: base, FLIGHTDECK_API_KEY: KEY, ...env }, timeout: 20_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number((error as { code?: unknown }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

function file(name: string, content: string): string {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
}

const manifest = JSON.parse(readFileSync(path.join(ROOT, 'examples/model.json'), 'utf8')) as Record<string, unknown>;
const manifestFile = () => file('model.json', JSON.stringify(manifest));

// --- help, version, usage errors -------------------------------------------------------------

describe('help and usage', () => {
  it('prints the usage of every command, of one command, and the version', async () => {
    const all = await cli(['help']);
    expect(all.code).toBe(0);
    for (const c of ['register', 'check', 'release', 'approve', 'start', 'rollback', 'status', 'wait']) expect(all.stdout).toContain(`Usage: flightdeck ${c}`);
    const flag = await cli(['--help']);
    expect(flag.code).toBe(0);
    expect(flag.stdout).toContain('Exit codes');
    const one = await cli(['wait', '--help']);
    expect(one.code).toBe(0);
    expect(one.stdout).toContain('flightdeck wait <releaseId> [--timeout 30m] [--interval 5s]');
    const version = await cli(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version);
    expect(requests).toHaveLength(0);
  });

  it.each([
    [['check', 'loan-default', '1.0.0', '--status', 'passed'], 'check', '--kind is required'],
    [['check', 'loan-default', '1.0.0', '--kind', 'unit', '--status', 'green'], 'check', '--status must be one of passed, failed, running, skipped'],
    [['check', 'loan-default', '1.0.0', '--kind', 'unit', '--status', 'passed', '--measurement', 'auc=high'], 'check', '--measurement expects key=number'],
    [['release', 'loan-default', '1.0.0'], 'release', '--environment is required'],
    [['release', 'loan-default', '1.0.0', '--environment', 'staging', '--strategy', 'yolo'], 'release', '--strategy must be one of'],
    [['rollback', ID.stuck], 'rollback', '--reason is required'],
    [['wait', ID.stuck, '--timeout', 'soon'], 'wait', '--timeout expects a duration'],
    [['status'], 'status', 'missing <releaseId>'],
    [['status', ID.stuck, 'extra'], 'status', 'unexpected argument "extra"'],
    [['status', ID.stuck, '--verbose'], 'status', "Unknown option '--verbose'"],
    [['register', 'model.json', '--create-model'], 'register', '--create-model needs --owner-team'],
  ])('%j is a usage error (64) with the usage of %s', async (args, command, message) => {
    const r = await cli(args);
    expect(r.code).toBe(64);
    expect(r.stderr).toContain(message);
    expect(r.stderr).toContain(`Usage: flightdeck ${command}`);
    expect(requests).toHaveLength(0);
  });

  it('an unknown command is a usage error with the general usage', async () => {
    const r = await cli(['deploy', 'x']);
    expect(r.code).toBe(64);
    expect(r.stderr).toContain('unknown command "deploy"');
    expect(r.stderr).toContain('Commands:');
  });
});

// --- register --------------------------------------------------------------------------------

describe('register', () => {
  it('posts the manifest minus "model" to /models/{model}/versions with the API key; 201 then 200 on a repeat', async () => {
    const path_ = manifestFile();
    const first = await cli(['register', path_]);
    expect(first).toMatchObject({ code: 0, stdout: 'Registered loan-default 1.0.0.\n' });
    expect(requests).toHaveLength(1);
    const [req] = requests;
    expect(req!.method).toBe('POST');
    expect(req!.path).toBe('/api/v1/models/loan-default/versions');
    expect(req!.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(req!.headers['content-type']).toBe('application/json');
    expect(req!.headers['user-agent']).toMatch(/^flightdeck-cli\//);
    const { model: _model, ...expected } = manifest;
    expect(req!.body).toEqual(expected);

    const again = await cli(['register', path_]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('already registered with this content');
  });

  it('--set overrides top-level fields; --json prints the API document', async () => {
    const r = await cli(['register', manifestFile(), '--set', 'gitCommit=abc1234', '--set', 'version=1.0.1', '--json']);
    expect(r.code).toBe(0);
    expect(requests[0]!.body).toMatchObject({ gitCommit: 'abc1234', version: '1.0.1' });
    expect(JSON.parse(r.stdout)).toMatchObject({ id: 'v1', version: '1.0.1', gitCommit: 'abc1234', status: 'registered' });
  });

  it('--create-model creates the model first, and carries on when it already exists (409)', async () => {
    models = new Set();
    const created = await cli(['register', manifestFile(), '--create-model', '--owner-team', 'risk-ml']);
    expect(created.code).toBe(0);
    expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /api/v1/models', 'POST /api/v1/models/loan-default/versions']);
    expect(requests[0]!.body).toEqual({ name: 'loan-default', ownerTeam: 'risk-ml' });
    expect(created.stderr).toContain('Created model loan-default');

    requests = [];
    const existing = await cli(['register', manifestFile(), '--create-model', '--owner-team', 'risk-ml', '--json']);
    expect(existing.code).toBe(0);
    expect(existing.stderr).toContain('already exists');
    expect(requests).toHaveLength(2);
    expect(JSON.parse(existing.stdout)).toMatchObject({ version: '1.0.0' }); // one document: the version's
  });

  it('reads a YAML manifest (or says that the yaml package is missing)', async () => {
    const yamlFile = file(
      'model.yaml',
      `model: loan-default\nversion: 2.0.0\nartifactUri: s3://ml/loan-default/2.0.0/model.tar.gz\nartifactDigest: "sha256:${'a'.repeat(64)}"\ntags: [gbm]\noffline_metrics_note: ignored by the server\n`,
    );
    const r = await cli(['register', yamlFile]);
    let hasYaml = true;
    try {
      createRequire(CLI).resolve('yaml');
    } catch {
      hasYaml = false;
    }
    if (hasYaml) {
      expect(r.code).toBe(0);
      expect(requests[0]!.body).toMatchObject({ version: '2.0.0', artifactDigest: `sha256:${'a'.repeat(64)}`, tags: ['gbm'] });
    } else {
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('needs the "yaml" package');
    }
  });

  it('shows the status, the API message and every field error; --json prints the error document', async () => {
    const bad = file('bad.json', JSON.stringify({ ...manifest, version: 'one' }));
    const r = await cli(['register', bad]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('POST');
    expect(r.stderr).toContain('HTTP 422 invalid: Some parameters are not valid.');
    expect(r.stderr).toContain('  version: Expected a semantic version such as 1.4.0');
    expect(r.stderr).toContain('  artifactDigest: Expected sha256:<64 hex characters>');
    expect(r.stderr).toContain('request id: req-0042');

    const j = await cli(['register', bad, '--json']);
    expect(j.code).toBe(1);
    expect(JSON.parse(j.stdout)).toEqual({ error: { code: 'invalid', message: 'Some parameters are not valid.', details: expect.objectContaining({ fields: expect.any(Object) }) } });
  });

  it('a conflict (409) and an unknown model (404) fail with the API message', async () => {
    await cli(['register', manifestFile()]);
    const changed = file('changed.json', JSON.stringify({ ...manifest, artifactUri: 's3://elsewhere/model.tar.gz' }));
    const conflict = await cli(['register', changed]);
    expect(conflict.code).toBe(1);
    expect(conflict.stderr).toContain('HTTP 409 conflict: loan-default 1.0.0 is already registered with different content.');

    const unknown = await cli(['register', file('other.json', JSON.stringify({ ...manifest, model: 'nobody' }))]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('HTTP 404 not_found');
  });

  it('refuses a manifest without a model, an unreadable file and invalid JSON without calling the API', async () => {
    const { model: _m, ...nameless } = manifest;
    const noModel = await cli(['register', file('nameless.json', JSON.stringify(nameless))]);
    expect(noModel.code).toBe(1);
    expect(noModel.stderr).toContain('"model" is missing');
    const missing = await cli(['register', 'nowhere.json']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('cannot read the manifest nowhere.json: no such file');
    const broken = await cli(['register', file('broken.json', '{ "model": ')]);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain('not valid JSON');
    expect(requests).toHaveLength(0);
  });
});

// --- check -----------------------------------------------------------------------------------

describe('check', () => {
  it('posts kind, status, measurements, summary and link', async () => {
    const r = await cli(['check', 'loan-default', '1.0.0', '--kind', 'quality_regression', '--status', 'passed', '--measurement', 'primary_metric=0.93', '--measurement', 'latency_ms=12', '--summary', 'AUC on holdout', '--link', 'https://ci.example.com/run/1']);
    expect(r.code).toBe(0);
    expect(requests[0]!.path).toBe('/api/v1/models/loan-default/versions/1.0.0/checks');
    expect(requests[0]!.body).toEqual({ kind: 'quality_regression', status: 'passed', measurements: { primary_metric: 0.93, latency_ms: 12 }, summary: 'AUC on holdout', link: 'https://ci.example.com/run/1' });
    expect(r.stdout).toBe('quality_regression check of loan-default 1.0.0: passed (created) — AUC on holdout\n');
  });

  it('--junit: the root <testsuites> counts, failed when there are failures or errors', async () => {
    const report = file(
      'failing.xml',
      `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="pytest" tests="12" failures="1" errors="1" skipped="2" time="3.2">
  <testsuite name="a" tests="7" failures="1" errors="0" skipped="1">
    <testcase classname="a" name="x"><failure message="boom">assert 1 == 2</failure></testcase>
  </testsuite>
  <testsuite name="b" tests="5" failures="0" errors="1" skipped="1"/>
</testsuites>`,
    );
    const r = await cli(['check', 'loan-default', '1.0.0', '--kind', 'unit', '--junit', report]);
    expect(r.code).toBe(0);
    expect(requests[0]!.body).toEqual({ kind: 'unit', status: 'failed', measurements: { tests: 12, failures: 1, errors: 1, skipped: 2 }, summary: 'JUnit failing.xml: 12 tests, 1 failures, 1 errors, 2 skipped' });
  });

  it('--junit: sums <testsuite> attributes the root lacks, and ignores CDATA and comments', async () => {
    // jest-junit style: no `skipped` on the root; the output holds text that looks like a suite.
    const report = file(
      'passing.xml',
      `<testsuites name="jest tests" tests="9" failures="0" errors="0">
  <!-- <testsuite tests="1000" failures="1000"> -->
  <testsuite name="one" tests="4" failures="0" errors="0" skipped="1"><system-out><![CDATA[<testsuite tests="999" failures="5">]]></system-out></testsuite>
  <testsuite name='two' tests='5' failures='0' errors='0' skipped='0'></testsuite>
</testsuites>`,
    );
    await cli(['check', 'loan-default', '1.0.0', '--kind', 'unit', '--junit', report, '--link', 'https://ci.example.com/1']);
    expect(requests[0]!.body).toMatchObject({ status: 'passed', measurements: { tests: 9, failures: 0, errors: 0, skipped: 1 }, link: 'https://ci.example.com/1' });
  });

  it('--junit: a single <testsuite> root; several reports add up', async () => {
    const a = file('a.xml', '<testsuite name="a" tests="3" failures="0" errors="0" skipped="0"><testcase name="t"/></testsuite>');
    const b = file('b.xml', '<testsuite name="b" tests="2" failures="1" errors="0" skipped="1"></testsuite>');
    await cli(['check', 'loan-default', '1.0.0', '--kind', 'contract', '--junit', a, '--junit', b]);
    expect(requests[0]!.body).toMatchObject({ status: 'failed', measurements: { tests: 5, failures: 1, errors: 0, skipped: 1 }, summary: 'JUnit a.xml, b.xml: 5 tests, 1 failures, 0 errors, 1 skipped' });
  });

  it('--junit: counts <testcase> elements when no element carries counts', async () => {
    const report = file(
      'bare.xml',
      `<testsuite name="bare">
  <testcase name="a"/><testcase name="b"><skipped/></testcase><testcase name="c"><error message="x"/></testcase>
</testsuite>`,
    );
    await cli(['check', 'loan-default', '1.0.0', '--kind', 'smoke', '--junit', report]);
    expect(requests[0]!.body).toMatchObject({ status: 'failed', measurements: { tests: 3, failures: 0, errors: 1, skipped: 1 } });
  });

  it('--junit: all skipped is "skipped"; explicit --status, --summary and --measurement win', async () => {
    const report = file('skipped.xml', '<testsuites tests="2" failures="0" errors="0" skipped="2"></testsuites>');
    await cli(['check', 'loan-default', '1.0.0', '--kind', 'unit', '--junit', report]);
    expect(requests[0]!.body).toMatchObject({ status: 'skipped' });
    await cli(['check', 'loan-default', '1.0.0', '--kind', 'unit', '--junit', report, '--status', 'passed', '--summary', 'ok', '--measurement', 'tests=40', '--measurement', 'coverage=0.8']);
    expect(requests[1]!.body).toEqual({ kind: 'unit', status: 'passed', measurements: { tests: 40, failures: 0, errors: 0, skipped: 2, coverage: 0.8 }, summary: 'ok' });
  });

  it('--junit: a file that is not a JUnit report fails before calling the API', async () => {
    const r = await cli(['check', 'loan-default', '1.0.0', '--kind', 'unit', '--junit', file('notes.xml', '<notes><note>hi</note></notes>')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('not a JUnit XML report');
    expect(requests).toHaveLength(0);
  });
});

// --- release, approve, rollback, status -------------------------------------------------------

describe('release, approve, rollback, status', () => {
  it('release prints the id alone on stdout', async () => {
    const r = await cli(['release', 'loan-default', '1.0.0', '--environment', 'staging', '--strategy', 'blue_green', '--reason', 'CI abc1234']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${ID.created}\n`);
    expect(r.stderr).toContain('blue_green release of loan-default 1.0.0 to staging: approved');
    expect(requests[0]!.path).toBe('/api/v1/releases');
    expect(requests[0]!.body).toEqual({ model: 'loan-default', version: '1.0.0', environment: 'staging', strategy: 'blue_green', reason: 'CI abc1234' });

    const json = await cli(['release', 'loan-default', '1.0.0', '-e', 'staging', '--json']);
    expect(requests[1]!.body).toEqual({ model: 'loan-default', version: '1.0.0', environment: 'staging' });
    expect(JSON.parse(json.stdout)).toMatchObject({ id: ID.created, state: 'approved', strategy: 'canary' });
  });

  it('release --start starts an approved release; --json then prints the started release', async () => {
    const r = await cli(['release', 'loan-default', '1.0.0', '--environment', 'staging', '--start']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${ID.created}\n`);
    expect(r.stderr).toContain('Started release');
    expect(r.stderr).toContain('running, step 1/2, weight 50 %');
    expect(requests.map((q) => `${q.method} ${q.path}`)).toEqual(['POST /api/v1/releases', `POST /api/v1/releases/${ID.created}/start`]);

    started = new Set();
    const j = await cli(['release', 'loan-default', '1.0.0', '--environment', 'staging', '--start', '--json']);
    expect(j.code).toBe(0);
    expect(j.stderr).toBe('');
    expect(JSON.parse(j.stdout)).toMatchObject({ id: ID.created, state: 'running', currentWeight: 50 });
  });

  it('start posts the start action; a second start is a 409', async () => {
    const r = await cli(['start', ID.awaitingStart]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`Release ${ID.awaitingStart} started: running, step 1/2, weight 50 %.\n`);
    const again = await cli(['start', ID.awaitingStart]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('HTTP 409 conflict: This release is running: it has already started');
    expect(again.stderr).toContain('  state: running');
  });

  it('a refused release shows what is unmet', async () => {
    const r = await cli(['release', 'loan-default', '1.0.0', '--environment', 'production']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('HTTP 409 conflict: loan-default 1.0.0 is not deployable to production: unit check missing');
    expect(r.stderr).toContain('unmet: unit check missing');
  });

  it('approve and rollback post their comment and reason', async () => {
    const a = await cli(['approve', ID.stuck, '--comment', 'looks good']);
    expect(a.code).toBe(0);
    expect(requests[0]).toMatchObject({ method: 'POST', path: `/api/v1/releases/${ID.stuck}/approve`, body: { comment: 'looks good' } });
    expect(a.stdout).toContain('approved; state approved');

    const r = await cli(['rollback', ID.stuck, '--reason', 'error rate doubled']);
    expect(r.code).toBe(0);
    expect(requests[1]).toMatchObject({ method: 'POST', path: `/api/v1/releases/${ID.stuck}/rollback`, body: { reason: 'error rate doubled' } });
    expect(r.stdout).toContain(`incident ${INCIDENT_ID}`);

    const j = await cli(['rollback', ID.stuck, '--reason', 'again', '--json']);
    expect(JSON.parse(j.stdout)).toMatchObject({ changed: true, incidentId: INCIDENT_ID, release: { state: 'rolled_back' } });
  });

  it('status shows state, step, weight and the last analysis; --json is the release document', async () => {
    const r = await cli(['status', ID.stuck]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/State\s+running/);
    expect(r.stdout).toMatch(/Step\s+1\/2/);
    expect(r.stdout).toMatch(/Weight\s+50 %/);
    expect(r.stdout).toMatch(/Analysis\s+pass, score 0\.97 at step 1 .*: healthy/);
    expect(requests.map((q) => q.path)).toEqual([`/api/v1/releases/${ID.stuck}`, `/api/v1/releases/${ID.stuck}/metrics`]);

    requests = [];
    const j = await cli(['status', ID.stuck, '--json']);
    expect(JSON.parse(j.stdout)).toEqual(releaseDoc(ID.stuck, 'running', 0, 50));
    expect(requests).toHaveLength(1);
  });

  it('status of an unknown release is a 404', async () => {
    const r = await cli(['status', '99999999-9999-4999-8999-999999999999']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('HTTP 404 not_found: The release was not found.');
  });
});

// --- wait ------------------------------------------------------------------------------------

describe('wait', () => {
  it('exits 0 when the release is promoted, with progress lines on stderr', async () => {
    const r = await cli(['wait', ID.promoted, '--interval', '20ms']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Release ${ID.promoted} promoted`);
    const progress = r.stderr.split('\n').filter((l) => l.includes(`release ${ID.promoted}:`));
    expect(progress.map((l) => l.replace(/^\S+ /, ''))).toEqual([
      `release ${ID.promoted}: approved, step 1/2, weight 0 %`,
      `release ${ID.promoted}: running, step 1/2, weight 50 %`,
      `release ${ID.promoted}: running, step 2/2, weight 100 %`,
      `release ${ID.promoted}: promoted, step 2/2, weight 100 %`,
    ]);
    expect(requests.every((q) => q.method === 'GET' && q.path === `/api/v1/releases/${ID.promoted}`)).toBe(true);
    expect(requests).toHaveLength(4);
  });

  it('--json prints the final release document', async () => {
    const r = await cli(['wait', ID.promoted, '--interval', '10ms', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ id: ID.promoted, state: 'promoted', currentWeight: 100 });
  });

  it('exits 1 when the release is rolled back, naming the incident and the last analysis', async () => {
    const r = await cli(['wait', ID.rolledBack, '--interval', '20ms']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`release ${ID.rolledBack} rolled back: loan-default 1.0.0 did not reach staging`);
    expect(r.stderr).toContain(`incident: Rollback of loan-default 1.0.0 in staging (${INCIDENT_ID})`);
    expect(r.stderr).toContain('why: Rolled back by system:controller: analysis failed twice');
    expect(r.stderr).toContain('last analysis: fail, score 0.25 at step 1');
    expect(r.stderr).toContain('error_rate: canary 4.1 % vs baseline 0.5 %');
  });

  it('exits 1 when the release is rejected, with the reviewer and comment', async () => {
    const r = await cli(['wait', ID.rejected, '--interval', '20ms']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('rejected by alice: the offline AUC dropped');
  });

  it('exits 2 on timeout, saying where the release still is', async () => {
    const started = Date.now();
    const r = await cli(['wait', ID.stuck, '--timeout', '400ms', '--interval', '50ms']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`timed out after 400ms waiting for release ${ID.stuck} (still running, step 1/2, weight 50 %)`);
    expect(requests.length).toBeGreaterThanOrEqual(3);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('--start starts an approved release and follows it to promotion; without it, says it waits for a start', async () => {
    const r = await cli(['wait', ID.awaitingStart, '--interval', '20ms', '--start']);
    expect(r.code).toBe(0);
    expect(requests.filter((q) => q.method === 'POST').map((q) => q.path)).toEqual([`/api/v1/releases/${ID.awaitingStart}/start`]);
    expect(r.stderr).toContain('Started release');

    started = new Set();
    gets = {};
    const idle = await cli(['wait', ID.awaitingStart, '--interval', '20ms', '--timeout', '200ms']);
    expect(idle.code).toBe(2);
    expect(idle.stderr).toContain('is approved but not started');
  });

  it('retries a 503 once the release has been read', async () => {
    const r = await cli(['wait', ID.flaky, '--interval', '20ms']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('HTTP 503');
    expect(r.stderr).toContain('retrying');
  });

  it('fails at once on a 404', async () => {
    const r = await cli(['wait', '99999999-9999-4999-8999-999999999999', '--interval', '20ms']);
    expect(r.code).toBe(1);
    expect(requests).toHaveLength(1);
  });
});

// --- configuration, network and odd answers --------------------------------------------------

describe('configuration and transport', () => {
  it('--url and --api-key override the environment; a URL ending in /api/v1/ works too', async () => {
    const r = await cli(['--url', `${base}/api/v1/`, 'status', ID.stuck, '--api-key', KEY, '--json'], { FLIGHTDECK_URL: 'http://127.0.0.1:9', FLIGHTDECK_API_KEY: 'wrong' });
    expect(r.code).toBe(0);
    expect(requests[0]!.path).toBe(`/api/v1/releases/${ID.stuck}`);
    expect(requests[0]!.headers.authorization).toBe(`Bearer ${KEY}`);
  });

  it('without an API key: no Authorization header, and the 401 says how to send one', async () => {
    const r = await cli(['status', ID.stuck], { FLIGHTDECK_API_KEY: undefined });
    expect(r.code).toBe(1);
    expect(requests[0]!.headers.authorization).toBeUndefined();
    expect(r.stderr).toContain('HTTP 401 unauthenticated');
    expect(r.stderr).toContain('set FLIGHTDECK_API_KEY');
  });

  it('connection refused: one line naming the URL, exit 3', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    for (const args of [['status', ID.stuck], ['wait', ID.stuck, '--interval', '10ms']]) {
      const r = await cli(args, { FLIGHTDECK_URL: `http://127.0.0.1:${port}` });
      expect(r.code).toBe(3);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain(`cannot reach Flightdeck at http://127.0.0.1:${port}/api/v1/releases/${ID.stuck}`);
      expect(r.stderr).toContain('ECONNREFUSED');
    }
  });

  it('a non-JSON answer (not a Flightdeck server) fails clearly', async () => {
    override = () => ({ status: 200, raw: '<html>Welcome to nginx</html>', type: 'text/html' });
    const r = await cli(['status', ID.stuck]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('something other than JSON');
  });

  it('a 502 from a proxy with an HTML body still names the status', async () => {
    override = () => ({ status: 502, raw: '<html>Bad Gateway</html>', type: 'text/html' });
    const r = await cli(['status', ID.stuck]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('HTTP 502 Bad Gateway');
  });

  it('an invalid URL is a usage error', async () => {
    const r = await cli(['status', ID.stuck], { FLIGHTDECK_URL: 'not a url' });
    expect(r.code).toBe(64);
    expect(r.stderr).toContain('is not a URL');
  });
});

// --- the CI recipes use commands and options that exist ---------------------------------------

describe('CI examples', () => {
  it('the GitHub Actions and GitLab CI recipes parse and run register, check (JUnit), release and wait', async () => {
    let yaml: { parse: (s: string) => unknown };
    try {
      yaml = (await import('yaml')) as unknown as { parse: (s: string) => unknown };
    } catch {
      return; // the yaml package is optional for the CLI; the recipes are checked where it is installed
    }
    for (const rel of ['examples/github-actions/flightdeck.yml', 'examples/gitlab-ci/.gitlab-ci.yml']) {
      const text = readFileSync(path.join(ROOT, rel), 'utf8');
      expect(() => yaml.parse(text), rel).not.toThrow();
      expect(text).toMatch(/\$FLIGHTDECK register model\.json/);
      expect(text).toMatch(/\$FLIGHTDECK check "\$MODEL" "\$VERSION" --kind unit --junit /);
      expect(text).toMatch(/\$FLIGHTDECK check "\$MODEL" "\$VERSION" --kind contract[\s\\]+--status /);
      expect(text).toMatch(/\$FLIGHTDECK check "\$MODEL" "\$VERSION" --kind smoke[\s\\]+--status /);
      expect(text).toMatch(/\$FLIGHTDECK release "\$MODEL" "\$VERSION" --environment staging/);
      expect(text).toMatch(/\$FLIGHTDECK release "\$MODEL" "\$VERSION" --environment staging .*--start/);
      expect(text).toMatch(/\$FLIGHTDECK wait ".*--start/);
      expect(text).toContain('FLIGHTDECK: node cli/flightdeck.mjs');
    }
    const gh = yaml.parse(readFileSync(path.join(ROOT, 'examples/github-actions/flightdeck.yml'), 'utf8')) as { on: { push: { branches: string[] } }; jobs: Record<string, { env: Record<string, string> }> };
    expect(gh.on.push.branches).toEqual(['main']);
    const job = Object.values(gh.jobs)[0]!;
    expect(job.env.FLIGHTDECK_API_KEY).toBe('${{ secrets.FLIGHTDECK_API_KEY }}');
    expect(job.env.FLIGHTDECK_URL).toBe('${{ vars.FLIGHTDECK_URL }}');
  });
});
