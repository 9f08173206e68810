import { CreateModelInput, ModelName } from './model';
import {
  artifactDigestFromMlflow,
  artifactUriFromSource,
  flightdeckModelName,
  flightdeckTags,
  gitCommitFromTags,
  hyperparametersFromParams,
  offlineMetricsFromMetrics,
  versionFromMlflow,
} from './mlflow-fields';
import { MLFLOW_READY, tagMap, type MlflowModelVersion, type MlflowRegisteredModel, type MlflowRun, type MlflowSignature } from './mlflow-shapes';
import { contractFromSignature, signatureFromHistory } from './mlflow-signature';
import { RegisterVersionInput } from './version';

/**
 * The pure core of the MLflow Model Registry sync: one MLflow model version (with its registered
 * model and the run that produced it) in, what Flightdeck registers out, or the reason it cannot
 * be imported. No I/O: the service fetches (see mlflow-shapes.ts for the responses) and stores.
 */

export * from './mlflow-fields';
export * from './mlflow-shapes';
export * from './mlflow-signature';
export * from './mlflow-webhook';

/** Registered-model tags read for the Flightdeck model, first present one wins. */
export const OWNER_TAG_KEYS = ['owner', 'team'] as const;
export const SERVING_SERVICE_TAG = 'serving_service';
/** Prompts live in the MLflow registry as registered models with this tag (mlflow/prompt/constants.py). */
export const PROMPT_TAG = 'mlflow.prompt.is_prompt';
/** The run tag listing the models logged in a run (see MlflowLoggedModelEntry). */
export const LOG_MODEL_HISTORY_TAG = 'mlflow.log-model.history';

export type MlflowSkipReason = 'prompt' | 'not_ready' | 'unusable_name' | 'unusable_version' | 'unusable_source' | 'invalid';

export type MlflowImportInput = {
  model: MlflowRegisteredModel;
  version: MlflowModelVersion;
  /** From runs/get; null when the version has no run_id or the run is gone (404). */
  run?: MlflowRun | null;
  /**
   * The signature from the version's MLmodel file, when the caller read it. Runs logged with MLflow
   * 2.16+ keep no signature in the log-model history tag, so this is the only source for them.
   */
  signature?: MlflowSignature | null;
};

export type FlightdeckModelFromMlflow = { name: string; ownerTeam: string; description: string; servingService: string };

export type MlflowImport =
  | { ok: true; model: FlightdeckModelFromMlflow; version: RegisterVersionInput; warnings: string[] }
  | { ok: false; reason: MlflowSkipReason; message: string };

const skip = (reason: MlflowSkipReason, message: string): MlflowImport => ({ ok: false, reason, message });

/** The Flightdeck model for a registered model; null when its name leaves no usable slug. */
export function flightdeckModelFromMlflow(model: MlflowRegisteredModel, warnings: string[]): FlightdeckModelFromMlflow | null {
  const name = flightdeckModelName(model.name);
  if (!name) return null;
  const tags = tagMap(model.tags);
  const owner = OWNER_TAG_KEYS.map((k) => tags.get(k)?.trim()).find((v) => v);
  const serving = tags.get(SERVING_SERVICE_TAG)?.trim();
  const servingOk = serving !== undefined && ModelName.safeParse(serving).success;
  if (serving !== undefined && !servingOk) warnings.push(`model tag ${SERVING_SERVICE_TAG}=${JSON.stringify(serving.slice(0, 70))} is not a valid service name; "${name}" is used`);
  let description = (model.description ?? '').trim();
  if (description.length > 2000) {
    warnings.push(`model description is ${description.length} characters; cut to 2,000`);
    description = `${description.slice(0, 1999)}…`;
  }
  const candidate = { name, ownerTeam: (owner ?? 'mlflow').slice(0, 100).trim(), description, servingService: servingOk ? serving : name };
  // Checked by the schema the registry uses, so the two cannot drift apart.
  return CreateModelInput.safeParse(candidate).success ? candidate : null;
}

/** Aliases of this version: from the version itself and from the registered model's alias list. */
export function aliasesOf(model: MlflowRegisteredModel, version: MlflowModelVersion): string[] {
  const fromModel = model.aliases.filter((a) => a.version === version.version).map((a) => a.alias);
  return [...new Set([...version.aliases, ...fromModel])].sort();
}

/**
 * What Flightdeck registers for one MLflow model version, or why it is skipped: prompts, versions
 * not READY (pending or failed registration have no artifact yet), names or version numbers that
 * leave nothing usable, sources that are not a URI. Everything lossy is a warning, in order.
 */
export function registrationFromMlflow({ model, version, run, signature }: MlflowImportInput): MlflowImport {
  const label = `${model.name} v${version.version}`;
  if (tagMap(model.tags).get(PROMPT_TAG)?.toLowerCase() === 'true') return skip('prompt', `${model.name} is an MLflow prompt, not a model`);
  if (version.status !== MLFLOW_READY) return skip('not_ready', `${label} is ${version.status ?? 'of unknown status'}; only READY versions are imported`);

  const warnings: string[] = [];
  const target = flightdeckModelFromMlflow(model, warnings);
  if (!target) return skip('unusable_name', `"${model.name}" leaves no usable Flightdeck model name (lower-case letters, digits and dashes, 2–63 characters)`);
  const semver = versionFromMlflow(version);
  if (!semver) return skip('unusable_version', `${label}: "${version.version}" is not a version number`);
  warnings.push(...semver.warnings);

  const usableRun = runOf(version, run, warnings);
  const source = version.source ?? '';
  const artifactUri = artifactUriFromSource(source, usableRun?.info.artifact_uri);
  if (!artifactUri) return skip('unusable_source', `${label}: source ${JSON.stringify(source.slice(0, 200))} is not a URI Flightdeck can record`);
  const digest = artifactDigestFromMlflow(version);
  warnings.push(...digest.warnings);

  const runTags = usableRun?.data.tags ?? [];
  const found = signature ? { signature, warnings: [] } : signatureFromHistory(tagMap(runTags).get(LOG_MODEL_HISTORY_TAG), source, version.run_id);
  warnings.push(...found.warnings);
  if (!found.signature && usableRun) warnings.push(`${label} has no model signature; the contract is left empty`);
  const contract = contractFromSignature(found.signature);
  warnings.push(...contract.warnings);

  const parsed = RegisterVersionInput.safeParse({
    model: target.name,
    version: semver.version,
    artifactUri,
    artifactDigest: digest.digest,
    gitCommit: gitCommitFromTags(runTags),
    hyperparameters: hyperparametersFromParams(usableRun?.data.params ?? [], warnings),
    offlineMetrics: offlineMetricsFromMetrics(usableRun?.data.metrics ?? [], warnings),
    contract: contract.contract,
    tags: flightdeckTags({ version: version.version, stage: version.current_stage, aliases: aliasesOf(model, version) }, warnings),
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return skip('invalid', `${label}: ${issue ? `${issue.path.join('.') || 'input'}: ${issue.message}` : 'not a valid registration'}`);
  }
  return { ok: true, model: target, version: parsed.data, warnings };
}

/** The run, unless it is missing or belongs to another version (a caller mix-up, never trusted). */
function runOf(version: MlflowModelVersion, run: MlflowRun | null | undefined, warnings: string[]): MlflowRun | null {
  const label = `${version.name} v${version.version}`;
  if (!run) {
    warnings.push(version.run_id ? `run ${version.run_id} of ${label} is not available; no params, metrics, commit or signature` : `${label} has no run; no params, metrics, commit or signature`);
    return null;
  }
  const runId = run.info.run_id ?? run.info.run_uuid;
  if (version.run_id && runId && runId !== version.run_id) {
    warnings.push(`run ${runId} is not the run of ${label} (${version.run_id}); ignored`);
    return null;
  }
  return run;
}
