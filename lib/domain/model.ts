import { z } from 'zod';

/** Model names are URL and DNS friendly: they appear in paths, routing and metric labels. */
export const ModelName = z
  .string()
  .trim()
  .min(2, 'At least 2 characters')
  .max(63, 'At most 63 characters')
  .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, 'Lower-case letters, digits and dashes; start and end with a letter or digit');

export const CreateModelInput = z.object({
  name: ModelName,
  ownerTeam: z.string().trim().min(1, 'Required').max(100, 'At most 100 characters'),
  description: z.string().trim().max(2000, 'At most 2,000 characters').default(''),
  servingService: ModelName.optional().describe('Service name routers know it by; defaults to the model name'),
});
export type CreateModelInput = z.infer<typeof CreateModelInput>;
