// Every state change Flightdeck knows. The role matrix test walks this list, and a test fails
// when a file under lib/services defines a use case that is missing here.
import { createApiKey } from './api-keys/create-api-key';
import { importApiKey } from './api-keys/import-api-key';
import { revokeApiKey } from './api-keys/revoke-api-key';
import { createModel } from './models/create-model';
import { createUser } from './users/create-user';
import { updateUser } from './users/update-user';

export const useCases = { createModel, createUser, updateUser, createApiKey, importApiKey, revokeApiKey };
export { createModel, createUser, updateUser, createApiKey, importApiKey, revokeApiKey };
export { verifyAuditChain } from './audit/verify-audit-chain';
