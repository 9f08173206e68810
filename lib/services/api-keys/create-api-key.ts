import { apiKeys } from '@/db/schema';
import { displayPrefix, generateApiKey, hashApiKey } from '@/lib/domain/api-key';
import { CreateApiKeyInput } from '@/lib/domain/api-key-input';
import { defineUseCase } from '../use-case';
import { publicApiKey } from './public-api-key';

/**
 * Issues a key for a machine. The secret is returned once, here, and never stored in clear.
 * Fails with: forbidden (not admin), invalid.
 */
export const createApiKey = defineUseCase({
  name: 'api_key.create',
  permission: 'api_key.manage',
  summary: 'Create an API key',
  input: CreateApiKeyInput,
  async run({ tx, actor, now, audit }, input) {
    const secret = generateApiKey();
    const [created] = await tx
      .insert(apiKeys)
      .values({
        name: input.name,
        prefix: displayPrefix(secret),
        secretHash: hashApiKey(secret),
        roles: input.roles,
        scopes: input.scopes,
        createdBy: actor.type === 'user' ? actor.id : null,
        expiresAt: input.expiresInDays ? new Date(now.getTime() + input.expiresInDays * 86_400_000) : null,
      })
      .returning();
    await audit({ action: 'api_key.create', targetType: 'api_key', targetId: created!.id, after: publicApiKey(created!) });
    return { ...publicApiKey(created!), secret };
  },
});
