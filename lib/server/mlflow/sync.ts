import { and, eq } from 'drizzle-orm';
import { models, modelVersions } from '@/db/schema';
import { aliasesOf, flightdeckModelName, MLFLOW_READY, flightdeckTags, registrationFromMlflow, versionFromMlflow, type MlflowRegisteredModel } from '@/lib/domain/mlflow';
import { createModel, registerVersion, updateVersion } from '@/lib/services';
import { AppError } from '@/lib/services/errors';
import type { Caller } from '@/lib/services/use-case';
import type { MlflowClient } from './client';
import type { MlflowSyncScope } from '@/lib/domain/mlflow-webhook';

export type MlflowSkip = { model: string; version?: string; reason: string; message: string };
export type MlflowSyncReport = {
  modelsCreated: string[];
  versionsRegistered: string[]; // "<model>@<version>"
  versionsRetagged: string[];
  unchanged: number;
  skipped: MlflowSkip[];
  warnings: string[];
};

/** Tags the sync owns on a version; every other tag is someone else's and is kept. */
const MLFLOW_TAG = /^(mlflow:|mlflow-stage:|alias:)/;

/**
 * Imports MLflow's registered models and READY versions through the same use cases as CI does
 * (createModel, registerVersion, updateVersion), as `caller`: idempotent, so a repeat imports
 * nothing and audits nothing. A version already in Flightdeck is immutable: only its MLflow
 * tags (stage, aliases) follow MLflow, and its run is not fetched again. A Flightdeck model whose
 * name the MLflow name slugs to is taken to be the same model. Throws MlflowError when MLflow
 * cannot be read at all; a version that cannot be imported is reported in `skipped`.
 */
export async function syncFromMlflow(caller: Caller, client: MlflowClient, scope: MlflowSyncScope = {}): Promise<MlflowSyncReport> {
  const report: MlflowSyncReport = { modelsCreated: [], versionsRegistered: [], versionsRetagged: [], unchanged: 0, skipped: [], warnings: [] };
  const registered = scope.model ? [await client.registeredModel(scope.model)].filter((m): m is MlflowRegisteredModel => m !== null) : await client.registeredModels();
  if (scope.model && registered.length === 0) report.skipped.push({ model: scope.model, reason: 'not_found', message: `MLflow has no registered model named "${scope.model}"` });

  // Two MLflow names that slug alike would write into one Flightdeck model: the first one wins.
  const claimed = new Map<string, string>();
  for (const model of registered) {
    const slug = flightdeckModelName(model.name);
    const owner = slug ? claimed.get(slug) : undefined;
    if (slug && owner !== undefined && owner !== model.name) {
      report.skipped.push({ model: model.name, reason: 'name_collision', message: `"${model.name}" and "${owner}" both become the Flightdeck model "${slug}"; rename one in MLflow` });
      continue;
    }
    if (slug) claimed.set(slug, model.name);
    await syncModel(caller, client, model, scope, report);
  }
  return report;
}

async function syncModel(caller: Caller, client: MlflowClient, model: MlflowRegisteredModel, scope: MlflowSyncScope, report: MlflowSyncReport) {
  // Oldest first, so each version's contract is diffed against the one MLflow registered before it.
  const versions = (await client.versions(model.name))
    .filter((v) => scope.version === undefined || v.version === scope.version)
    .sort((a, b) => Number(a.version) - Number(b.version));
  const slug = flightdeckModelName(model.name);
  for (const version of versions) {
    const label = { model: model.name, version: version.version };
    try {
      const existing = slug ? await storedVersion(caller, slug, versionFromMlflow(version)?.version) : null;
      if (existing) {
        await retag(caller, slug!, existing, flightdeckTags({ version: version.version, stage: version.current_stage, aliases: aliasesOf(model, version) }, []), report);
        continue;
      }
      // A version that is not READY has no artifact yet: it is skipped without reading its run.
      const ready = version.status === MLFLOW_READY;
      const [run, signature] = ready ? await Promise.all([version.run_id ? client.run(version.run_id) : null, client.mlmodelSignature(model.name, version.version)]) : [null, null];
      const imported = registrationFromMlflow({ model, version, run, signature });
      if (!imported.ok) {
        report.skipped.push({ ...label, reason: imported.reason, message: imported.message });
        continue;
      }
      const [known] = await caller.db.select({ id: models.id }).from(models).where(eq(models.name, imported.model.name));
      if (!known) {
        await createModel(caller, { ...imported.model, description: imported.model.description || `Imported from the MLflow registered model "${model.name}".` });
        report.modelsCreated.push(imported.model.name);
      }
      const result = await registerVersion(caller, imported.version);
      if (result.created) report.versionsRegistered.push(`${imported.model.name}@${imported.version.version}`);
      else report.unchanged += 1;
      report.warnings.push(...imported.warnings.map((w) => `${model.name} v${version.version}: ${w}`));
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      report.skipped.push({ ...label, reason: error.code, message: error.message });
    }
  }
}

async function storedVersion(caller: Caller, model: string, version: string | undefined) {
  if (!version) return null;
  const [row] = await caller.db
    .select({ version: modelVersions.version, tags: modelVersions.tags })
    .from(modelVersions)
    .innerJoin(models, eq(models.id, modelVersions.modelId))
    .where(and(eq(models.name, model), eq(modelVersions.version, version)));
  return row ?? null;
}

/** MLflow's stage and aliases move; the version's other tags stay as they are. */
async function retag(caller: Caller, model: string, stored: { version: string; tags: string[] }, fromMlflow: string[], report: MlflowSyncReport) {
  const next = [...stored.tags.filter((t) => !MLFLOW_TAG.test(t)), ...fromMlflow].slice(0, 50);
  if ([...next].sort().join('\n') === [...stored.tags].sort().join('\n')) {
    report.unchanged += 1;
    return;
  }
  await updateVersion(caller, { model, version: stored.version, tags: next });
  report.versionsRetagged.push(`${model}@${stored.version}`);
}
