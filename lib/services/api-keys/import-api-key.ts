import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { apiKeys } from '@/db/schema';
import { hashApiKey } from '@/lib/domain/api-key';
import { RoleList } from '@/lib/domain/user';
import { SCOPES } from '@/lib/domain/roles';
import { defineUseCase } from '../use-case';
import { publicApiKey } from './public-api-key';

const ImportApiKeyInput = z.object({
  name: z.string().trim().min(1).max(100),
  secret: z.string().min(24, 'At least 24 characters').max(200).regex(/^\S+$/, 'No spaces'),
  roles: RoleList,
  scopes: z.array(z.enum(SCOPES)).min(1),
});

/**
 * Registers a key whose secret was chosen outside Flightdeck — FLIGHTDECK_BOOTSTRAP_API_KEY, for
 * automated installs (as Unleash's INIT_ADMIN_API_TOKENS). Idempotent: a known secret is left alone.
 * Fails with: forbidden (not admin), invalid.
 */
export const importApiKey = defineUseCase({
  name: 'api_key.import',
  permission: 'api_key.manage',
  summary: 'Import an API key',
  input: ImportApiKeyInput,
  async run({ tx, audit, unchanged }, input) {
    const secretHash = hashApiKey(input.secret);
    const [existing] = await tx.select().from(apiKeys).where(eq(apiKeys.secretHash, secretHash));
    if (existing) {
      unchanged();
      return publicApiKey(existing);
    }
    const [created] = await tx
      .insert(apiKeys)
      .values({ name: input.name, prefix: input.secret.slice(0, 6), secretHash, roles: input.roles, scopes: input.scopes })
      .returning();
    await audit({ action: 'api_key.import', targetType: 'api_key', targetId: created!.id, after: publicApiKey(created!) });
    return publicApiKey(created!);
  },
});
