import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';
import type { MlflowMetric, MlflowModelVersion, MlflowTag } from './mlflow-shapes';
import { ModelName } from './model';
import { parseSemver } from './semver';

/**
 * Field by field, how an MLflow record becomes what Flightdeck registers. Each function is small
 * and total: it returns a value (and warnings for anything lossy) or null when nothing usable is
 * left, and the caller decides whether null skips the version.
 */

/**
 * An MLflow registered-model name as a Flightdeck model name: accents dropped, lower-cased, every
 * run of other characters one dash, trimmed to 63. "Fraud Detector" → "fraud-detector",
 * "fraud_detector.v2" → "fraud-detector-v2". Two MLflow names can land on one slug; the sync has
 * to notice that, this function cannot.
 */
export function flightdeckModelName(mlflowName: string): string | null {
  const slug = mlflowName
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  return ModelName.safeParse(slug).success ? slug : null;
}

/** Version tags that carry the semantic version a team gave the MLflow version, first one wins. */
export const SEMVER_TAG_KEYS = ['flightdeck.version', 'semver'] as const;

export type VersionMapping = { version: string; from: 'tag' | 'number'; warnings: string[] };

/**
 * The Flightdeck version of an MLflow version: a valid semver tag, else `<n>.0.0`. Every MLflow
 * version is then a major bump over the previous one, so the registry's contract check (which
 * refuses a bump smaller than the contract change) never refuses an import. Null when neither a
 * tag nor the number gives a version.
 */
export function versionFromMlflow(v: Pick<MlflowModelVersion, 'version' | 'tags'>): VersionMapping | null {
  const warnings: string[] = [];
  for (const key of SEMVER_TAG_KEYS) {
    const value = v.tags.find((t) => t.key === key)?.value.trim();
    if (value === undefined) continue;
    if (parseSemver(value)) return { version: value, from: 'tag', warnings };
    warnings.push(`version tag ${key}=${JSON.stringify(value.slice(0, 40))} is not a semantic version; ignored`);
  }
  if (!/^\d{1,15}$/.test(v.version)) return null;
  return { version: `${Number(v.version)}.0.0`, from: 'number', warnings };
}

const FLIGHTDECK_URI = /^[a-z][a-z0-9+.-]*:\/\/\S+$/i;

/**
 * Where the artifact lives, as a URI Flightdeck accepts (scheme://…). MLflow writes several forms:
 * - `runs:/<run_id>/<path>`: resolved against the run's artifact_uri when the run is known, so the
 *   record names real storage (s3://…/artifacts/<path>); otherwise kept as a runs URI.
 * - `scheme:/path` without an authority (`mlflow-artifacts:/1/…`, MLflow 3's `models:/m-<id>`):
 *   written `scheme:///path`. An empty authority leaves the path unchanged (RFC 3986 §3.2), and
 *   MLflow's own parsers (urllib.parse) read both spellings the same.
 * - an absolute local path: `file://` + path.
 * Whitespace is percent-encoded. Null for a relative path or an opaque `scheme:thing`.
 */
export function artifactUriFromSource(source: string, runArtifactUri?: string | null): string | null {
  let uri = source.trim();
  const runs = /^runs:\/+[^/]+\/?(.*)$/.exec(uri);
  if (runs && runArtifactUri) uri = joinPath(runArtifactUri.trim(), runs[1]!);
  if (uri.startsWith('/')) uri = `file://${uri}`;
  uri = uri.replace(/^([a-z][a-z0-9+.-]*):\/(?!\/)/i, '$1:///').replace(/\s/g, (c) => encodeURIComponent(c));
  return FLIGHTDECK_URI.test(uri) && uri.length <= 2000 ? uri : null;
}

function joinPath(base: string, path: string): string {
  return path ? `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}` : base;
}

/** Version tags a pipeline may set to the real sha256 of the artifact. */
export const DIGEST_TAG_KEYS = ['artifact_digest', 'sha256'] as const;

export type DigestMapping = { digest: string; from: 'tag' | 'mlflow-identity'; warnings: string[] };

/**
 * The artifact digest. MLflow does not hash model artifacts, so unless a pipeline tagged the
 * version with the real one (`sha256:<hex>` or bare 64 hex), the digest is derived from the MLflow
 * identity: sha256 of the canonical JSON of { name, version, source, run_id }. That digest
 * identifies the MLflow record, not the bytes: it stays the same if someone overwrites the files at
 * the source, and it changes if the same bytes are registered again.
 */
export function artifactDigestFromMlflow(v: Pick<MlflowModelVersion, 'name' | 'version' | 'source' | 'run_id' | 'tags'>): DigestMapping {
  const warnings: string[] = [];
  for (const key of DIGEST_TAG_KEYS) {
    const value = v.tags.find((t) => t.key === key)?.value.trim().toLowerCase();
    if (value === undefined) continue;
    const hex = /^(?:sha256:)?([0-9a-f]{64})$/.exec(value)?.[1];
    if (hex) return { digest: `sha256:${hex}`, from: 'tag', warnings };
    warnings.push(`version tag ${key} is not a sha256 digest; the digest is derived from the MLflow record instead`);
  }
  // Absent and empty fields hash alike (null): MLflow leaves empty strings out of its JSON.
  const identity = { name: v.name, version: v.version, source: v.source || null, run_id: v.run_id || null };
  return { digest: `sha256:${createHash('sha256').update(canonicalJson(identity), 'utf8').digest('hex')}`, from: 'mlflow-identity', warnings };
}

/** The run tag MLflow sets from the repository the training ran in. */
export const GIT_COMMIT_TAG = 'mlflow.source.git.commit';

export function gitCommitFromTags(runTags: readonly MlflowTag[]): string | undefined {
  const value = runTags.find((t) => t.key === GIT_COMMIT_TAG)?.value.trim().toLowerCase();
  return value && /^[0-9a-f]{7,64}$/.test(value) ? value : undefined;
}

/** RegisterVersionInput's limits. */
export const LIMITS = { entries: 500, key: 200, value: 2000, tags: 50, tag: 64 } as const;

const byKey = (a: { key: string }, b: { key: string }) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/**
 * Run params as hyperparameters (strings, as MLflow stores them). A value over 2,000 characters is
 * cut and ends in "…" so nobody mistakes it for the whole; a key over 200 is dropped, since a cut
 * key could collide with another; past 500 the first 500 by key are kept.
 */
export function hyperparametersFromParams(params: readonly MlflowTag[], warnings: string[]): Record<string, string> {
  const usable = [...params].sort(byKey).filter((p) => {
    if (p.key.length > 0 && p.key.length <= LIMITS.key) return true;
    warnings.push(`param "${p.key.slice(0, 40)}…" has a key longer than ${LIMITS.key} characters; dropped`);
    return false;
  });
  if (usable.length > LIMITS.entries) warnings.push(`run has ${usable.length} params; only the first ${LIMITS.entries} by name are kept`);
  const entries = usable.slice(0, LIMITS.entries).map((p): [string, string] => {
    if (p.value.length <= LIMITS.value) return [p.key, p.value];
    warnings.push(`param "${p.key}" is ${p.value.length} characters; cut to ${LIMITS.value}`);
    return [p.key, `${p.value.slice(0, LIMITS.value - 1)}…`];
  });
  return Object.fromEntries(entries);
}

/**
 * Run metrics as offline metrics: the latest value per key (highest step, then latest timestamp),
 * finite values only (NaN and ±Infinity have no JSON form and no meaning on a chart).
 */
export function offlineMetricsFromMetrics(metrics: readonly MlflowMetric[], warnings: string[]): Record<string, number> {
  const latest = new Map<string, MlflowMetric>();
  for (const m of metrics) {
    const seen = latest.get(m.key);
    if (!seen || later(m, seen)) latest.set(m.key, m);
  }
  const usable = [...latest.values()].sort(byKey).filter((m) => {
    if (m.key.length === 0 || m.key.length > LIMITS.key) {
      warnings.push(`metric "${m.key.slice(0, 40)}…" has a key longer than ${LIMITS.key} characters; dropped`);
      return false;
    }
    if (m.value !== undefined && Number.isFinite(m.value)) return true;
    warnings.push(`metric "${m.key}" is ${m.value === undefined ? 'missing' : String(m.value)}; dropped`);
    return false;
  });
  if (usable.length > LIMITS.entries) warnings.push(`run has ${usable.length} metrics; only the first ${LIMITS.entries} by name are kept`);
  return Object.fromEntries(usable.slice(0, LIMITS.entries).map((m) => [m.key, m.value!]));
}

function later(a: MlflowMetric, b: MlflowMetric): boolean {
  const [sa, sb] = [a.step ?? 0, b.step ?? 0];
  return sa !== sb ? sa > sb : (a.timestamp ?? 0) >= (b.timestamp ?? 0);
}

/**
 * A Flightdeck tag from any text: characters outside [A-Za-z0-9._:/-] become "-", cut to 64.
 * Null when nothing but dashes is left.
 */
export function sanitiseTag(raw: string): string | null {
  const tag = raw.trim().replace(/[^A-Za-z0-9._:/-]+/g, '-').slice(0, LIMITS.tag);
  return /^-*$/.test(tag) ? null : tag;
}

/**
 * Tags that keep the MLflow identity visible: `mlflow:<n>`, `mlflow-stage:<stage>` (not for the
 * stage "None"), `alias:<alias>` per alias. Sanitised, de-duplicated, at most 50.
 */
export function flightdeckTags(input: { version: string; stage?: string | undefined; aliases: readonly string[] }, warnings: string[]): string[] {
  const raw = [`mlflow:${input.version}`];
  if (input.stage && input.stage.trim() !== '' && input.stage.trim().toLowerCase() !== 'none') raw.push(`mlflow-stage:${input.stage.trim()}`);
  raw.push(...input.aliases.map((a) => `alias:${a}`));
  const tags: string[] = [];
  for (const r of raw) {
    const tag = sanitiseTag(r);
    if (tag === null) continue;
    if (tag !== r) warnings.push(`tag ${JSON.stringify(r.slice(0, 80))} recorded as "${tag}"`);
    if (!tags.includes(tag)) tags.push(tag);
  }
  if (tags.length > LIMITS.tags) warnings.push(`${tags.length} tags; only the first ${LIMITS.tags} are kept`);
  return tags.slice(0, LIMITS.tags);
}
