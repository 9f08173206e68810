import { eq } from 'drizzle-orm';
import { apiKeys } from '@/db/schema';
import { RevokeApiKeyInput } from '@/lib/domain/api-key-input';
import { notFound } from '../errors';
import { defineUseCase } from '../use-case';
import { publicApiKey } from './public-api-key';

/**
 * Revokes a key at once; revoking a revoked key is a no-op that reports the original time.
 * Fails with: forbidden (not admin), invalid, not_found.
 */
export const revokeApiKey = defineUseCase({
  name: 'api_key.revoke',
  permission: 'api_key.manage',
  summary: 'Revoke an API key',
  input: RevokeApiKeyInput,
  async run({ tx, now, audit, unchanged }, input) {
    const [before] = await tx.select().from(apiKeys).where(eq(apiKeys.id, input.apiKeyId)).for('update');
    if (!before) throw notFound('The API key');
    if (before.revokedAt) {
      unchanged();
      return publicApiKey(before);
    }
    const [after] = await tx.update(apiKeys).set({ revokedAt: now }).where(eq(apiKeys.id, before.id)).returning();
    await audit({ action: 'api_key.revoke', targetType: 'api_key', targetId: before.id, before: publicApiKey(before), after: publicApiKey(after!) });
    return publicApiKey(after!);
  },
});
