// Every state change Flightdeck knows. The role matrix test walks this list, and a test fails
// when a file under lib/services defines a use case that is missing here.
import { createApiKey } from './api-keys/create-api-key';
import { importApiKey } from './api-keys/import-api-key';
import { revokeApiKey } from './api-keys/revoke-api-key';
import { createEnvironment } from './environments/create-environment';
import { updatePolicy } from './environments/update-policy';
import { updateProtection } from './environments/update-protection';
import { updateAnalysis } from './environments/update-analysis';
import { recordAnalysis } from './analysis/record-analysis';
import { ingestMetrics } from './metrics/ingest-metrics';
import { createModel } from './models/create-model';
import { updateMetricsSource } from './models/update-metrics-source';
import { recordMlflowSync } from './integrations/record-mlflow-sync';
import { createUser } from './users/create-user';
import { updateUser } from './users/update-user';
import { abortRelease, advanceRelease, pauseRelease, promoteRelease, resumeRelease, rollbackRelease, startRelease } from './releases/operate';
import { requestRelease } from './releases/request-release';
import { approveRelease, rejectRelease } from './releases/review-release';
import { rollbackToLastGood } from './releases/rollback-to-last-good';
import { registerVersion } from './versions/register-version';
import { reportCheck } from './versions/report-check';
import { updateVersion } from './versions/update-version';
import { acknowledgeAlert, commentAlert, resolveAlert } from './alerts/manage-alert';
import { observeAnalysis } from './alerts/observe-analysis';
import { evaluateDrift } from './drift/evaluate-drift';
import { ingestDriftSnapshot } from './drift/ingest-snapshot';
import { postDriftReference } from './drift/post-reference';
import { updateDriftPolicy } from './drift/update-drift-policy';
import { evaluateSlos } from './slos/evaluate-slos';
import { ingestServiceTelemetry } from './slos/ingest-service-telemetry';
import { setSlo } from './slos/set-slo';
import { writePostmortem } from './incidents/write-postmortem';
import { createAuditCheckpoint } from './audit/checkpoints';
import { createExperiment } from './experiments/create-experiment';
import { decideExperiment } from './experiments/decide-experiment';
import { createWebhook } from './webhooks/create-webhook';
import { updateWebhook } from './webhooks/update-webhook';

export const useCases = {
  createModel,
  registerVersion,
  updateVersion,
  reportCheck,
  createEnvironment,
  updatePolicy,
  updateProtection,
  updateAnalysis,
  ingestMetrics,
  recordAnalysis,
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
  createExperiment,
  decideExperiment,
  acknowledgeAlert,
  resolveAlert,
  commentAlert,
  observeAnalysis,
  postDriftReference,
  ingestDriftSnapshot,
  evaluateDrift,
  updateDriftPolicy,
  updateMetricsSource,
  recordMlflowSync,
  setSlo,
  ingestServiceTelemetry,
  evaluateSlos,
  writePostmortem,
  createAuditCheckpoint,
  createUser,
  updateUser,
  createApiKey,
  importApiKey,
  revokeApiKey,
  createWebhook,
  updateWebhook,
};
export { recordMlflowSync };
export { createModel, registerVersion, updateVersion, reportCheck, createEnvironment, updatePolicy, updateProtection, updateAnalysis, ingestMetrics, recordAnalysis };
export { requestRelease, approveRelease, rejectRelease, startRelease, pauseRelease, resumeRelease, advanceRelease, promoteRelease, abortRelease };
export { rollbackRelease, rollbackToLastGood };
export { createExperiment, decideExperiment };
export { acknowledgeAlert, resolveAlert, commentAlert, observeAnalysis };
export { postDriftReference, ingestDriftSnapshot, evaluateDrift, updateDriftPolicy, updateMetricsSource, setSlo, ingestServiceTelemetry, evaluateSlos, writePostmortem, createAuditCheckpoint };
export { createUser, updateUser, createApiKey, importApiKey, revokeApiKey };
export { createWebhook, updateWebhook };
export { verifyAuditChain } from './audit/verify-audit-chain';
