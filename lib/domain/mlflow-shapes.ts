import { z } from 'zod';

/**
 * What the MLflow tracking server answers on REST API 2.0, as zod schemas. Field names and types
 * follow mlflow/protos/model_registry.proto (RegisteredModel, ModelVersion, RegisteredModelAlias,
 * Search*.Response) and mlflow/protos/service.proto (Run, RunInfo, RunData, Metric, Param, RunTag).
 *
 * The server serialises with mlflow/utils/proto_json_utils.py `message_to_json`: protobuf's
 * MessageToJson with proto field names, then int64 fields turned back into JSON numbers. Unset
 * fields and empty repeated fields are left out entirely, so every list defaults to [] and every
 * scalar is optional. Doubles that are NaN or ±Infinity come out as the strings "NaN",
 * "Infinity", "-Infinity". Fields a newer server adds (model_id, deployment_job_state, …) are
 * accepted and dropped: the sync must not break when MLflow grows.
 */

const KeyValue = z.object({ key: z.string(), value: z.string().default('') });
export type MlflowTag = z.infer<typeof KeyValue>;

/** int64 as MLflow sends it (a number), or as plain MessageToJson would (a digit string). */
const Int64 = z.union([z.number().int(), z.string().regex(/^-?\d+$/).transform(Number)]);

/** A version number is a proto string; a hand-written client might send a number. */
const VersionNumber = z.union([z.string(), z.number().int().nonnegative().transform(String)]);

/** "" is what some servers send on the last page; it means the same as no token. */
const PageToken = z
  .string()
  .optional()
  .transform((t) => (t ? t : undefined));

/** READY, PENDING_REGISTRATION or FAILED_REGISTRATION; kept open so a new status does not fail a page. */
export const MLFLOW_READY = 'READY';

export const MlflowModelVersion = z.object({
  name: z.string(),
  version: VersionNumber,
  creation_timestamp: Int64.optional(),
  last_updated_timestamp: Int64.optional(),
  user_id: z.string().optional(),
  /** "None", "Staging", "Production" or "Archived" (stages are deprecated since MLflow 2.9). */
  current_stage: z.string().optional(),
  description: z.string().optional(),
  source: z.string().optional(),
  run_id: z.string().optional(),
  status: z.string().optional(),
  status_message: z.string().optional(),
  tags: z.array(KeyValue).default([]),
  run_link: z.string().optional(),
  /** Alias names only; the registered model lists them with their version too. */
  aliases: z.array(z.string()).default([]),
});
export type MlflowModelVersion = z.infer<typeof MlflowModelVersion>;

export const MlflowRegisteredModelAlias = z.object({ alias: z.string(), version: VersionNumber });

export const MlflowRegisteredModel = z.object({
  name: z.string(),
  creation_timestamp: Int64.optional(),
  last_updated_timestamp: Int64.optional(),
  description: z.string().optional(),
  /** Latest version per stage; informational, the sync reads model-versions/search instead. */
  latest_versions: z.array(MlflowModelVersion).default([]),
  tags: z.array(KeyValue).default([]),
  aliases: z.array(MlflowRegisteredModelAlias).default([]),
});
export type MlflowRegisteredModel = z.infer<typeof MlflowRegisteredModel>;

/** GET /api/2.0/mlflow/registered-models/search?max_results=&page_token=&filter= */
export const MlflowSearchRegisteredModelsResponse = z.object({
  registered_models: z.array(MlflowRegisteredModel).default([]),
  next_page_token: PageToken,
});

/** GET /api/2.0/mlflow/model-versions/search?filter=name='…'&max_results=&page_token= */
export const MlflowSearchModelVersionsResponse = z.object({
  model_versions: z.array(MlflowModelVersion).default([]),
  next_page_token: PageToken,
});

/** GET /api/2.0/mlflow/registered-models/get?name= */
export const MlflowGetRegisteredModelResponse = z.object({ registered_model: MlflowRegisteredModel });

/** GET /api/2.0/mlflow/model-versions/get?name=&version= */
export const MlflowGetModelVersionResponse = z.object({ model_version: MlflowModelVersion });

/** A double: a JSON number, or the strings protobuf uses for NaN and the infinities. */
const Double = z.union([z.number(), z.enum(['NaN', 'Infinity', '-Infinity']).transform(Number)]);

export const MlflowMetric = z.object({
  key: z.string(),
  value: Double.optional(),
  timestamp: Int64.optional(),
  step: Int64.optional(),
});
export type MlflowMetric = z.infer<typeof MlflowMetric>;

export const MlflowRun = z.object({
  info: z
    .object({
      run_id: z.string().optional(),
      /** Deprecated twin of run_id, still sent. */
      run_uuid: z.string().optional(),
      run_name: z.string().optional(),
      experiment_id: z.string().optional(),
      user_id: z.string().optional(),
      status: z.string().optional(),
      start_time: Int64.optional(),
      end_time: Int64.optional(),
      /** Root of the run's artifacts, e.g. s3://bucket/1/<run_id>/artifacts or mlflow-artifacts:/1/<run_id>/artifacts. */
      artifact_uri: z.string().optional(),
      lifecycle_stage: z.string().optional(),
    })
    .default({}),
  data: z
    .object({
      /** runs/get returns the latest value per metric key. */
      metrics: z.array(MlflowMetric).default([]),
      params: z.array(KeyValue).default([]),
      tags: z.array(KeyValue).default([]),
    })
    .default({ metrics: [], params: [], tags: [] }),
});
export type MlflowRun = z.infer<typeof MlflowRun>;

/** GET /api/2.0/mlflow/runs/get?run_id= */
export const MlflowGetRunResponse = z.object({ run: MlflowRun });

/** Every MLflow REST error, e.g. { error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'Run with id=… not found' }. */
export const MlflowErrorResponse = z.object({ error_code: z.string(), message: z.string().default('') });

/**
 * The input/output schema of a logged model: JSON strings, as in the MLmodel file's `signature`
 * block (mlflow/models/signature.py ModelSignature.to_dict). `params` is the inference-parameter
 * schema (MLflow 2.6+).
 */
export const MlflowSignature = z.object({
  inputs: z.string().nullish(),
  outputs: z.string().nullish(),
  params: z.string().nullish(),
});
export type MlflowSignature = z.infer<typeof MlflowSignature>;

/**
 * One entry of the run tag `mlflow.log-model.history` (a JSON list, one entry per logged model).
 * Up to MLflow 2.15 an entry was the whole MLmodel dict, signature included; since 2.16
 * (mlflow/mlflow#12983, Model.get_tags_dict) it keeps only run_id, artifact_path,
 * utc_time_created, model_uuid and flavors, so newer runs carry no signature here.
 */
export const MlflowLoggedModelEntry = z.object({
  run_id: z.string().nullish(),
  artifact_path: z.string().nullish(),
  utc_time_created: z.string().nullish(),
  model_uuid: z.string().nullish(),
  signature: MlflowSignature.nullish(),
});
export type MlflowLoggedModelEntry = z.infer<typeof MlflowLoggedModelEntry>;

/** Tag lists as a lookup; with a repeated key the last one wins, as MLflow's own dict views do. */
export function tagMap(tags: readonly MlflowTag[]): Map<string, string> {
  return new Map(tags.map((t) => [t.key, t.value]));
}
