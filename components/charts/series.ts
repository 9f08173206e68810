/** Pure mappers from the metrics API to chart rows: one row per time bucket, baseline and canary side by side. */
export type SeriesPoint = { t: string; variant: 'baseline' | 'canary'; requests: number | null; errorRate: number | null; p50: number | null; p95: number | null; p99: number | null; kpis: Record<string, number> };
export type ChartRow = { t: number } & Partial<Record<string, number>>;

export function toRows(points: SeriesPoint[]): ChartRow[] {
  const rows = new Map<string, ChartRow>();
  for (const p of points) {
    const row = rows.get(p.t) ?? { t: Date.parse(p.t) };
    const v = p.variant;
    if (p.errorRate !== null) row[`${v}ErrorRate`] = Number(p.errorRate.toFixed(3));
    if (p.p50 !== null) row[`${v}P50`] = Math.round(p.p50 * 10) / 10;
    if (p.p95 !== null) row[`${v}P95`] = Math.round(p.p95 * 10) / 10;
    if (p.p99 !== null) row[`${v}P99`] = Math.round(p.p99 * 10) / 10;
    if (p.requests !== null) row[`${v}Requests`] = p.requests;
    for (const [kpi, mean] of Object.entries(p.kpis)) row[`${v}Kpi:${kpi}`] = Number(mean.toPrecision(6));
    rows.set(p.t, row);
  }
  return [...rows.values()].sort((a, b) => a.t - b.t);
}

/** Live appends: points from `since` replace the ones they overlap (the last bucket fills up). */
export function mergePoints(previous: SeriesPoint[], incoming: SeriesPoint[]): SeriesPoint[] {
  const key = (p: SeriesPoint) => `${p.t}|${p.variant}`;
  const map = new Map(previous.map((p) => [key(p), p]));
  for (const p of incoming) map.set(key(p), p);
  return [...map.values()].sort((a, b) => a.t.localeCompare(b.t) || a.variant.localeCompare(b.variant));
}

export const formatTime = (t: number) => new Date(t).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** The business KPIs present in the series, each charted on its own. */
export function kpiNames(points: SeriesPoint[]): string[] {
  return [...new Set(points.flatMap((p) => Object.keys(p.kpis)))].sort();
}
