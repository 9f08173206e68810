import { z } from 'zod';
import { ROLES } from './roles';

export const Email = z.string().trim().toLowerCase().pipe(z.email('Not an e-mail address'));

/** Viewer is implied for everyone; storing it adds nothing. */
export const RoleList = z
  .array(z.enum(ROLES))
  .max(20, 'Too many roles')
  .transform((roles) => [...new Set(roles.filter((r) => r !== 'viewer'))].sort());

export const Password = z.string().min(12, 'At least 12 characters').max(200, 'At most 200 characters');

export const CreateUserInput = z.object({
  email: Email,
  name: z.string().trim().min(1, 'Required').max(100, 'At most 100 characters'),
  password: Password.optional().describe('Omit for single-sign-on users'),
  roles: RoleList.default([]),
});
export type CreateUserInput = z.infer<typeof CreateUserInput>;

export const UpdateUserInput = z.object({
  userId: z.uuid('Not a user id'),
  roles: RoleList.optional(),
  active: z.boolean().optional(),
  name: z.string().trim().min(1, 'Required').max(100).optional(),
});
export type UpdateUserInput = z.infer<typeof UpdateUserInput>;
