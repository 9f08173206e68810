import { describe, expect, it } from 'vitest';
import { cumulativeToBuckets, escapePromqlString, PrometheusSource, PromqlTemplate, renderPromql } from '@/lib/domain/promql';

const vars = { service: 'fraud-detector', environment: 'production', version: '1.3.0', variant: 'canary', interval: '300s' };

describe('renderPromql', () => {
  it('fills every placeholder', () => {
    const template = 'sum(increase(http_requests_total{service="{{service}}",env="{{environment}}",version="{{version}}",variant="{{variant}}"}[{{interval}}]))';
    expect(renderPromql(template, vars)).toBe('sum(increase(http_requests_total{service="fraud-detector",env="production",version="1.3.0",variant="canary"}[300s]))');
  });

  it('allows spaces inside the braces and repeated placeholders', () => {
    expect(renderPromql('{{ version }}/{{version}}', vars)).toBe('1.3.0/1.3.0');
  });

  it('leaves a template without placeholders alone', () => {
    expect(renderPromql('up{job="x"}', vars)).toBe('up{job="x"}');
  });

  it('refuses an unknown placeholder, naming it and the known ones', () => {
    expect(() => renderPromql('x{model="{{model}}"}', vars)).toThrow(/Unknown placeholder \{\{model\}\}; use \{\{service\}\}/);
  });

  it('refuses a known placeholder without a value', () => {
    expect(() => renderPromql('{{version}}', { service: 's' })).toThrow('No value for placeholder {{version}}');
  });

  it('escapes quotes and backslashes so a value cannot leave its label matcher', () => {
    const hostile = '1.0"} or vector(1) or up{a="\\';
    const rendered = renderPromql('x{version="{{version}}"}', { ...vars, version: hostile });
    expect(rendered).toBe('x{version="1.0\\"} or vector(1) or up{a=\\"\\\\"}');
    // Reading the string back the way PromQL does gives the original value.
    expect(JSON.parse(rendered.slice('x{version='.length, -1))).toBe(hostile);
  });

  it('escapes newlines', () => {
    expect(escapePromqlString('a\nb\rc')).toBe('a\\nb\\rc');
  });
});

describe('PrometheusSource', () => {
  it('accepts templates and defaults the latency unit to seconds', () => {
    const parsed = PrometheusSource.parse({ requests: 'sum(x{version="{{version}}"})', errors: 'sum(y)' });
    expect(parsed).toEqual({ requests: 'sum(x{version="{{version}}"})', errors: 'sum(y)', latencyUnit: 'seconds' });
  });

  it('refuses unknown placeholders and empty templates when the source is saved', () => {
    const result = PrometheusSource.safeParse({ requests: 'sum(x{v="{{verison}}"})', errors: '  ' });
    expect(result.success).toBe(false);
    const messages = result.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(messages).toContain('requests: Unknown placeholder {{verison}}; use {{service}}, {{environment}}, {{version}}, {{variant}}, {{interval}}');
    expect(messages).toContain('errors: Enter a PromQL query');
  });

  it('limits a template to 2,000 characters', () => {
    expect(PromqlTemplate.safeParse('x'.repeat(2001)).success).toBe(false);
  });
});

describe('cumulativeToBuckets', () => {
  it('turns cumulative counts into per-bucket counts, folding +Inf into the last finite bucket', () => {
    const series = [
      { le: '+Inf', value: 105 },
      { le: '0.1', value: 60 },
      { le: '0.5', value: 90 },
      { le: '1', value: 100 },
    ];
    expect(cumulativeToBuckets(series, 1000)).toEqual([
      { le: 100, count: 60 },
      { le: 500, count: 30 },
      { le: 1000, count: 15 },
    ]);
  });

  it('sums series with the same bound and ignores series without a numeric le', () => {
    const series = [{ le: '5', value: 2 }, { le: '5', value: 3 }, { le: '10', value: 9 }, { value: 50 }, { le: '', value: 1 }, { le: 'abc', value: 1 }];
    expect(cumulativeToBuckets(series)).toEqual([{ le: 5, count: 5 }, { le: 10, count: 4 }]);
  });

  it('merges bounds ≤ 0 into the next bucket', () => {
    expect(cumulativeToBuckets([{ le: '0', value: 4 }, { le: '10', value: 6 }])).toEqual([{ le: 10, count: 6 }]);
  });

  it('never yields a negative bucket when extrapolation dips a cumulative count', () => {
    const buckets = cumulativeToBuckets([{ le: '1', value: 10.4 }, { le: '2', value: 10.1 }, { le: '+Inf', value: 12 }])!;
    expect(buckets).toEqual([{ le: 1, count: 10.4 }, { le: 2, count: expect.closeTo(1.6) }]);
    expect(buckets.every((b) => b.count >= 0)).toBe(true);
  });

  it('gives null when there is no finite positive bound', () => {
    expect(cumulativeToBuckets([])).toBeNull();
    expect(cumulativeToBuckets([{ le: '+Inf', value: 3 }])).toBeNull();
  });
});
