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
    // Insert first and look only on conflict: several instances starting at once all import the
    // same secret, and a look-then-insert would let all but one fail on the unique index.
    const [created] = await tx
      .insert(apiKeys)
      .values({ name: input.name, prefix: input.secret.slice(0, 6), secretHash, roles: input.roles, scopes: input.scopes })
      .onConflictDoNothing({ target: apiKeys.secretHash })
      .returning();
    if (!created) {
      const [existing] = await tx.select().from(apiKeys).where(eq(apiKeys.secretHash, secretHash));
      unchanged();
      return publicApiKey(existing!);
    }
    await audit({ action: 'api_key.import', targetType: 'api_key', targetId: created!.id, after: publicApiKey(created!) });
    return publicApiKey(created!);
  },
});
