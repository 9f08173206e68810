#!/usr/bin/env node
// Flightdeck command-line client: register versions, report gate checks and drive releases from
// CI through the public /api/v1 — nothing else. Dependency-free on Node >= 20 (fetch, parseArgs);
// the `yaml` package is imported only when a .yaml/.yml manifest is read.
//
// Exit codes: 0 success · 1 the API refused, a file could not be read, or `wait` saw the release
// fail (rolled_back, aborted, rejected) · 2 `wait` timed out · 3 the server could not be reached ·
// 64 usage error (EX_USAGE).

import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';

const EXIT = { ok: 0, failed: 1, timeout: 2, network: 3, usage: 64 };
const DEFAULT_URL = 'http://localhost:3000';
const REQUEST_TIMEOUT_MS = 30_000;
const CHECK_STATUSES = ['passed', 'failed', 'running', 'skipped'];
const STRATEGIES = ['canary', 'blue_green', 'shadow', 'immediate'];
const TERMINAL = ['promoted', 'rolled_back', 'aborted', 'rejected'];
const VERSION = cliVersion();

// ---------------------------------------------------------------------------------------------
// Errors: each kind knows its exit code.

class UsageError extends Error {
  constructor(message, command) {
    super(message);
    this.command = command;
  }
}
class CliError extends Error {
  constructor(message, exitCode = EXIT.failed, lines = []) {
    super(message);
    this.exitCode = exitCode;
    this.lines = lines;
  }
}
class ApiError extends Error {
  constructor({ method, url, status, statusText, body, text, requestId, apiKeySent }) {
    super(`${method} ${url} answered HTTP ${status}`);
    Object.assign(this, { method, url, status, statusText, body, text, requestId, apiKeySent });
  }
}
class NetworkError extends Error {
  constructor(url, cause) {
    super(`cannot reach Flightdeck at ${url}: ${describeNetworkError(cause)}`);
    this.url = url;
  }
}

function describeNetworkError(error) {
  if (error?.name === 'TimeoutError') return `no answer within ${REQUEST_TIMEOUT_MS / 1000} s`;
  const cause = error?.cause;
  if (cause?.code && cause?.message) return cause.message;
  if (cause?.code) return cause.code;
  return error?.message ?? String(error);
}

// ---------------------------------------------------------------------------------------------
// Commands. Each has its usage text, its own options (besides the global ones) and positionals.

const GLOBAL_USAGE = `Global options:
  --url <url>          Flightdeck base URL (env FLIGHTDECK_URL, default ${DEFAULT_URL})
  --api-key <key>      API key sent as "Authorization: Bearer" (env FLIGHTDECK_API_KEY)
  --json               print the API's JSON answer on stdout (one document) instead of text
  -h, --help           usage of a command
  --version            print the client's version`;

const COMMANDS = {
  register: {
    summary: 'register a model version from a JSON or YAML manifest',
    usage: `flightdeck register <manifest.json|manifest.yaml> [--set field=value ...] [--create-model --owner-team <team>]

  The manifest is the body of POST /api/v1/models/{model}/versions plus "model", which selects
  the path: version, artifactUri, artifactDigest (sha256:…), and optionally gitCommit,
  dataSnapshotId, dataSnapshotHash, hyperparameters, offlineMetrics, contract, parentVersion, tags.
  201 registers it; 200 means the identical version was already registered (a CI re-run).

  --set field=value    override a top-level manifest field with a string (repeatable),
                       e.g. --set gitCommit=$GITHUB_SHA
  --create-model       create the model first (POST /api/v1/models); "already exists" is fine
  --owner-team <team>  the owning team, required with --create-model
  --description <text> the model's description, with --create-model`,
    positionals: ['manifest'],
    options: {
      set: { type: 'string', multiple: true },
      'create-model': { type: 'boolean' },
      'owner-team': { type: 'string' },
      description: { type: 'string' },
    },
    run: register,
  },
  check: {
    summary: 'report a gate check (e.g. from a JUnit report) for a version',
    usage: `flightdeck check <model> <version> --kind <kind> --status <passed|failed|running|skipped>
                  [--measurement key=value ...] [--summary <text>] [--link <url>] [--junit <report.xml> ...]

  --kind <kind>            unit, smoke, data_drift, performance, quality_regression, safety, contract
  --status <status>        passed, failed, running or skipped (derived from --junit when omitted)
  --measurement key=value  a numeric measurement (repeatable), e.g. --measurement primary_metric=0.93
  --summary <text>         one line for people
  --link <url>             where the details are (the CI job, say)
  --junit <report.xml>     derive the status and the measurements tests, failures, errors, skipped
                           from a JUnit XML report (repeatable: the reports are added up)

  JUnit parsing is deliberately simple (regular expressions, no XML parser): comments and CDATA
  are dropped; each of tests/failures/errors/skipped is read from the root <testsuites> element
  when it carries that attribute, otherwise summed over the <testsuite> elements; a report whose
  elements carry no counts at all is counted by its <testcase>, <failure>, <error> and <skipped>
  elements. Status: failed when failures + errors > 0, passed when at least one test ran,
  skipped otherwise. An explicit --status, --summary or --measurement wins over the report.`,
    positionals: ['model', 'version'],
    options: {
      kind: { type: 'string' },
      status: { type: 'string' },
      measurement: { type: 'string', multiple: true },
      summary: { type: 'string' },
      link: { type: 'string' },
      junit: { type: 'string', multiple: true },
    },
    run: check,
  },
  release: {
    summary: 'request a release; prints its id',
    usage: `flightdeck release <model> <version> --environment <env> [--strategy canary|blue_green|shadow|immediate]
                    [--reason <text>] [--start]

  Prints the release id alone on stdout (ID=$(flightdeck release …)); the rest goes to stderr.
  The strategy defaults to the server's (canary). A release the environment lets through without
  approvals is "approved" and waits for someone to start it; --start starts it at once
  (POST …/{id}/start). One that needs approvals stays pending_approval: see wait --start.
  --json prints the created release, or with --start the release as started.`,
    positionals: ['model', 'version'],
    options: {
      environment: { type: 'string', short: 'e' },
      strategy: { type: 'string' },
      reason: { type: 'string' },
      start: { type: 'boolean' },
    },
    run: release,
  },
  approve: {
    summary: 'approve a release waiting for approval',
    usage: `flightdeck approve <releaseId> [--comment <text>]`,
    positionals: ['releaseId'],
    options: { comment: { type: 'string' } },
    run: approve,
  },
  start: {
    summary: 'start an approved release (its first step takes traffic)',
    usage: `flightdeck start <releaseId>`,
    positionals: ['releaseId'],
    options: {},
    run: start,
  },
  rollback: {
    summary: 'roll a release back (all traffic to the baseline); opens an incident',
    usage: `flightdeck rollback <releaseId> --reason <text>`,
    positionals: ['releaseId'],
    options: { reason: { type: 'string' } },
    run: rollback,
  },
  status: {
    summary: "a release's state, step, weight and last analysis",
    usage: `flightdeck status <releaseId>

  --json prints GET /api/v1/releases/{id} as it is (the analyses are at …/{id}/metrics).`,
    positionals: ['releaseId'],
    options: {},
    run: status,
  },
  wait: {
    summary: 'block until a release is promoted (exit 0) or fails (exit 1); 2 on timeout',
    usage: `flightdeck wait <releaseId> [--timeout 30m] [--interval 5s] [--start]

  Polls GET /api/v1/releases/{id} until the release is promoted (exit 0), rolled_back, aborted or
  rejected (exit 1, with the incident and why, the rejection, the last analysis), or the timeout passes
  (exit 2). Progress (state, step, weight) goes to stderr. Durations: 500ms, 90s, 5m, 1h; a bare
  number is seconds. Once the release has been read, network errors and 429/502/503/504 answers
  are retried until the timeout. --start starts the release when it is (or becomes) approved, so
  a pipeline can wait through a human approval and then roll out; without it an approved release
  waits for someone to start it.`,
    positionals: ['releaseId'],
    options: { timeout: { type: 'string' }, interval: { type: 'string' }, start: { type: 'boolean' } },
    run: wait,
  },
};

const GLOBAL_OPTIONS = {
  url: { type: 'string' },
  'api-key': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
};

function mainUsage() {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  return `Flightdeck CLI ${VERSION} — register, check and release models through /api/v1

Usage: flightdeck <command> [arguments] [options]

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`)
  .join('\n')}
  ${'help'.padEnd(width)}  usage of every command (flightdeck help <command> for one)

${GLOBAL_USAGE}

Exit codes: 0 ok · 1 API error or failed release · 2 wait timed out · 3 server unreachable · 64 usage error`;
}

const commandUsage = (name) => `Usage: ${COMMANDS[name].usage}\n\n${GLOBAL_USAGE}`;

// ---------------------------------------------------------------------------------------------
// Entry point.

async function main(argv) {
  const { command, rest } = splitCommand(argv);
  if (!command) {
    if (rest.includes('--version')) return void out(VERSION);
    if (rest.includes('--help') || rest.includes('-h')) return void out(mainUsage());
    if (rest.length === 0) return void out(mainUsage());
    throw new UsageError(`expected a command (${Object.keys(COMMANDS).join(', ')}, help)`);
  }
  if (command === 'help') {
    const topic = rest.find((a) => !a.startsWith('-'));
    if (!topic) return void out(`${mainUsage()}\n\n${Object.keys(COMMANDS).map((c) => `Usage: ${COMMANDS[c].usage}`).join('\n\n')}`);
    if (!COMMANDS[topic]) throw new UsageError(`unknown command "${topic}"`);
    return void out(commandUsage(topic));
  }
  const spec = COMMANDS[command];
  if (!spec) throw new UsageError(`unknown command "${command}"`);

  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: { ...GLOBAL_OPTIONS, ...spec.options }, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(error.message.split('. To specify')[0], command);
  }
  const { values, positionals } = parsed;
  if (values.help) return void out(commandUsage(command));
  if (values.version) return void out(VERSION);
  if (positionals.length !== spec.positionals.length) {
    const names = spec.positionals.map((p) => `<${p}>`).join(' ');
    throw new UsageError(
      positionals.length < spec.positionals.length ? `missing ${names.split(' ').slice(positionals.length).join(' ')}` : `unexpected argument "${positionals[spec.positionals.length]}"`,
      command,
    );
  }
  const ctx = context(values, command);
  return spec.run(ctx, positionals, values);
}

/** The command is the first argument that is neither an option nor a global option's value. */
function splitCommand(argv) {
  const rest = [...argv];
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (arg === '--') break;
    if (arg === '--url' || arg === '--api-key') {
      i++;
      continue;
    }
    if (!arg.startsWith('-')) {
      rest.splice(i, 1);
      return { command: arg, rest };
    }
  }
  return { command: null, rest };
}

function context(values, command) {
  const raw = (values.url ?? process.env.FLIGHTDECK_URL ?? '').trim() || DEFAULT_URL;
  let base;
  try {
    base = new URL(raw);
  } catch {
    throw new UsageError(`the Flightdeck URL "${raw}" is not a URL (set FLIGHTDECK_URL or --url, e.g. ${DEFAULT_URL})`, command);
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new UsageError(`the Flightdeck URL "${raw}" must be http(s)`, command);
  // Accept the server's root or its API root: https://fd.example.com and …/api/v1 both work.
  const root = base.href.replace(/[?#].*$/, '').replace(/\/+$/, '').replace(/\/api\/v1$/, '');
  const apiKey = (values['api-key'] ?? process.env.FLIGHTDECK_API_KEY ?? '').trim() || null;
  return { api: `${root}/api/v1`, apiKey, json: Boolean(values.json), command };
}

// ---------------------------------------------------------------------------------------------
// HTTP.

async function request(ctx, method, pathname, body) {
  const url = ctx.api + pathname;
  const headers = { accept: 'application/json', 'user-agent': `flightdeck-cli/${VERSION} node/${process.versions.node}` };
  if (ctx.apiKey) headers.authorization = `Bearer ${ctx.apiKey}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let res, text;
  try {
    res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    text = await res.text();
  } catch (error) {
    throw new NetworkError(url, error);
  }
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = undefined;
  }
  const requestId = res.headers.get('x-request-id');
  if (!res.ok) throw new ApiError({ method, url, status: res.status, statusText: res.statusText, body: data ?? null, text, requestId, apiKeySent: Boolean(ctx.apiKey) });
  if (data === undefined)
    throw new CliError(`${method} ${url} answered HTTP ${res.status} with something other than JSON: is ${ctx.api.replace(/\/api\/v1$/, '')} a Flightdeck server?`);
  return { status: res.status, data, requestId };
}

const enc = encodeURIComponent;

// ---------------------------------------------------------------------------------------------
// register

async function register(ctx, [file], opts) {
  if (opts['create-model'] && !opts['owner-team']?.trim()) throw new UsageError('--create-model needs --owner-team <team>', 'register');
  if (!opts['create-model'] && (opts['owner-team'] || opts.description)) throw new UsageError('--owner-team and --description only apply with --create-model', 'register');
  const manifest = await readManifest(file);
  for (const assignment of opts.set ?? []) {
    const eq = assignment.indexOf('=');
    if (eq < 1) throw new UsageError(`--set expects field=value, got "${assignment}"`, 'register');
    manifest[assignment.slice(0, eq).trim()] = assignment.slice(eq + 1);
  }
  const { model, ...body } = manifest;
  if (typeof model !== 'string' || !model.trim())
    throw new CliError(`${file}: "model" is missing: the manifest names its model (it selects POST /api/v1/models/{model}/versions)`);

  if (opts['create-model']) {
    const payload = { name: model, ownerTeam: opts['owner-team'].trim(), ...(opts.description ? { description: opts.description } : {}) };
    try {
      await request(ctx, 'POST', '/models', payload);
      err(`Created model ${model} (owner team ${payload.ownerTeam}).`);
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 409)) throw error;
      err(`Model ${model} already exists.`);
    }
  }

  const { status, data } = await request(ctx, 'POST', `/models/${enc(model)}/versions`, body);
  if (ctx.json) return void printJson(data);
  const version = data?.version ?? body.version;
  out(status === 201 ? `Registered ${model} ${version}.` : `${model} ${version} is already registered with this content (unchanged).`);
}

async function readManifest(file) {
  const text = await readText(file, 'manifest');
  const ext = path.extname(file).toLowerCase();
  let value;
  if (ext === '.yaml' || ext === '.yml') {
    let yaml;
    try {
      yaml = await import('yaml');
    } catch {
      throw new CliError(`${file}: reading a YAML manifest needs the "yaml" package (npm install yaml), which is not installed; or use a JSON manifest.`);
    }
    const parse = yaml.parse ?? yaml.default?.parse;
    try {
      value = parse(text);
    } catch (error) {
      throw new CliError(`${file}: not valid YAML: ${error.message.split('\n')[0]}`);
    }
  } else {
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new CliError(`${file}: not valid JSON: ${error.message}`);
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new CliError(`${file}: the manifest must be an object with model, version, artifactUri, artifactDigest, …`);
  return value;
}

async function readText(file, what) {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read the ${what} ${file}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`);
  }
}

// ---------------------------------------------------------------------------------------------
// check

async function check(ctx, [model, version], opts) {
  if (!opts.kind) throw new UsageError('--kind is required', 'check');
  if (!opts.status && !opts.junit?.length) throw new UsageError('--status is required (or --junit <report.xml> to derive it)', 'check');
  if (opts.status && !CHECK_STATUSES.includes(opts.status)) throw new UsageError(`--status must be one of ${CHECK_STATUSES.join(', ')}, got "${opts.status}"`, 'check');

  const explicit = {};
  for (const m of opts.measurement ?? []) {
    const eq = m.indexOf('=');
    const key = eq > 0 ? m.slice(0, eq).trim() : '';
    const raw = eq > 0 ? m.slice(eq + 1).trim() : '';
    const value = Number(raw);
    if (!key || raw === '' || !Number.isFinite(value)) throw new UsageError(`--measurement expects key=number, got "${m}"`, 'check');
    explicit[key] = value;
  }

  let derived = null;
  if (opts.junit?.length) {
    const totals = { tests: 0, failures: 0, errors: 0, skipped: 0 };
    for (const file of opts.junit) {
      const counts = parseJUnit(await readText(file, 'JUnit report'), file);
      for (const k of Object.keys(totals)) totals[k] += counts[k];
    }
    const ran = totals.tests - totals.skipped;
    derived = {
      status: totals.failures + totals.errors > 0 ? 'failed' : ran > 0 ? 'passed' : 'skipped',
      measurements: totals,
      summary: `JUnit ${opts.junit.map((f) => path.basename(f)).join(', ')}: ${totals.tests} tests, ${totals.failures} failures, ${totals.errors} errors, ${totals.skipped} skipped`,
    };
  }

  const body = {
    kind: opts.kind,
    status: opts.status ?? derived.status,
    measurements: { ...(derived?.measurements ?? {}), ...explicit },
    ...(opts.summary ?? derived?.summary ? { summary: opts.summary ?? derived.summary } : {}),
    ...(opts.link ? { link: opts.link } : {}),
  };
  const { data } = await request(ctx, 'POST', `/models/${enc(model)}/versions/${enc(version)}/checks`, body);
  if (ctx.json) return void printJson(data);
  const outcome = data?.outcome ? ` (${data.outcome})` : '';
  out(`${body.kind} check of ${model} ${version}: ${data?.status ?? body.status}${outcome}${body.summary ? ` — ${body.summary}` : ''}`);
}

/**
 * Counts from a JUnit XML report, by regular expressions rather than an XML parser (see the usage
 * of `check`): root <testsuites> attributes when present, else the sum over <testsuite> elements,
 * else the <testcase>/<failure>/<error>/<skipped> elements themselves.
 */
function parseJUnit(xml, file = 'report') {
  const clean = xml.replace(/<!--[\s\S]*?-->/g, '').replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, '');
  const attrs = (tag) => {
    const found = {};
    for (const m of tag.matchAll(/([A-Za-z_][\w:.-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) found[m[1]] = m[2] ?? m[3];
    return found;
  };
  const count = (v) => {
    const n = Number.parseFloat(v);
    return Number.isFinite(n) && n >= 0 ? Math.round(n) : 0;
  };
  const rootTag = clean.match(/<testsuites\b[^>]*>/);
  const root = rootTag ? attrs(rootTag[0]) : {};
  const suites = [...clean.matchAll(/<testsuite\b[^>]*>/g)].map((m) => attrs(m[0]));
  const keys = ['tests', 'failures', 'errors', 'skipped'];
  const result = {};
  let fromAttributes = false;
  for (const key of keys) {
    if (root[key] !== undefined) {
      result[key] = count(root[key]);
      fromAttributes = true;
    } else {
      const present = suites.filter((s) => s[key] !== undefined);
      if (present.length) fromAttributes = true;
      result[key] = present.reduce((sum, s) => sum + count(s[key]), 0);
    }
  }
  if (!fromAttributes) {
    const elements = (name) => (clean.match(new RegExp(`<${name}\\b`, 'g')) ?? []).length;
    if (!rootTag && !suites.length && !elements('testcase')) throw new CliError(`${file}: not a JUnit XML report (no <testsuites>, <testsuite> or <testcase> element)`);
    return { tests: elements('testcase'), failures: elements('failure'), errors: elements('error'), skipped: elements('skipped') };
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// release, approve, rollback

async function release(ctx, [model, version], opts) {
  if (!opts.environment) throw new UsageError('--environment is required', 'release');
  if (opts.strategy && !STRATEGIES.includes(opts.strategy)) throw new UsageError(`--strategy must be one of ${STRATEGIES.join(', ')}, got "${opts.strategy}"`, 'release');
  const body = { model, version, environment: opts.environment, ...(opts.strategy ? { strategy: opts.strategy } : {}), ...(opts.reason ? { reason: opts.reason } : {}) };
  const { data } = await request(ctx, 'POST', '/releases', body);
  let doc = data;
  if (!ctx.json) err(`Requested a ${data?.strategy ?? opts.strategy ?? 'canary'} release of ${model} ${version} to ${opts.environment}: ${data?.state ?? 'requested'}.`);
  if (opts.start && data?.state === 'approved') {
    doc = (await startRelease(ctx, data.id)) ?? data;
  } else if (opts.start) {
    err(`Release ${data?.id} is ${data?.state}: it starts once approved (flightdeck wait ${data?.id} --start).`);
  }
  if (ctx.json) return void printJson(doc);
  out(data?.id ?? '');
}

/** POST …/start; a release someone else started meanwhile (409) is fine. Returns the release, or null. */
async function startRelease(ctx, id) {
  try {
    const { data } = await request(ctx, 'POST', `/releases/${enc(id)}/start`, {});
    if (!ctx.json) err(`Started release ${id}: ${progressLine(data?.release)}.`);
    return data?.release ?? null;
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 409)) throw error;
    if (!ctx.json) err(`Release ${id} was not started: ${apiMessage(error)}`);
    return null;
  }
}

async function start(ctx, [id]) {
  const { data } = await request(ctx, 'POST', `/releases/${enc(id)}/start`, {});
  if (ctx.json) return void printJson(data);
  out(data?.changed === false ? `Release ${id}: no change (${data.note ?? 'already started'}).` : `Release ${id} started: ${progressLine(data?.release)}.`);
}

async function approve(ctx, [id], opts) {
  const { data } = await request(ctx, 'POST', `/releases/${enc(id)}/approve`, opts.comment ? { comment: opts.comment } : {});
  if (ctx.json) return void printJson(data);
  const state = data?.release?.state ?? 'unknown';
  out(data?.changed === false ? `Release ${id}: no change (${data.note ?? 'unchanged'}); state ${state}.` : `Release ${id} approved; state ${state}.`);
}

async function rollback(ctx, [id], opts) {
  if (!opts.reason?.trim()) throw new UsageError('--reason is required (it goes into the incident)', 'rollback');
  const { data } = await request(ctx, 'POST', `/releases/${enc(id)}/rollback`, { reason: opts.reason });
  if (ctx.json) return void printJson(data);
  if (data?.changed === false) return void out(`Release ${id}: no change (${data.note ?? 'already rolled back'}).`);
  const incident = data?.incidentId ?? data?.release?.incident?.id;
  out(`Release ${id} rolled back: all traffic to the baseline${incident ? `; incident ${incident}` : ''}.`);
}

// ---------------------------------------------------------------------------------------------
// status, wait

function stepOf(r) {
  const total = Array.isArray(r?.steps) ? r.steps.length : 0;
  const step = Number.isInteger(r?.currentStep) ? r.currentStep + 1 : null;
  return step === null ? '–' : total ? `${step}/${total}` : String(step);
}
const progressLine = (r) => `${r?.state ?? 'unknown'}, step ${stepOf(r)}, weight ${r?.currentWeight ?? 0} %`;

/** The newest analysis verdict (GET …/metrics), or null; never fails the command. */
async function lastAnalysis(ctx, id) {
  try {
    const { data } = await request(ctx, 'GET', `/releases/${enc(id)}/metrics`);
    const verdicts = Array.isArray(data?.verdicts) ? data.verdicts : [];
    return verdicts.length ? verdicts[verdicts.length - 1] : null;
  } catch {
    return null;
  }
}

/** "Rolled back by <who>: <reason>" from the incident's timeline (GET /incidents/{id}), or null. */
async function rollbackReason(ctx, incidentId) {
  try {
    const { data } = await request(ctx, 'GET', `/incidents/${enc(incidentId)}`);
    const entry = (Array.isArray(data?.timeline) ? data.timeline : []).find((e) => typeof e?.title === 'string' && /^rolled back\b/i.test(e.title));
    return entry ? entry.title : null;
  } catch {
    return null;
  }
}

function describeAnalysis(a) {
  const score = typeof a.score === 'number' ? `, score ${Math.round(a.score * 100) / 100}` : '';
  const step = Number.isInteger(a.step) ? ` at step ${a.step + 1}` : '';
  return `${a.verdict}${score}${step}${a.intervalEnd ? ` (${a.intervalEnd})` : ''}${a.summary ? `: ${a.summary}` : ''}`;
}

async function status(ctx, [id]) {
  const { data: r } = await request(ctx, 'GET', `/releases/${enc(id)}`);
  if (ctx.json) return void printJson(r);
  const analysis = await lastAnalysis(ctx, id);
  const lines = [
    `Release   ${r.id ?? id}: ${r.model} ${r.version} → ${r.environment}${r.strategy ? ` (${r.strategy})` : ''}`,
    `State     ${r.state}`,
    `Step      ${stepOf(r)}`,
    `Weight    ${r.currentWeight ?? 0} %`,
  ];
  if (r.baselineVersion) lines.push(`Baseline  ${r.baselineVersion}`);
  const reviews = (r.approvals ?? []).filter((a) => !a.voidedAt);
  if (reviews.length) lines.push(`Reviews   ${reviews.map((a) => `${a.decision} by ${a.reviewer}${a.comment ? ` ("${a.comment}")` : ''}`).join('; ')}`);
  if (analysis) lines.push(`Analysis  ${describeAnalysis(analysis)}`);
  if (r.incident) lines.push(`Incident  ${r.incident.title ?? ''} (${r.incident.id})`);
  out(lines.join('\n'));
}

function parseDuration(text, flag) {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)?$/.exec(String(text).trim());
  if (!m) throw new UsageError(`${flag} expects a duration such as 500ms, 90s, 5m or 1h, got "${text}"`, 'wait');
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] ?? 's'];
  return Number(m[1]) * unit;
}

const TRANSIENT_STATUSES = new Set([429, 502, 503, 504]);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const clock = () => new Date().toISOString().slice(11, 19);

async function wait(ctx, [id], opts) {
  const timeoutMs = parseDuration(opts.timeout ?? '30m', '--timeout');
  const intervalMs = parseDuration(opts.interval ?? '5s', '--interval');
  if (intervalMs <= 0) throw new UsageError('--interval must be more than 0', 'wait');
  const deadline = Date.now() + timeoutMs;
  let last = null;
  let lastLine = null;
  let lastPrinted = 0;
  let startTried = false;
  let hinted = false;

  for (;;) {
    try {
      last = (await request(ctx, 'GET', `/releases/${enc(id)}`)).data;
    } catch (error) {
      // The first read must work (a wrong URL, key or id fails fast); later blips are retried.
      const transient = error instanceof NetworkError || (error instanceof ApiError && TRANSIENT_STATUSES.has(error.status));
      if (!last || !transient) throw error;
      err(`${clock()} ${error instanceof NetworkError ? error.message : `${error.message} (${apiMessage(error)})`}; retrying`);
    }
    if (last) {
      const line = progressLine(last);
      if (line !== lastLine || Date.now() - lastPrinted >= 60_000) {
        err(`${clock()} release ${id}: ${line}`);
        lastLine = line;
        lastPrinted = Date.now();
      }
      if (TERMINAL.includes(last.state)) return finish(ctx, id, last);
      if (last.state === 'approved' && opts.start && !startTried) {
        startTried = true;
        const started = await startRelease({ ...ctx, json: false }, id);
        if (started) continue;
      } else if (last.state === 'approved' && !opts.start && !hinted) {
        hinted = true;
        err(`${clock()} release ${id} is approved but not started: start it (flightdeck start ${id}), or wait with --start`);
      }
    }
    const remaining = deadline - Date.now();
    if (remaining <= 0) {
      if (ctx.json && last) printJson(last);
      throw new CliError(`timed out after ${opts.timeout ?? '30m'} waiting for release ${id}${last ? ` (still ${progressLine(last)})` : ''}`, EXIT.timeout);
    }
    await sleep(Math.min(intervalMs, remaining));
  }
}

async function finish(ctx, id, r) {
  const what = `${r.model ?? ''} ${r.version ?? ''}`.trim() || 'the version';
  if (r.state === 'promoted') {
    if (ctx.json) printJson(r);
    else out(`Release ${id} promoted: ${what} takes all of ${r.environment ?? 'the environment'}'s traffic.`);
    return EXIT.ok;
  }
  const lines = [];
  if (r.incident) {
    lines.push(`incident: ${r.incident.title ?? 'opened'} (${r.incident.id})`);
    const why = await rollbackReason(ctx, r.incident.id);
    if (why) lines.push(`why: ${why}`);
  }
  if (r.state === 'rejected') {
    const rejection = [...(r.approvals ?? [])].reverse().find((a) => a.decision === 'reject');
    if (rejection) lines.push(`rejected by ${rejection.reviewer}${rejection.comment ? `: ${rejection.comment}` : ''}`);
  }
  const analysis = r.state === 'rejected' ? null : await lastAnalysis(ctx, id);
  if (analysis) lines.push(`last analysis: ${describeAnalysis(analysis)}`);
  if (ctx.json) printJson(r);
  throw new CliError(`release ${id} ${r.state.replaceAll('_', ' ')}: ${what} did not reach ${r.environment ?? 'its environment'}`, EXIT.failed, lines);
}

function apiMessage(error) {
  return error.body?.error?.message ?? (error.statusText || 'no message');
}

// ---------------------------------------------------------------------------------------------
// Output.

function out(text) {
  process.stdout.write(`${text}\n`);
}
function err(text) {
  process.stderr.write(`${text}\n`);
}
function printJson(value) {
  out(JSON.stringify(value, null, 2));
}

function cliVersion() {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    if (pkg.name === 'flightdeck' && typeof pkg.version === 'string') return pkg.version;
  } catch {
    // Vendored on its own: fall through.
  }
  return '0.1.0';
}

/** Prints an error the way a person in a CI log needs it, and returns the exit code. */
function report(error, argv) {
  const json = argv.includes('--json');
  if (error instanceof UsageError) {
    err(`flightdeck: ${error.message}\n`);
    err(error.command ? commandUsage(error.command) : mainUsage());
    return EXIT.usage;
  }
  if (error instanceof NetworkError) {
    err(`flightdeck: ${error.message}`);
    return EXIT.network;
  }
  if (error instanceof ApiError) {
    if (json && error.body) printJson(error.body);
    const e = error.body?.error;
    const code = e?.code ? ` ${e.code}` : error.statusText ? ` ${error.statusText}` : '';
    const lines = [`flightdeck: ${error.method} ${error.url} failed: HTTP ${error.status}${code}: ${e?.message ?? (error.text?.trim().slice(0, 200) || 'no message')}`];
    const details = e?.details ?? {};
    for (const [field, messages] of Object.entries(details.fields ?? {})) {
      for (const message of [].concat(messages)) lines.push(`  ${field || '(body)'}: ${message}`);
    }
    if (Array.isArray(details.unmet)) for (const u of details.unmet) lines.push(`  unmet: ${u?.reason ?? JSON.stringify(u)}`);
    for (const [key, value] of Object.entries(details)) {
      if (key === 'fields' || key === 'unmet') continue;
      lines.push(`  ${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`);
    }
    if (error.status === 401 && !error.apiKeySent) lines.push('  hint: set FLIGHTDECK_API_KEY (or pass --api-key) to an API key with the needed scopes');
    if (error.requestId) lines.push(`  request id: ${error.requestId}`);
    err(lines.join('\n'));
    return EXIT.failed;
  }
  if (error instanceof CliError) {
    err([`flightdeck: ${error.message}`, ...error.lines.map((l) => `  ${l}`)].join('\n'));
    return error.exitCode;
  }
  err(`flightdeck: unexpected error: ${error?.stack ?? error}`);
  return EXIT.failed;
}

const argv = process.argv.slice(2);
main(argv).then(
  (code) => {
    process.exitCode = typeof code === 'number' ? code : EXIT.ok;
  },
  (error) => {
    process.exitCode = report(error, argv);
  },
);
