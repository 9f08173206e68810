import { describe, expect, it } from 'vitest';
import { kpiNames, mergePoints, toRows, type SeriesPoint } from '@/components/charts/series';

const point = (t: string, variant: 'baseline' | 'canary', extra: Partial<SeriesPoint> = {}): SeriesPoint => ({
  t,
  variant,
  requests: 100,
  errorRate: 1.23456,
  p50: 40.04,
  p95: 80.06,
  p99: 120.09,
  kpis: {},
  ...extra,
});

describe('chart series mappers', () => {
  it('puts baseline and canary of one bucket on one row, rounded for display', () => {
    const rows = toRows([point('2026-11-26T10:00:01.000Z', 'canary', { errorRate: 2.5 }), point('2026-11-26T10:00:00.000Z', 'baseline'), point('2026-11-26T10:00:01.000Z', 'baseline')]);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toEqual({ t: Date.parse('2026-11-26T10:00:00Z'), baselineErrorRate: 1.235, baselineP50: 40, baselineP95: 80.1, baselineP99: 120.1, baselineRequests: 100 });
    expect(rows[1]).toMatchObject({ baselineErrorRate: 1.235, canaryErrorRate: 2.5 });
  });

  it('leaves out what was not measured instead of drawing zeros', () => {
    const [row] = toRows([point('2026-11-26T10:00:00.000Z', 'canary', { errorRate: null, p50: null, p95: null, p99: null, requests: null })]);
    expect(row).toEqual({ t: Date.parse('2026-11-26T10:00:00Z') });
  });

  it('charts each KPI under its own key and lists the KPIs present', () => {
    const points = [point('2026-11-26T10:00:00.000Z', 'baseline', { kpis: { basket_eur: 41.2 } }), point('2026-11-26T10:00:00.000Z', 'canary', { kpis: { basket_eur: 43.9, clicks: 2 } })];
    expect(toRows(points)[0]).toMatchObject({ 'baselineKpi:basket_eur': 41.2, 'canaryKpi:basket_eur': 43.9, 'canaryKpi:clicks': 2 });
    expect(kpiNames(points)).toEqual(['basket_eur', 'clicks']);
  });

  it('merges live appends: newer buckets replace the ones they overlap, order is kept', () => {
    const old = [point('2026-11-26T10:00:00.000Z', 'baseline'), point('2026-11-26T10:00:01.000Z', 'baseline', { requests: 10 })];
    const merged = mergePoints(old, [point('2026-11-26T10:00:01.000Z', 'baseline', { requests: 100 }), point('2026-11-26T10:00:02.000Z', 'baseline')]);
    expect(merged.map((p) => [p.t.slice(17, 19), p.requests])).toEqual([
      ['00', 100],
      ['01', 100],
      ['02', 100],
    ]);
  });
});
