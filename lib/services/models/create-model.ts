import { eq } from 'drizzle-orm';
import { models } from '@/db/schema';
import { CreateModelInput } from '@/lib/domain/model';
import { conflict } from '../errors';
import { defineUseCase } from '../use-case';

/**
 * Registers a new model (a named service that versions will belong to).
 * Fails with: forbidden (not ml_lead/admin), invalid (name/owner), conflict (name taken).
 */
export const createModel = defineUseCase({
  name: 'model.create',
  permission: 'model.create',
  summary: 'Create a model',
  input: CreateModelInput,
  async run({ tx, audit }, input) {
    const [existing] = await tx.select({ id: models.id }).from(models).where(eq(models.name, input.name));
    if (existing) throw conflict(`A model named "${input.name}" already exists.`, { fields: { name: ['Already taken'] } });
    const [created] = await tx
      .insert(models)
      .values({ ...input, servingService: input.servingService ?? input.name })
      .onConflictDoNothing({ target: models.name })
      .returning();
    // Lost a race with a concurrent create of the same name.
    if (!created) throw conflict(`A model named "${input.name}" already exists.`, { fields: { name: ['Already taken'] } });
    await audit({ action: 'model.create', targetType: 'model', targetId: created.id, after: created });
    return created;
  },
});
