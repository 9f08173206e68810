import { z } from 'zod';
import { ModelName } from './model';
import { escapePromqlString, PromqlTemplate, type PrometheusSource } from './promql';

/**
 * Where a model's canary metrics come from in Prometheus, by the model server that exports them.
 * Each preset knows its server's metric names; the labels that pick the model and the version
 * are settable because they depend on how Prometheus scrapes the pods:
 * - Triton and TorchServe label samples with their own model-repository version (Triton's is an
 *   integer directory name), so with versioned deployments point `versionLabel` at a label the
 *   scrape copies from the pod (e.g. `app_kubernetes_io_version`, see the README recipe);
 * - BentoML labels `service_version` itself; KServe's queue-proxy labels the Knative revision.
 * Templates keep `{{service}}` (the model's serving service, or `modelLabelValue`), `{{version}}`
 * and `{{interval}}` as placeholders: values are escaped when a query is rendered.
 */
export const METRICS_PRESETS = ['triton', 'torchserve', 'bentoml', 'kserve'] as const;
export type MetricsPreset = (typeof METRICS_PRESETS)[number];

type PresetDefinition = {
  label: string;
  modelLabel: string;
  versionLabel: string;
  /** What each query reads, for the settings page. */
  notes: string;
  templates: (matchers: string) => PrometheusSource;
};

const increase = (metric: string, matchers: string) => `increase(${metric}{${matchers}}[{{interval}}])`;

export const PRESET_DEFINITIONS: Record<MetricsPreset, PresetDefinition> = {
  triton: {
    label: 'NVIDIA Triton',
    modelLabel: 'model',
    versionLabel: 'version',
    notes:
      'Requests = nv_inference_request_success + nv_inference_request_failure; errors = nv_inference_request_failure. Triton exports latency as cumulative counters and summaries, not histograms: add a latency buckets query (e.g. from the mesh) to compare latency.',
    templates: (m) => ({
      requests: `sum(${increase('nv_inference_request_success', m)}) + (sum(${increase('nv_inference_request_failure', m)}) or vector(0))`,
      errors: `sum(${increase('nv_inference_request_failure', m)})`,
      latencyUnit: 'seconds',
    }),
  },
  torchserve: {
    label: 'TorchServe',
    modelLabel: 'model_name',
    versionLabel: 'model_version',
    notes:
      'Requests = ts_inference_requests_total; errors = Requests5XX of the hosts serving that model version (TorchServe counts 5xx per host, not per model). Latency is a cumulative counter (ts_inference_latency_microseconds), not a histogram: add a latency buckets query to compare latency.',
    templates: (m) => ({
      requests: `sum(${increase('ts_inference_requests_total', m)})`,
      // Requests5XX carries `Hostname`; the request counter `hostname`: join on the hosts of this version.
      errors: `sum(increase(Requests5XX[{{interval}}]) and on (Hostname) label_replace(ts_inference_requests_total{${m}}, "Hostname", "$1", "hostname", "(.*)"))`,
      latencyUnit: 'seconds',
    }),
  },
  bentoml: {
    label: 'BentoML',
    modelLabel: 'service_name',
    versionLabel: 'service_version',
    notes: 'Requests = bentoml_service_request_total; errors = those with http_response_code 5xx; latency = bentoml_service_request_duration_seconds histogram.',
    templates: (m) => ({
      requests: `sum(${increase('bentoml_service_request_total', m)})`,
      errors: `sum(${increase('bentoml_service_request_total', `${m},http_response_code=~"5.."`)})`,
      latencyBuckets: `sum by (le) (${increase('bentoml_service_request_duration_seconds_bucket', m)})`,
      latencyUnit: 'seconds',
    }),
  },
  kserve: {
    label: 'KServe (Knative queue-proxy)',
    modelLabel: 'configuration_name',
    versionLabel: 'version',
    notes:
      'KServe canaries (canaryTrafficPercent) run as Knative revisions; the queue-proxy counts every request: requests = revision_app_request_count, errors = response_code_class 5xx, latency = revision_app_request_latencies histogram (milliseconds). The model label is the predictor configuration, "<service>-predictor".',
    templates: (m) => ({
      requests: `sum(${increase('revision_app_request_count', m)})`,
      errors: `sum(${increase('revision_app_request_count', `${m},response_code_class="5xx"`)})`,
      latencyBuckets: `sum by (le) (${increase('revision_app_request_latencies_bucket', m)})`,
      latencyUnit: 'milliseconds',
    }),
  },
};

/** A Prometheus label name, as the exposition format allows (no `__` prefix: those are reserved). */
const LabelName = z
  .string()
  .trim()
  .regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'A Prometheus label name: letters, digits and _; not starting with a digit')
  .refine((s) => !s.startsWith('__'), 'Label names starting with __ are reserved by Prometheus')
  .max(100);

/** A model's metrics source: a preset with optional label overrides, or none (use the environment's). */
export const MetricsSource = z
  .object({
    preset: z.enum(METRICS_PRESETS),
    modelLabel: LabelName.optional(),
    versionLabel: LabelName.optional(),
    /** The value of the model label; defaults to the serving service (KServe: "<service>-predictor"). */
    modelLabelValue: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .refine((v) => !v.includes('{{') && !v.includes('}}'), 'A label value, not a template: no {{ or }}')
      .optional(),
    /** A latency histogram query for servers that export none (Triton, TorchServe), or to replace the preset's. */
    latencyBuckets: PromqlTemplate.optional(),
    latencyUnit: z.enum(['seconds', 'milliseconds']).optional(),
  })
  .strict();
export type MetricsSource = z.infer<typeof MetricsSource>;

export const UpdateMetricsSourceInput = z.object({
  model: ModelName,
  /** null turns the preset off: the environment's templates (or pushed samples) apply again. */
  source: MetricsSource.nullable(),
});

/**
 * The PromQL a model's preset runs: a PrometheusSource whose `{{service}}` placeholder stands for
 * the model label's value. `modelLabelValue` is rendered as a literal (escaped here), so it may
 * differ from the serving service Flightdeck knows the model by.
 */
export function presetSource(source: MetricsSource): PrometheusSource {
  const def = PRESET_DEFINITIONS[source.preset];
  const modelValue = source.modelLabelValue !== undefined ? escapePromqlString(source.modelLabelValue) : source.preset === 'kserve' ? '{{service}}-predictor' : '{{service}}';
  const matchers = `${source.modelLabel ?? def.modelLabel}="${modelValue}",${source.versionLabel ?? def.versionLabel}="{{version}}"`;
  const t = def.templates(matchers);
  const latencyBuckets = source.latencyBuckets ?? t.latencyBuckets;
  return {
    requests: t.requests,
    errors: t.errors,
    ...(latencyBuckets ? { latencyBuckets } : {}),
    latencyUnit: source.latencyUnit ?? (source.latencyBuckets ? 'seconds' : t.latencyUnit),
  };
}

