import { and, eq } from 'drizzle-orm';
import { models, modelVersions } from '@/db/schema';
import type { Tx } from '@/db';
import { notFound } from '../errors';

/** The version row for (model name, version string), locked for the rest of the transaction. */
export async function lockVersion(tx: Tx, model: string, version: string) {
  const [row] = await tx
    .select({ version: modelVersions })
    .from(modelVersions)
    .innerJoin(models, eq(models.id, modelVersions.modelId))
    .where(and(eq(models.name, model), eq(modelVersions.version, version)))
    .for('update', { of: modelVersions });
  if (!row) throw notFound(`Version ${version} of "${model}"`);
  return row.version;
}
