import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { models, modelVersions } from '@/db/schema';
import { canonicalJson } from '@/lib/domain/canonical-json';
import { checkBumpCoversChange, diffContracts, type Contract } from '@/lib/domain/contract';
import { compareCore, compareSemver, parseSemver, type SemVer } from '@/lib/domain/semver';
import { RegisterVersionInput } from '@/lib/domain/version';
import { conflict, invalid, notFound } from '../errors';
import { defineUseCase } from '../use-case';

/**
 * Registers an immutable model version, by CI (API key with the registry scope) or by hand.
 *
 * The contract is diffed against the predecessor — the highest registered version with a lower
 * MAJOR.MINOR.PATCH, so that 1.1.0-rc.1 and 1.1.0 are both judged against 1.0.x — and a bump that
 * understates the change is refused (a breaking change needs a MAJOR bump).
 *
 * Fails with: forbidden; not_found (model); invalid (fields; understated bump names the contract
 * fields; unknown parent); conflict (the version exists with different content). Re-posting the
 * identical payload returns the stored version and changes nothing.
 */
export const registerVersion = defineUseCase({
  name: 'version.register',
  permission: 'version.register',
  summary: 'Register a model version',
  input: RegisterVersionInput,
  async run({ tx, actor, now, audit, unchanged }, input) {
    // Lock the model: registrations of one model are judged one at a time against a stable predecessor.
    const [model] = await tx.select().from(models).where(eq(models.name, input.model)).for('update');
    if (!model) throw notFound(`The model "${input.model}"`);
    const { model: _name, ...payload } = input;
    const payloadDigest = createHash('sha256').update(canonicalJson(payload)).digest('hex');
    const next = parseSemver(input.version)!;

    const existing = await tx
      .select({ id: modelVersions.id, version: modelVersions.version, payloadDigest: modelVersions.payloadDigest })
      .from(modelVersions)
      .where(eq(modelVersions.modelId, model.id));
    const same = existing.find((v) => v.version === input.version);
    if (same) {
      if (same.payloadDigest === payloadDigest) {
        unchanged();
        const [stored] = await tx.select().from(modelVersions).where(eq(modelVersions.id, same.id));
        return { version: stored!, created: false };
      }
      throw conflict(`${input.model} ${input.version} is already registered with different content. Versions are immutable: register a new version.`, {
        fields: { version: ['Already registered'] },
      });
    }

    // 1.0.0+build.1 and 1.0.0+build.2 are one version to semver (build metadata has no precedence).
    const twin = existing.find((v) => v.version !== input.version && compareSemver(parseSemver(v.version)!, next) === 0);
    if (twin)
      throw conflict(`${input.model} ${input.version} has the same precedence as the registered ${twin.version} (build metadata does not make a new version).`, {
        fields: { version: ['Same version as ' + twin.version] },
      });

    let parentVersionId: string | null = null;
    if (input.parentVersion) {
      const parent = existing.find((v) => v.version === input.parentVersion);
      if (!parent) throw invalid('The parent version is not registered.', { parentVersion: [`${input.model} has no version ${input.parentVersion}`] });
      parentVersionId = parent.id;
    }

    const predecessor = highestBelow(existing, next);
    let contractChange: unknown = null;
    if (predecessor) {
      const [previous] = await tx.select({ contract: modelVersions.contract }).from(modelVersions).where(eq(modelVersions.id, predecessor.id));
      const diff = diffContracts(previous!.contract as Contract, input.contract);
      const verdict = checkBumpCoversChange(predecessor.semver, next, diff);
      if (!verdict.ok)
        throw invalid(verdict.message, {
          version: [verdict.message],
          ...Object.fromEntries(verdict.fields.map((field) => [`contract.${field}`, [`${diff.level} change`]])),
        });
      contractChange = { against: predecessor.version, level: diff.level, changes: diff.changes };
    }
    // Registered out of order (1.1.0 after 1.2.0 exists): the step from this version up to its
    // successor must be covered by the successor's bump too.
    const successor = lowestAbove(existing, next);
    if (successor) {
      const [following] = await tx.select({ contract: modelVersions.contract }).from(modelVersions).where(eq(modelVersions.id, successor.id));
      const diff = diffContracts(input.contract, following!.contract as Contract);
      const verdict = checkBumpCoversChange(next, successor.semver, diff);
      if (!verdict.ok)
        throw invalid(`Against the already registered ${successor.version}: ${verdict.message}`, {
          version: [`${successor.version} is registered with a contract this version would make an understated change`],
          ...Object.fromEntries(verdict.fields.map((field) => [`contract.${field}`, [`${diff.level} change up to ${successor.version}`]])),
        });
    }

    const [created] = await tx
      .insert(modelVersions)
      .values({
        modelId: model.id,
        version: input.version,
        major: next.major,
        minor: next.minor,
        patch: next.patch,
        prerelease: next.prerelease.length ? next.prerelease.join('.') : null,
        artifactUri: input.artifactUri,
        artifactDigest: input.artifactDigest,
        gitCommit: input.gitCommit ?? null,
        dataSnapshotId: input.dataSnapshotId ?? null,
        dataSnapshotHash: input.dataSnapshotHash ?? null,
        hyperparameters: input.hyperparameters,
        offlineMetrics: input.offlineMetrics,
        contract: input.contract,
        contractChange,
        parentVersionId,
        tags: input.tags,
        registeredBy: actor.name,
        registeredAt: now,
        payloadDigest,
      })
      .onConflictDoNothing()
      .returning();
    if (!created) throw conflict(`${input.model} ${input.version} was registered by someone else a moment ago.`);
    await audit({
      action: 'version.register',
      targetType: 'model_version',
      targetId: created.id,
      after: { model: input.model, version: input.version, artifactDigest: input.artifactDigest, payloadDigest, contractChange: contractChange && { against: predecessor!.version, level: (contractChange as { level: string }).level } },
    });
    return { version: created, created: true };
  },
});

function lowestAbove(versions: { id: string; version: string }[], next: SemVer) {
  let best: { id: string; version: string; semver: SemVer } | undefined;
  for (const v of versions) {
    const semver = parseSemver(v.version);
    if (!semver || compareCore(semver, next) <= 0) continue;
    if (!best || compareSemver(semver, best.semver) < 0) best = { ...v, semver };
  }
  return best;
}

function highestBelow(versions: { id: string; version: string }[], next: SemVer) {
  let best: { id: string; version: string; semver: SemVer } | undefined;
  for (const v of versions) {
    const semver = parseSemver(v.version);
    if (!semver || compareCore(semver, next) >= 0) continue;
    if (!best || compareSemver(semver, best.semver) > 0) best = { ...v, semver };
  }
  return best;
}

