import { createHash } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { environments, models, modelVersions } from '@/db/schema';
import type { Database } from '@/db';
import { systemActor } from '@/lib/auth/system-actor';
import { appendAudit } from '@/lib/services/audit/append-audit';
import { AppError } from '@/lib/services/errors';
import { createModel, createUser } from '@/lib/services';
import { DEMO_MODELS, DEMO_PASSWORD, DEMO_USERS } from './demo-data';

const DAY = 86_400_000;
const actor = systemActor('demo-seed');

/**
 * A believable demo on an empty database: one user per role, two environments, four models with
 * version histories. Idempotent: whatever exists already is left alone, so it runs at every start.
 * Users and models go through the use cases; versions are inserted here until the registry's
 * own use case exists, with the same audit event.
 */
export async function seedDemo(db: Database, now = new Date()): Promise<string> {
  const caller = { actor, db, request: { via: 'system' as const } };
  let created = 0;
  const ignoreConflict = async (work: () => Promise<unknown>) => {
    try {
      await work();
      created += 1;
    } catch (error) {
      if (!(error instanceof AppError && error.code === 'conflict')) throw error;
    }
  };

  for (const user of DEMO_USERS) await ignoreConflict(() => createUser(caller, { ...user, password: DEMO_PASSWORD }));

  await db
    .insert(environments)
    .values([
      { name: 'staging', rank: 1, requiredApprovals: 0, requiredChecks: ['unit', 'smoke'] },
      {
        name: 'production',
        rank: 2,
        requiredApprovals: 1,
        requiredChecks: ['unit', 'smoke', 'quality_regression', 'performance', 'contract'],
        defaultPlan: [1, 5, 25, 50, 100].map((weight) => ({ weight, holdSeconds: 300, analysisRequired: true, manualGate: weight === 50 })),
      },
    ])
    .onConflictDoNothing({ target: environments.name });

  for (const model of DEMO_MODELS) {
    await ignoreConflict(() => createModel(caller, { name: model.name, ownerTeam: model.ownerTeam, description: model.description }));
    const [row] = await db.select().from(models).where(eq(models.name, model.name));
    let parentId: string | null = null;
    for (const v of model.versions) {
      parentId = await seedVersion(db, row!.id, model.name, model.registeredBy, v, parentId, now);
    }
  }
  return created > 0 ? `seeded the demo (${created} users and models)` : 'demo already seeded';
}

async function seedVersion(
  db: Database,
  modelId: string,
  modelName: string,
  registeredBy: string,
  v: (typeof DEMO_MODELS)[number]['versions'][number],
  parentId: string | null,
  now: Date,
): Promise<string> {
  const [major, minor, patchAndPre] = v.version.split('.');
  const [patch, prerelease] = (patchAndPre ?? '0').split('-');
  const digest = (salt: string) => createHash('sha256').update(`${modelName}@${v.version}:${salt}`).digest('hex');
  return db.transaction(async (tx) => {
    const [inserted] = await tx
      .insert(modelVersions)
      .values({
        modelId,
        version: v.version,
        major: Number(major),
        minor: Number(minor),
        patch: Number(patch),
        prerelease: prerelease ?? null,
        artifactUri: `s3://ml-artifacts/${modelName}/${v.version}/model.tar.gz`,
        artifactDigest: `sha256:${digest('artifact')}`,
        gitCommit: digest('commit').slice(0, 40),
        dataSnapshotId: `snap-${new Date(now.getTime() - (v.daysAgo + 2) * DAY).toISOString().slice(0, 10)}`,
        dataSnapshotHash: `sha256:${digest('data')}`,
        hyperparameters: v.hyperparameters,
        offlineMetrics: v.metrics,
        contract: {
          inputs: v.inputs.map((name) => ({ name, type: name.includes('category') || name === 'plan' || name === 'country' ? 'string' : 'float', nullable: false })),
          outputs: [{ name: 'score', type: 'float', nullable: false, range: [0, 1] }],
        },
        parentVersionId: parentId,
        tags: v.tags ?? [],
        registeredBy,
        registeredAt: new Date(now.getTime() - v.daysAgo * DAY),
      })
      .onConflictDoNothing()
      .returning();
    if (inserted) {
      // Recorded now (when it was seeded); registeredAt carries the demo's story time.
      await appendAudit(tx, { actor, now: new Date(), request: { via: 'system' } }, {
        action: 'version.register',
        targetType: 'model_version',
        targetId: inserted.id,
        after: { model: modelName, version: v.version, artifactDigest: inserted.artifactDigest },
      });
      return inserted.id;
    }
    const [existing] = await tx
      .select({ id: modelVersions.id })
      .from(modelVersions)
      .where(and(eq(modelVersions.modelId, modelId), eq(modelVersions.version, v.version)));
    return existing!.id;
  });
}
