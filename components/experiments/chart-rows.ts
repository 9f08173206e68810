import type { ArmSummary, LiftPoint, MetricResult } from '@/lib/domain/experiment-results';

/**
 * Pure mappers from experiment results to what the experiment charts draw. Lifts arrive as
 * fractions (0.05 = 5 %) and leave as percents. Interval bounds may be ±Infinity (one-sided
 * guardrail intervals) or null (the same after a trip through JSON): a missing lower bound is
 * −∞, a missing upper bound +∞.
 */

// Okabe–Ito: control is always blue; treatments take the next colours in order.
export const CONTROL_COLOUR = '#0072b2';
export const TREATMENT_COLOURS = ['#e69f00', '#009e73', '#cc79a7', '#56b4e9'] as const;
export const VERDICT_COLOURS = { better: '#009e73', worse: '#d55e00', inconclusive: '#8c8c8c' } as const;

export type Verdict = keyof typeof VERDICT_COLOURS;
export type Domain = [number, number];

export const isControl = (key: string) => key === 'control';
export const versionOf = (key: string) => key.replace(/^treatment:/, '');
export const treatmentsOf = (arms: ArmSummary[]) => arms.filter((a) => !isControl(a.key));
/** Control first, then the treatments in their design order. */
export const controlFirst = (arms: ArmSummary[]) => [...arms.filter((a) => isControl(a.key)), ...treatmentsOf(arms)];

export const treatmentColour = (index: number) => TREATMENT_COLOURS[index % TREATMENT_COLOURS.length]!;
/** The same colour for an arm on every chart: control blue, treatments by their order. */
export function armColour(key: string, arms: ArmSummary[]): string {
  if (isControl(key)) return CONTROL_COLOUR;
  return treatmentColour(Math.max(0, treatmentsOf(arms).findIndex((a) => a.key === key)));
}

/** "control 1.0.0 (50 %)", "treatment 1.1.0 (25 %)". */
export function armLabel(arm: ArmSummary): string {
  return `${isControl(arm.key) ? 'control' : 'treatment'} ${arm.version} (${arm.allocation} %)`;
}

/** A bound as a number: null, undefined or NaN means unbounded on that side. */
export function bound(value: number | null | undefined, side: 'lo' | 'hi'): number {
  if (typeof value === 'number' && !Number.isNaN(value)) return value;
  return side === 'lo' ? -Infinity : Infinity;
}

export const toPercent = (fraction: number) => fraction * 100;

/** A signed percent with `digits` decimals: "+5.00 %", "−1.25 %", "0.00 %"; infinities as "+∞" / "−∞". */
export function formatPercent(percent: number, digits = 2): string {
  if (Number.isNaN(percent)) return '–';
  if (percent === Infinity) return '+∞';
  if (percent === -Infinity) return '−∞';
  const text = Math.abs(percent).toFixed(digits);
  if (Number(text) === 0) return `${(0).toFixed(digits)} %`;
  return `${percent > 0 ? '+' : '−'}${text} %`;
}

export const formatInterval = (lo: number, hi: number, digits = 2) => `[${formatPercent(lo, digits)}, ${formatPercent(hi, digits)}]`;

/** Whole units with thousands separators (fixed locale, so server and client agree). */
export const formatCount = (n: number) => Math.round(n).toLocaleString('en');

/** Clamps a value into the domain and says whether it had to (drawn as an open end / arrow). */
export function clip(value: number, [min, max]: Domain): { value: number; clipped: boolean } {
  if (value < min) return { value: min, clipped: true };
  if (value > max) return { value: max, clipped: true };
  return { value, clipped: false };
}

function niceStep(rough: number): number {
  const power = 10 ** Math.floor(Math.log10(rough));
  const m = rough / power;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 2.5 ? 2.5 : m <= 5 ? 5 : 10) * power;
}

/**
 * A domain with round ends and its ticks, covering the finite values given and always 0 (the
 * "no change" line). `openLo` / `openHi` leave room beyond the data for an arrow on that side.
 */
export function niceScale(values: number[], options: { openLo?: boolean; openHi?: boolean; ticks?: number } = {}): { domain: Domain; ticks: number[] } {
  const finite = values.filter(Number.isFinite);
  let min = Math.min(0, ...finite);
  let max = Math.max(0, ...finite);
  if (max - min < 1e-9) {
    min -= 1;
    max += 1;
  }
  const pad = (max - min) * 0.15;
  if (options.openLo) min -= pad;
  if (options.openHi) max += pad;
  const step = niceStep((max - min) / (options.ticks ?? 5));
  const lo = Math.floor(min / step + 1e-9) * step;
  const hi = Math.ceil(max / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let k = Math.round(lo / step); k <= Math.round(hi / step); k++) ticks.push(Number((k * step).toPrecision(12)));
  return { domain: [ticks[0]!, ticks.at(-1)!], ticks };
}

// ---------------------------------------------------------------------------------------------
// Forest plot: one row per treatment comparison of one metric.

export type ForestRow =
  | { arm: string; label: string; status: 'ok'; lift: number; lo: number; hi: number; verdict: Verdict }
  | { arm: string; label: string; status: 'not_enough_data'; message: string };

export function forestRows(metric: MetricResult, arms: ArmSummary[]): ForestRow[] {
  return metric.comparisons.map((c): ForestRow => {
    const label = arms.find((a) => a.key === c.arm)?.version ?? versionOf(c.arm);
    if (c.status !== 'ok') return { arm: c.arm, label, status: 'not_enough_data', message: c.message };
    const ci = c.ci as [number | null, number | null];
    return { arm: c.arm, label, status: 'ok', lift: toPercent(c.lift), lo: toPercent(bound(ci[0], 'lo')), hi: toPercent(bound(ci[1], 'hi')), verdict: c.verdict };
  });
}

export function forestScale(rows: ForestRow[]): { domain: Domain; ticks: number[] } {
  const ok = rows.filter((r) => r.status === 'ok');
  return niceScale(
    ok.flatMap((r) => [r.lift, r.lo, r.hi]),
    { openLo: ok.some((r) => !Number.isFinite(r.lo)), openHi: ok.some((r) => !Number.isFinite(r.hi)) },
  );
}

/** "1.1.0: +5.00 % [+1.20 %, +8.80 %], better" — for the tooltip and the screen-reader summary. */
export function describeForestRow(row: ForestRow): string {
  if (row.status !== 'ok') return `${row.label}: ${row.message}`;
  return `${row.label}: ${formatPercent(row.lift)} ${formatInterval(row.lo, row.hi)}, ${row.verdict}`;
}

// ---------------------------------------------------------------------------------------------
// Lift over time: per treatment i, `lift_i` (the line), `band_i` ([lo, hi], the shaded band,
// infinite sides clipped to the axis) and `ci_i` (the true interval, for the tooltip). Keys are
// indices because arm keys contain dots ("treatment:1.1.0"), which chart libraries read as paths.

export type LiftRow = { t: number } & { [k: `lift_${number}`]: number | null; [k: `band_${number}`]: [number, number] | null; [k: `ci_${number}`]: [number, number] | null };

export function liftRows(series: LiftPoint[], treatmentKeys: string[]): { rows: LiftRow[]; domain: Domain; ticks: number[]; hasLift: boolean } {
  type Raw = { lift: number; lo: number; hi: number } | null;
  const raw = series.map((p) => ({
    t: Date.parse(p.at),
    values: treatmentKeys.map((key): Raw => {
      const v = p.lift[key];
      if (!v || typeof v.lift !== 'number' || !Number.isFinite(v.lift)) return null;
      return { lift: toPercent(v.lift), lo: toPercent(bound(v.lo, 'lo')), hi: toPercent(bound(v.hi, 'hi')) };
    }),
  }));
  const present = raw.flatMap((r) => r.values.filter((v): v is NonNullable<Raw> => v !== null));
  // The first looks have few units and intervals hundreds of percent wide; scaling to them would
  // flatten everything after. The axis fits the later three quarters, and earlier points are
  // clipped at its edge (their tooltip still shows the true numbers).
  const sorted = [...raw].sort((a, b) => a.t - b.t);
  const later = sorted.slice(Math.floor(sorted.length / 4)).flatMap((r) => r.values.filter((v): v is NonNullable<Raw> => v !== null));
  const scaled = later.length ? later : present;
  const { domain, ticks } = niceScale(
    scaled.flatMap((v) => [v.lift, v.lo, v.hi]),
    { openLo: scaled.some((v) => !Number.isFinite(v.lo)), openHi: scaled.some((v) => !Number.isFinite(v.hi)) },
  );
  const rows = raw
    .map(({ t, values }) => {
      const row = { t } as LiftRow;
      values.forEach((v, i) => {
        row[`lift_${i}`] = v?.lift ?? null;
        row[`band_${i}`] = v ? [clip(v.lo, domain).value, clip(v.hi, domain).value] : null;
        row[`ci_${i}`] = v ? [v.lo, v.hi] : null;
      });
      return row;
    })
    .sort((a, b) => a.t - b.t);
  return { rows, domain, ticks, hasLift: present.length > 0 };
}

// ---------------------------------------------------------------------------------------------
// Units per arm: `units_i` for arm i in the order given (control first).

export type UnitsRow = { t: number } & { [k: `units_${number}`]: number | null };

export function unitsRows(series: LiftPoint[], armKeys: string[]): UnitsRow[] {
  return series
    .map((p) => {
      const row = { t: Date.parse(p.at) } as UnitsRow;
      armKeys.forEach((key, i) => {
        const n = p.units[key];
        row[`units_${i}`] = typeof n === 'number' && Number.isFinite(n) ? n : null;
      });
      return row;
    })
    .sort((a, b) => a.t - b.t);
}

// ---------------------------------------------------------------------------------------------
// Time axis, in the reader's zone (call on the client): the wider the span, the coarser the tick.

export function timeFormat(spanMs: number, locale?: string, timeZone?: string): (t: number) => string {
  const options: Intl.DateTimeFormatOptions =
    spanMs >= 86_400_000
      ? { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' }
      : spanMs >= 600_000
        ? { hour: '2-digit', minute: '2-digit' }
        : { hour: '2-digit', minute: '2-digit', second: '2-digit' };
  const format = new Intl.DateTimeFormat(locale, { ...options, timeZone });
  return (t) => format.format(new Date(t));
}

export function fullTimeFormat(locale?: string, timeZone?: string): (t: number) => string {
  const format = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium', timeZone });
  return (t) => format.format(new Date(t));
}
