import { describe, expect, it } from 'vitest';
import { METRICS_PRESETS, MetricsSource, presetSource, PRESET_DEFINITIONS } from '@/lib/domain/metrics-presets';
import { PromqlTemplate, renderPromql } from '@/lib/domain/promql';

const vars = { service: 'fraud-detector', environment: 'production', version: '1.1.0', variant: 'canary', interval: '60s' };
const render = (template: string) => renderPromql(template, vars);

describe('presetSource', () => {
  it.each(METRICS_PRESETS)('%s: every query is a valid template that selects the model and the version', (preset) => {
    const source = presetSource({ preset });
    const def = PRESET_DEFINITIONS[preset];
    const modelValue = preset === 'kserve' ? 'fraud-detector-predictor' : 'fraud-detector';
    for (const template of [source.requests, source.errors, ...(source.latencyBuckets ? [source.latencyBuckets] : [])]) {
      expect(PromqlTemplate.safeParse(template).success).toBe(true);
      const query = render(template);
      expect(query).toContain(`${def.modelLabel}="${modelValue}"`);
      expect(query).toContain(`${def.versionLabel}="1.1.0"`);
      expect(query).toContain('[60s]');
      expect(query).not.toContain('{{');
    }
  });

  it('renders each server’s metric names', () => {
    expect(render(presetSource({ preset: 'triton' }).requests)).toBe(
      'sum(increase(nv_inference_request_success{model="fraud-detector",version="1.1.0"}[60s])) + (sum(increase(nv_inference_request_failure{model="fraud-detector",version="1.1.0"}[60s])) or vector(0))',
    );
    expect(render(presetSource({ preset: 'triton' }).errors)).toBe('sum(increase(nv_inference_request_failure{model="fraud-detector",version="1.1.0"}[60s]))');
    expect(render(presetSource({ preset: 'torchserve' }).requests)).toBe('sum(increase(ts_inference_requests_total{model_name="fraud-detector",model_version="1.1.0"}[60s]))');
    expect(render(presetSource({ preset: 'torchserve' }).errors)).toBe(
      'sum(increase(Requests5XX[60s]) and on (Hostname) label_replace(ts_inference_requests_total{model_name="fraud-detector",model_version="1.1.0"}, "Hostname", "$1", "hostname", "(.*)"))',
    );
    expect(render(presetSource({ preset: 'bentoml' }).errors)).toBe('sum(increase(bentoml_service_request_total{service_name="fraud-detector",service_version="1.1.0",http_response_code=~"5.."}[60s]))');
    expect(render(presetSource({ preset: 'bentoml' }).latencyBuckets!)).toBe('sum by (le) (increase(bentoml_service_request_duration_seconds_bucket{service_name="fraud-detector",service_version="1.1.0"}[60s]))');
    expect(render(presetSource({ preset: 'kserve' }).errors)).toBe('sum(increase(revision_app_request_count{configuration_name="fraud-detector-predictor",version="1.1.0",response_code_class="5xx"}[60s]))');
    expect(render(presetSource({ preset: 'kserve' }).latencyBuckets!)).toBe('sum by (le) (increase(revision_app_request_latencies_bucket{configuration_name="fraud-detector-predictor",version="1.1.0"}[60s]))');
  });

  it('says what unit the latency buckets are in: seconds, except Knative’s milliseconds', () => {
    expect(presetSource({ preset: 'bentoml' }).latencyUnit).toBe('seconds');
    expect(presetSource({ preset: 'kserve' }).latencyUnit).toBe('milliseconds');
    expect(presetSource({ preset: 'triton' }).latencyBuckets).toBeUndefined();
    expect(presetSource({ preset: 'torchserve' }).latencyBuckets).toBeUndefined();
  });

  it('uses the label overrides in every query', () => {
    const source = presetSource({ preset: 'triton', modelLabel: 'model_name', versionLabel: 'app_kubernetes_io_version' });
    for (const template of [source.requests, source.errors]) {
      expect(render(template)).toContain('model_name="fraud-detector",app_kubernetes_io_version="1.1.0"');
      expect(render(template)).not.toContain('version="1.1.0",');
    }
  });

  it('writes a model label value as an escaped literal instead of the serving service', () => {
    const source = presetSource({ preset: 'kserve', modelLabelValue: 'iris "v2"\\x' });
    expect(render(source.requests)).toContain('configuration_name="iris \\"v2\\"\\\\x"');
    expect(render(source.requests)).not.toContain('fraud-detector');
  });

  it('adds or replaces the latency query; its unit defaults to seconds unless given', () => {
    const latencyBuckets = 'sum by (le) (increase(istio_request_duration_milliseconds_bucket{destination_service_name="{{service}}",destination_version="{{version}}"}[{{interval}}]))';
    expect(presetSource({ preset: 'triton', latencyBuckets, latencyUnit: 'milliseconds' })).toMatchObject({ latencyBuckets, latencyUnit: 'milliseconds' });
    expect(presetSource({ preset: 'kserve', latencyBuckets })).toMatchObject({ latencyBuckets, latencyUnit: 'seconds' });
  });

  it('escapes a hostile version where it is rendered', () => {
    const query = renderPromql(presetSource({ preset: 'bentoml' }).requests, { ...vars, version: '1"} or vector(1) #' });
    expect(query).toContain('service_version="1\\"} or vector(1) #"');
  });
});

describe('MetricsSource', () => {
  const issue = (input: unknown) => {
    const parsed = MetricsSource.safeParse(input);
    return parsed.success ? null : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };

  it('accepts each preset alone and with overrides', () => {
    for (const preset of METRICS_PRESETS) expect(issue({ preset })).toBeNull();
    expect(issue({ preset: 'triton', modelLabel: 'model', versionLabel: 'app_kubernetes_io_version', modelLabelValue: 'fraud', latencyUnit: 'milliseconds' })).toBeNull();
  });

  it('names the field it refuses', () => {
    expect(issue({ preset: 'seldon' })?.[0]).toMatch(/^preset: /);
    expect(issue({})?.[0]).toMatch(/^preset: /);
    expect(issue({ preset: 'triton', versionLabel: '1version' })).toEqual(['versionLabel: A Prometheus label name: letters, digits and _; not starting with a digit']);
    expect(issue({ preset: 'triton', modelLabel: 'model"}' })?.[0]).toMatch(/^modelLabel: /);
    expect(issue({ preset: 'triton', modelLabel: '__name__' })).toEqual(['modelLabel: Label names starting with __ are reserved by Prometheus']);
    expect(issue({ preset: 'triton', modelLabelValue: '{{version}}' })).toEqual(['modelLabelValue: A label value, not a template: no {{ or }}']);
    expect(issue({ preset: 'triton', latencyBuckets: 'x{a="{{model}}"}' })?.[0]).toMatch(/^latencyBuckets: Unknown placeholder \{\{model\}\}/);
    expect(issue({ preset: 'triton', latencyUnit: 'minutes' })?.[0]).toMatch(/^latencyUnit: /);
    expect(issue({ preset: 'triton', extra: 1 })?.[0]).toMatch(/Unrecognized key/);
  });
});
