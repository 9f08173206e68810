import { UpdateVersionInput } from '@/lib/domain/version';
import { modelVersions } from '@/db/schema';
import { eq } from 'drizzle-orm';
import { invalid } from '../errors';
import { defineUseCase } from '../use-case';
import { lockVersion } from './find-version';

/**
 * The only mutable parts of a version: its free tags and its status (registered / archived).
 * Fails with: forbidden; invalid (nothing to change); not_found.
 */
export const updateVersion = defineUseCase({
  name: 'version.update',
  permission: 'version.update',
  summary: 'Change a version’s tags or status',
  input: UpdateVersionInput,
  async run({ tx, audit, unchanged }, input) {
    if (input.tags === undefined && input.status === undefined) throw invalid('Nothing to change.', { _: ['Give tags or status'] });
    const before = await lockVersion(tx, input.model, input.version);
    const next = { tags: input.tags ?? before.tags, status: input.status ?? before.status };
    if (next.status === before.status && next.tags.join('\n') === before.tags.join('\n')) {
      unchanged();
      return before;
    }
    const [after] = await tx.update(modelVersions).set(next).where(eq(modelVersions.id, before.id)).returning();
    await audit({
      action: 'version.update',
      targetType: 'model_version',
      targetId: before.id,
      before: { tags: before.tags, status: before.status },
      after: { model: input.model, version: input.version, ...next },
    });
    return after!;
  },
});
