'use client';

import { useMemo, type ReactNode } from 'react';
import { Area, CartesianGrid, ComposedChart, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { EmptyState } from '@/components/ui/panel';
import type { ArmSummary, LiftPoint, MetricResult } from '@/lib/domain/experiment-results';
import {
  armColour,
  armLabel,
  clip,
  controlFirst,
  describeForestRow,
  formatCount,
  formatInterval,
  formatPercent,
  forestRows,
  forestScale,
  fullTimeFormat,
  liftRows,
  timeFormat,
  treatmentsOf,
  unitsRows,
  VERDICT_COLOURS,
  type ForestRow,
  type LiftRow,
} from './chart-rows';

/**
 * The experiment page's charts. They take the results the page already fetched (one request
 * per refresh, see useExperimentResults) and only draw them; the row building lives in
 * chart-rows.ts, where it is unit-tested.
 */

function ChartFrame({ title, note, children }: { title: string; note?: ReactNode; children: ReactNode }) {
  return (
    <figure>
      <figcaption className="mb-1">
        <h3 className="text-sm font-medium">{title}</h3>
        {note && <p className="text-xs text-zinc-600 dark:text-zinc-400">{note}</p>}
      </figcaption>
      {children}
    </figure>
  );
}

/** Tick and tooltip time formats in the reader's zone; only called by the charts, which draw on the client. */
function useTimeFormats(rows: { t: number }[]) {
  const span = rows.length > 1 ? rows.at(-1)!.t - rows[0]!.t : 0;
  return useMemo(() => ({ tick: timeFormat(span), full: fullTimeFormat() }), [span]);
}

const tooltipBox = 'rounded-md border border-zinc-200 bg-white px-2.5 py-1.5 text-xs shadow-sm dark:border-zinc-700 dark:bg-zinc-900';

// ---------------------------------------------------------------------------------------------

const W = 720;
const PLOT = { left: 112, right: 548 };
const ROW_H = 40;
const TOP = 20;
const AXIS_H = 46;

const signedTick = (t: number) => (t === 0 ? '0' : `${t > 0 ? '+' : '−'}${Math.abs(t)}`);

/** One metric, one row per treatment: the lift's interval as a bar, the estimate as a dot, 0 % as the reference. */
export function ForestPlot({ metric, arms }: { metric: MetricResult; arms: ArmSummary[] }) {
  const rows = forestRows(metric, arms);
  const title = `${metric.name}: relative lift vs control (%)`;
  const note = `${metric.role}, ${metric.higherIsBetter ? 'higher' : 'lower'} is better${metric.role === 'guardrail' ? '; one-sided interval in the harmful direction, an arrow means unbounded' : ''}`;
  if (rows.length === 0)
    return (
      <ChartFrame title={title}>
        <EmptyState title="No comparison yet">The experiment has no treatment to compare with control.</EmptyState>
      </ChartFrame>
    );
  const { domain, ticks } = forestScale(rows);
  const x = (v: number) => PLOT.left + ((v - domain[0]) / (domain[1] - domain[0])) * (PLOT.right - PLOT.left);
  const axisY = TOP + rows.length * ROW_H;
  const height = axisY + AXIS_H;
  return (
    <ChartFrame title={title} note={note}>
      <div className="overflow-x-auto">
        <svg viewBox={`0 0 ${W} ${height}`} width="100%" className="h-auto min-w-[480px]" aria-hidden="true" fontSize={12}>
          {ticks.map((t) => (
            <g key={t}>
              <line x1={x(t)} x2={x(t)} y1={TOP} y2={axisY} stroke="currentColor" strokeOpacity={0.1} strokeDasharray="3 3" />
              <line x1={x(t)} x2={x(t)} y1={axisY} y2={axisY + 5} stroke="currentColor" strokeOpacity={0.5} />
              <text x={x(t)} y={axisY + 18} textAnchor="middle" fill="currentColor" fillOpacity={0.7} fontSize={11}>
                {signedTick(t)}
              </text>
            </g>
          ))}
          <line x1={PLOT.left} x2={PLOT.right} y1={axisY} y2={axisY} stroke="currentColor" strokeOpacity={0.5} />
          <text x={(PLOT.left + PLOT.right) / 2} y={axisY + 38} textAnchor="middle" fill="currentColor" fontSize={11}>
            Relative lift (%)
          </text>
          <line x1={x(0)} x2={x(0)} y1={TOP - 4} y2={axisY} stroke="currentColor" strokeOpacity={0.6} strokeDasharray="4 3" />
          <text x={x(0)} y={TOP - 8} textAnchor="middle" fill="currentColor" fillOpacity={0.7} fontSize={10}>
            no change
          </text>
          {rows.map((row, i) => (
            <ForestRowMark key={row.arm} row={row} y={TOP + i * ROW_H + ROW_H / 2} x={x} domain={domain} />
          ))}
        </svg>
      </div>
      <table className="sr-only">
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">Treatment</th>
            <th scope="col">Relative lift</th>
            <th scope="col">Interval</th>
            <th scope="col">Verdict</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.arm}>
              <th scope="row">{row.label}</th>
              {row.status === 'ok' ? (
                <>
                  <td>{formatPercent(row.lift)}</td>
                  <td>{formatInterval(row.lo, row.hi)}</td>
                  <td>{row.verdict}</td>
                </>
              ) : (
                <td colSpan={3}>{row.message}</td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </ChartFrame>
  );
}

function ForestRowMark({ row, y, x, domain }: { row: ForestRow; y: number; x: (v: number) => number; domain: [number, number] }) {
  const label = (
    <text x={PLOT.left - 10} y={y + 4} textAnchor="end" fill="currentColor">
      {row.label}
    </text>
  );
  if (row.status !== 'ok')
    return (
      <g>
        <title>{describeForestRow(row)}</title>
        {label}
        <text x={PLOT.left + 8} y={y + 4} fill="currentColor" fillOpacity={0.65} fontStyle="italic" fontSize={11}>
          {row.message}
        </text>
      </g>
    );
  const colour = VERDICT_COLOURS[row.verdict];
  const lo = clip(row.lo, domain);
  const hi = clip(row.hi, domain);
  const [x1, x2] = [x(lo.value), x(hi.value)];
  return (
    <g>
      <title>{describeForestRow(row)}</title>
      {label}
      <rect x={PLOT.left} y={y - ROW_H / 2} width={PLOT.right - PLOT.left} height={ROW_H} fill="transparent" />
      <line x1={x1} x2={x2} y1={y} y2={y} stroke={colour} strokeWidth={3} />
      {lo.clipped ? <path d={`M ${x1 - 2} ${y} l 9 -6 v 12 z`} fill={colour} /> : <line x1={x1} x2={x1} y1={y - 6} y2={y + 6} stroke={colour} strokeWidth={2} />}
      {hi.clipped ? <path d={`M ${x2 + 2} ${y} l -9 -6 v 12 z`} fill={colour} /> : <line x1={x2} x2={x2} y1={y - 6} y2={y + 6} stroke={colour} strokeWidth={2} />}
      <circle cx={x(row.lift)} cy={y} r={5.5} fill={colour} stroke="white" strokeWidth={1.5} />
      <text x={PLOT.right + 14} y={y - 2} fill="currentColor" fontWeight={600}>
        {formatPercent(row.lift)} <tspan fill={colour}>● </tspan>
        <tspan fontWeight={400}>{row.verdict}</tspan>
      </text>
      <text x={PLOT.right + 14} y={y + 13} fill="currentColor" fillOpacity={0.7} fontSize={10.5}>
        {formatInterval(row.lo, row.hi)}
      </text>
    </g>
  );
}

// ---------------------------------------------------------------------------------------------

/** The primary metric's relative lift of each treatment over time, with its interval as a band. */
export function LiftOverTime({ series, arms, alphaLabel }: { series: LiftPoint[]; arms: ArmSummary[]; alphaLabel: string }) {
  const treatments = treatmentsOf(arms);
  const keys = treatments.map((a) => a.key).join('\n');
  const { rows, domain, ticks, hasLift } = useMemo(() => liftRows(series, keys ? keys.split('\n') : []), [series, keys]);
  const time = useTimeFormats(rows);
  const title = 'Primary metric: relative lift over time (%)';
  if (!hasLift)
    return (
      <ChartFrame title={title}>
        <EmptyState title={series.length === 0 ? 'Waiting for the first units' : 'Not enough data for a lift yet'}>The line starts once every arm has enough units to compare.</EmptyState>
      </ChartFrame>
    );
  return (
    <ChartFrame title={title} note={`Line: relative lift vs control; band: ${alphaLabel}. Gaps: not enough data at that time.`}>
      <div className="h-64">
        <ResponsiveContainer width="100%" height="100%">
          <ComposedChart data={rows} margin={{ top: 16, right: 16, bottom: 0, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="currentColor" strokeOpacity={0.1} />
            <XAxis dataKey="t" type="number" domain={['dataMin', 'dataMax']} tickFormatter={time.tick} fontSize={11} />
            <YAxis domain={domain} ticks={ticks} unit="%" fontSize={11} width={56} allowDataOverflow />
            <ReferenceLine y={0} stroke="currentColor" strokeOpacity={0.6} strokeDasharray="4 3" />
            {treatments.map((arm, i) => (
              <Area key={`band-${arm.key}`} dataKey={`band_${i}`} name={`${arm.version} interval`} fill={armColour(arm.key, arms)} fillOpacity={0.18} stroke="none" legendType="none" connectNulls={false} isAnimationActive={false} activeDot={false} />
            ))}
            {treatments.map((arm, i) => (
              <Line key={arm.key} dataKey={`lift_${i}`} name={armLabel(arm)} stroke={armColour(arm.key, arms)} strokeWidth={2} dot={rows.length < 20 ? { r: 2 } : false} connectNulls={false} isAnimationActive={false} />
            ))}
            <Tooltip content={({ active, payload }) => (active ? <LiftTooltip row={payload?.[0]?.payload as LiftRow | undefined} treatments={treatments} arms={arms} alphaLabel={alphaLabel} full={time.full} /> : null)} />
            <Legend />
          </ComposedChart>
        </ResponsiveContainer>
      </div>
    </ChartFrame>
  );
}

function LiftTooltip({ row, treatments, arms, alphaLabel, full }: { row: LiftRow | undefined; treatments: ArmSummary[]; arms: ArmSummary[]; alphaLabel: string; full: (t: number) => string }) {
  if (!row) return null;
  return (
    <div className={tooltipBox}>
      <p className="mb-1 font-medium">{full(row.t)}</p>
      <ul className="space-y-0.5">
        {treatments.map((arm, i) => {
          const lift = row[`lift_${i}`];
          const ci = row[`ci_${i}`];
          return (
            <li key={arm.key}>
              <span style={{ color: armColour(arm.key, arms) }}>●</span> {arm.version}:{' '}
              {lift === null || lift === undefined ? <span className="text-zinc-500">not enough data</span> : <><strong>{formatPercent(lift)}</strong> {ci && formatInterval(ci[0], ci[1])}</>}
            </li>
          );
        })}
      </ul>
      <p className="mt-1 text-zinc-500">Interval: {alphaLabel}</p>
    </div>
  );
}

// ---------------------------------------------------------------------------------------------

/** Cumulative units per arm against the planned sample size per arm. */
export function UnitsPerArm({ series, arms, plannedPerArm }: { series: LiftPoint[]; arms: ArmSummary[]; plannedPerArm: number }) {
  const ordered = controlFirst(arms);
  const keys = ordered.map((a) => a.key).join('\n');
  const rows = useMemo(() => unitsRows(series, keys ? keys.split('\n') : []), [series, keys]);
  const time = useTimeFormats(rows);
  const title = 'Units per arm (cumulative)';
  if (rows.length === 0)
    return (
      <ChartFrame title={title}>
        <EmptyState title="Waiting for the first units">Routers push them to POST /api/v1/metrics; the chart fills in as they arrive.</EmptyState>
      </ChartFrame>
    );
  return (
    <ChartFrame title={title} note={plannedPerArm > 0 ? `Dashed line: the planned ${formatCount(plannedPerArm)} units per arm.` : undefined}>
      <div className="h-56">
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={rows} margin={{ top: 16, right: 16, bottom: 0, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="currentColor" strokeOpacity={0.1} />
            <XAxis dataKey="t" type="number" domain={['dataMin', 'dataMax']} tickFormatter={time.tick} fontSize={11} />
            <YAxis tickFormatter={(v: number) => formatCount(v)} fontSize={11} width={64} />
            <Tooltip labelFormatter={(t) => time.full(Number(t))} formatter={(value, name) => [formatCount(Number(value)), String(name)]} />
            <Legend />
            {plannedPerArm > 0 && (
              <ReferenceLine y={plannedPerArm} stroke="currentColor" strokeOpacity={0.6} strokeDasharray="6 4" ifOverflow="extendDomain" label={{ value: `plan: ${formatCount(plannedPerArm)} per arm`, position: 'insideTopRight', fontSize: 10, fill: 'currentColor' }} />
            )}
            {ordered.map((arm, i) => (
              <Line key={arm.key} dataKey={`units_${i}`} name={armLabel(arm)} stroke={armColour(arm.key, arms)} strokeWidth={2} dot={false} connectNulls isAnimationActive={false} />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </div>
    </ChartFrame>
  );
}
