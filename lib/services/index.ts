// Every state change Flightdeck knows. The role matrix test walks this list, and a test fails
// when a file under lib/services defines a use case that is missing here.
import { createApiKey } from './api-keys/create-api-key';
import { importApiKey } from './api-keys/import-api-key';
import { revokeApiKey } from './api-keys/revoke-api-key';
import { createEnvironment } from './environments/create-environment';
import { updatePolicy } from './environments/update-policy';
import { createModel } from './models/create-model';
import { createUser } from './users/create-user';
import { updateUser } from './users/update-user';
import { abortRelease, advanceRelease, pauseRelease, promoteRelease, resumeRelease, rollbackRelease, startRelease } from './releases/operate';
import { requestRelease } from './releases/request-release';
import { approveRelease, rejectRelease } from './releases/review-release';
import { rollbackToLastGood } from './releases/rollback-to-last-good';
import { registerVersion } from './versions/register-version';
import { reportCheck } from './versions/report-check';
import { updateVersion } from './versions/update-version';

export const useCases = {
  createModel,
  registerVersion,
  updateVersion,
  reportCheck,
  createEnvironment,
  updatePolicy,
  requestRelease,
  approveRelease,
  rejectRelease,
  startRelease,
  pauseRelease,
  resumeRelease,
  advanceRelease,
  promoteRelease,
  abortRelease,
  rollbackRelease,
  rollbackToLastGood,
  createUser,
  updateUser,
  createApiKey,
  importApiKey,
  revokeApiKey,
};
export { createModel, registerVersion, updateVersion, reportCheck, createEnvironment, updatePolicy };
export { requestRelease, approveRelease, rejectRelease, startRelease, pauseRelease, resumeRelease, advanceRelease, promoteRelease, abortRelease };
export { rollbackRelease, rollbackToLastGood };
export { createUser, updateUser, createApiKey, importApiKey, revokeApiKey };
export { verifyAuditChain } from './audit/verify-audit-chain';
