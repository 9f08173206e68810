'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { Badge } from '@/components/ui/badge';
import { EmptyState } from '@/components/ui/panel';
import { apiFetch } from '@/lib/api-client';
import { formatTime, kpiNames, mergePoints, toRows, type SeriesPoint } from './series';

type Verdict = { id: string; intervalStart: string; intervalEnd: string; verdict: string; score: number | null; summary: string; metrics: { metric: string; outcome: string; reason: string; dryRun: boolean }[]; evidence: { minimumDetectableEffect?: { metric: string; relative: number | null }[]; split?: { expected: number; observed: number | null; ok: boolean } } };
type Series = { widthSeconds: number | null; simulated: boolean; points: SeriesPoint[]; verdicts: Verdict[]; steps: { at: string; action: string; weight: number | null }[] };

// Okabe–Ito: baseline blue, canary orange — the same pair on every chart, baseline first.
const BASELINE = '#0072b2';
const CANARY = '#e69f00';

const VERDICT_TONE = { pass: 'green', marginal: 'amber', fail: 'red', inconclusive: 'neutral' } as const;

/**
 * Baseline vs canary, live: the first load takes the whole (downsampled) history, then every
 * 2 s only the buckets since the last one are fetched and merged. Step changes are vertical lines
 * labelled with the weight; each interval's verdict is listed under the charts with its numbers.
 */
export function ReleaseCharts({ releaseId, live }: { releaseId: string; live: boolean }) {
  const client = useQueryClient();
  const key = ['release-metrics', releaseId];
  const query = useQuery({
    queryKey: key,
    refetchInterval: live ? 2000 : false,
    queryFn: async () => {
      const previous = client.getQueryData<Series>(key);
      const since = previous?.points.at(-1)?.t;
      const next = await apiFetch<Series>(`/api/v1/releases/${releaseId}/metrics${since ? `?since=${encodeURIComponent(since)}` : ''}`);
      // The server widens buckets as a release ages; when it did, take its full answer again.
      if (!previous || !since || previous.widthSeconds !== next.widthSeconds) return since ? apiFetch<Series>(`/api/v1/releases/${releaseId}/metrics`) : next;
      return { ...next, points: mergePoints(previous.points, next.points) };
    },
  });
  // When the release ends (live goes false), fetch once more: the verdict that ended it and the
  // last samples may have landed after the previous poll.
  const { refetch } = query;
  useEffect(() => {
    if (!live) void refetch();
  }, [live, refetch]);
  if (query.isPending) return <p className="text-sm text-zinc-500">Loading metrics…</p>;
  if (query.isError && !query.data) return <p className="text-sm text-red-700">Metrics could not be loaded: {query.error.message}</p>;
  const data = query.data!;
  const rows = toRows(data.points);
  const steps = data.steps.filter((s) => s.weight !== null);
  const last = data.verdicts.at(-1);
  const latestErrors = [...rows].reverse().find((r) => r.baselineErrorRate !== undefined || r.canaryErrorRate !== undefined);
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center gap-2 text-xs text-zinc-500">
        {data.simulated && <Badge tone="amber">simulated traffic (demo simulator)</Badge>}
        {data.widthSeconds && <span>buckets of {data.widthSeconds} s</span>}
        {query.isError ? <span className="text-amber-700">● connection lost; showing the last data</span> : live && <span><span className="text-green-600">●</span> live</span>}
      </div>
      {rows.length === 0 ? (
        <EmptyState title="Waiting for the first samples">Routers push them to POST /api/v1/metrics; the charts fill in as they arrive.</EmptyState>
      ) : (
        <>
          <p className="sr-only" aria-live="polite">
            Latest error rate: baseline {latestErrors?.baselineErrorRate ?? 'no data'} %, canary {latestErrors?.canaryErrorRate ?? 'no data'} %. Last verdict: {last ? `${last.verdict}, ${last.summary}` : 'none yet'}.
          </p>
          <Chart title="Error rate (%)" rows={rows} keys={['baselineErrorRate', 'canaryErrorRate']} unit="%" steps={steps} />
          <Chart title="Latency p99, p95 and p50 (ms)" rows={rows} keys={['baselineP99', 'canaryP99', 'baselineP95', 'canaryP95', 'baselineP50', 'canaryP50']} unit="ms" steps={steps} />
          {kpiNames(data.points).map((kpi) => (
            <Chart key={kpi} title={`${kpi} (mean per bucket)`} rows={rows} keys={[`baselineKpi:${kpi}`, `canaryKpi:${kpi}`]} unit="" steps={steps} />
          ))}
        </>
      )}
      <Verdicts verdicts={data.verdicts} />
    </div>
  );
}

const LABELS: Record<string, string> = {
  baselineErrorRate: 'baseline',
  canaryErrorRate: 'canary',
  baselineP99: 'baseline p99',
  canaryP99: 'canary p99',
  baselineP95: 'baseline p95',
  canaryP95: 'canary p95',
  baselineP50: 'baseline p50',
  canaryP50: 'canary p50',
};

const label = (key: string) => LABELS[key] ?? (key.startsWith('baseline') ? 'baseline' : 'canary');

function Chart({ title, rows, keys, unit, steps }: { title: string; rows: ReturnType<typeof toRows>; keys: string[]; unit: string; steps: { at: string; action: string; weight: number | null }[] }) {
  return (
    <figure>
      <figcaption className="mb-1 text-sm font-medium">{title}</figcaption>
      <div className="h-56">
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={rows} margin={{ top: 16, right: 16, bottom: 0, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="currentColor" strokeOpacity={0.1} />
            <XAxis dataKey="t" type="number" domain={['dataMin', 'dataMax']} tickFormatter={formatTime} fontSize={11} />
            <YAxis fontSize={11} unit={unit === '%' ? '%' : ''} width={48} />
            <Tooltip labelFormatter={(t) => formatTime(Number(t))} formatter={(value, name) => [`${value}${unit ? ` ${unit}` : ''}`, label(String(name))]} />
            <Legend formatter={(name) => label(String(name))} />
            {steps.map((s) => (
              <ReferenceLine key={s.at} x={Date.parse(s.at)} stroke="currentColor" strokeOpacity={0.4} strokeDasharray="4 2" label={{ value: `${s.weight} %`, position: 'top', fontSize: 10 }} />
            ))}
            {keys.map((k) => (
              <Line key={k} dataKey={k} name={k} stroke={k.startsWith('baseline') ? BASELINE : CANARY} strokeDasharray={k.endsWith('P50') ? '5 3' : k.endsWith('P95') ? '2 2' : undefined} dot={false} isAnimationActive={false} connectNulls />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}

function Verdicts({ verdicts }: { verdicts: Verdict[] }) {
  if (verdicts.length === 0) return <p className="text-sm text-zinc-500">No analysis yet: the controller judges each interval once it is over.</p>;
  const latest = verdicts.at(-1)!;
  const mde = latest.evidence.minimumDetectableEffect?.filter((m) => m.relative !== null) ?? [];
  return (
    <section aria-label="Analysis verdicts">
      <h3 className="mb-1 text-sm font-medium">Analysis per interval</h3>
      {mde.length > 0 && (
        <p className="mb-2 text-xs text-zinc-600 dark:text-zinc-400">
          With the last interval&apos;s traffic, the smallest change the test could detect: {mde.map((m) => `${m.metric} ±${((m.relative ?? 0) * 100).toFixed(0)} %`).join(', ')}. A pass means no regression larger than that, not no regression at all.
        </p>
      )}
      <ol className="space-y-1" data-testid="verdicts">
        {[...verdicts].reverse().slice(0, 30).map((v) => (
          <li key={v.id}>
            <details>
              <summary className="cursor-pointer text-sm">
                <span className="text-xs text-zinc-500">{formatTime(Date.parse(v.intervalStart))}–{formatTime(Date.parse(v.intervalEnd))}</span>{' '}
                <Badge tone={VERDICT_TONE[v.verdict as keyof typeof VERDICT_TONE] ?? 'neutral'}>{v.verdict}</Badge> {v.score !== null && <span className="text-xs">score {Math.round(v.score)}</span>} {v.summary}
              </summary>
              <ul className="ml-4 mt-1 space-y-0.5 text-xs">
                {v.metrics.map((m) => (
                  <li key={m.metric}>
                    <strong>{m.metric}</strong> {m.outcome}
                    {m.dryRun && ' (dry run)'}: {m.reason}
                  </li>
                ))}
                {v.evidence.split && !v.evidence.split.ok && <li>Traffic split off: expected {v.evidence.split.expected} %, observed {v.evidence.split.observed?.toFixed(1)} %.</li>}
              </ul>
            </details>
          </li>
        ))}
      </ol>
    </section>
  );
}
