import { z } from 'zod';
import { SCOPES } from './roles';
import { RoleList } from './user';

export const CreateApiKeyInput = z.object({
  name: z.string().trim().min(1, 'Required').max(100, 'At most 100 characters'),
  roles: RoleList.default([]),
  scopes: z.array(z.enum(SCOPES)).min(1, 'Choose at least one scope').transform((s) => [...new Set(s)].sort()),
  expiresInDays: z.number().int().min(1).max(3650).optional(),
});
export type CreateApiKeyInput = z.infer<typeof CreateApiKeyInput>;

export const RevokeApiKeyInput = z.object({ apiKeyId: z.uuid('Not an API key id') });
