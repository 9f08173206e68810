'use client';

import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { EmptyState } from '@/components/ui/panel';

// Okabe–Ito: reference blue, current orange — as baseline and canary elsewhere.
const REFERENCE = '#0072b2';
const CURRENT = '#e69f00';
const tooltipStyle = { fontSize: 12, borderRadius: 6 };

/** Reference and current proportions per bin (or category), side by side, in %. */
export function HistogramOverlay({ bins }: { bins: { label: string; reference: number; current: number }[] }) {
  if (bins.length === 0) return <EmptyState title="No bins" />;
  const rows = bins.map((b) => ({ label: b.label, reference: +(b.reference * 100).toFixed(3), current: +(b.current * 100).toFixed(3) }));
  return (
    <figure>
      <figcaption className="mb-1 text-sm font-medium">Share of values per bin (%): training reference vs latest window</figcaption>
      <div className="h-64" role="img" aria-label={`Reference vs current: ${rows.map((r) => `${r.label} ${r.reference} % vs ${r.current} %`).join('; ')}`}>
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={rows} margin={{ top: 8, right: 8, bottom: 24, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="label" fontSize={10} interval={0} angle={-25} textAnchor="end" height={48} />
            <YAxis unit="%" fontSize={11} width={48} />
            <Tooltip contentStyle={tooltipStyle} formatter={(v) => `${Number(v).toFixed(2)} %`} />
            <Legend />
            <Bar dataKey="reference" name="reference (training)" fill={REFERENCE} isAnimationActive={false} />
            <Bar dataKey="current" name="current window" fill={CURRENT} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}

/** The headline score per window, with the warning and critical thresholds drawn. Times in the reader's zone. */
export function ScoreOverTime({ series, label, threshold }: { series: { at: string; value: number; severity: string }[]; label: string; threshold: { warning: number; critical: number; operator: string } | null }) {
  if (series.length === 0) return <EmptyState title="No windows yet" />;
  const rows = series.map((p) => ({ t: Date.parse(p.at), value: p.value, severity: p.severity }));
  const time = (t: number) => new Date(t).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  return (
    <figure>
      <figcaption className="mb-1 text-sm font-medium">{label} per window{threshold ? ` (drift when ${threshold.operator} threshold)` : ''}</figcaption>
      <div className="h-56">
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={rows} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="t" type="number" domain={['dataMin', 'dataMax']} tickFormatter={time} fontSize={11} />
            <YAxis fontSize={11} width={56} />
            <Tooltip contentStyle={tooltipStyle} labelFormatter={(t) => new Date(Number(t)).toLocaleString()} formatter={(v) => Number(v).toPrecision(4)} />
            <Legend />
            {threshold && <ReferenceLine y={threshold.warning} stroke="#d97706" strokeDasharray="4 4" label={{ value: `warning ${threshold.warning}`, fontSize: 10, position: 'insideTopLeft' }} />}
            {threshold && <ReferenceLine y={threshold.critical} stroke="#b91c1c" strokeDasharray="4 4" label={{ value: `critical ${threshold.critical}`, fontSize: 10, position: 'insideTopLeft' }} />}
            <Line dataKey="value" name={label} stroke={CURRENT} dot={false} isAnimationActive={false} />
          </LineChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
