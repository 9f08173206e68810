import { z } from 'zod';

/** The placeholders a PromQL template may use, written `{{name}}`. */
export const PROMQL_VARIABLES = ['service', 'environment', 'version', 'variant', 'interval'] as const;
export type PromqlVariable = (typeof PROMQL_VARIABLES)[number];

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;
const isVariable = (name: string): name is PromqlVariable => (PROMQL_VARIABLES as readonly string[]).includes(name);

/**
 * Escapes a value for use inside a double-quoted PromQL string (a label matcher's value). Without
 * this a version such as `1.0"} or vector(1) #` would rewrite the query: label-value injection.
 */
export function escapePromqlString(value: string): string {
  return value.replace(/[\\"\n\r]/g, (c) => ({ '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r' })[c]!);
}

/**
 * Replaces every `{{name}}` in `template` with the escaped value of `vars[name]`. Throws on a
 * placeholder that is not one of PROMQL_VARIABLES (a typo would otherwise query nothing and look
 * like "no traffic") and on a known placeholder without a value.
 */
export function renderPromql(template: string, vars: Record<string, string>): string {
  return template.replace(PLACEHOLDER, (_, name: string) => {
    if (!isVariable(name)) throw new Error(`Unknown placeholder {{${name}}}; use ${PROMQL_VARIABLES.map((v) => `{{${v}}}`).join(', ')}`);
    const value = vars[name];
    if (value === undefined) throw new Error(`No value for placeholder {{${name}}}`);
    return escapePromqlString(value);
  });
}

/** A PromQL template: non-empty, and only known placeholders (checked when it is saved, not at query time). */
export const PromqlTemplate = z
  .string()
  .trim()
  .min(1, 'Enter a PromQL query')
  .max(2000, 'At most 2,000 characters')
  .superRefine((template, ctx) => {
    for (const [, name] of template.matchAll(PLACEHOLDER))
      if (!isVariable(name!)) ctx.addIssue({ code: 'custom', message: `Unknown placeholder {{${name}}}; use ${PROMQL_VARIABLES.map((v) => `{{${v}}}`).join(', ')}` });
  });
export type PromqlTemplate = z.infer<typeof PromqlTemplate>;

/**
 * Where a release's metrics come from in Prometheus. Each template is an instant query run once per
 * variant over the interval (`{{interval}}`, e.g. `300s`) ending at the interval's end:
 * - requests, errors: one number each (several series are summed; an empty errors result is 0);
 * - latencyBuckets: the cumulative bucket counts, one series per `le` label — what
 *   `sum by (le) (increase(x_bucket{…}[{{interval}}]))` returns, as histogram_quantile's input.
 * Prometheus names durations in seconds by convention; `latencyUnit` says what `le` is in
 * (Flightdeck's histograms are in milliseconds).
 */
export const PrometheusSource = z.object({
  requests: PromqlTemplate,
  errors: PromqlTemplate,
  latencyBuckets: PromqlTemplate.optional(),
  latencyUnit: z.enum(['seconds', 'milliseconds']).default('seconds'),
});
export type PrometheusSource = z.infer<typeof PrometheusSource>;

/** One series of a cumulative Prometheus histogram: its `le` label ("0.5", "+Inf") and value. */
export type CumulativeBucket = { le?: string; value: number };

/**
 * Prometheus buckets are cumulative (`le` = observations ≤ bound, `+Inf` = all of them);
 * Flightdeck's are per bucket, bounds in ms (`toMs` scales `le`). Choices:
 * - the `+Inf` overflow is folded into the last finite bucket — what histogram_quantile answers
 *   for a quantile in the +Inf bucket (the highest finite bound), and the total stays right;
 * - series with the same `le` are summed; series without a numeric `le` are ignored;
 * - bounds ≤ 0 merge into the next bucket (Flightdeck's bounds are positive);
 * - cumulative counts are made non-decreasing first, since increase() extrapolates every bucket
 *   series on its own and can leave a bound a hair below the one before it.
 * Returns null when there is no finite positive bound (nothing a histogram can hold).
 */
export function cumulativeToBuckets(series: CumulativeBucket[], toMs = 1): { le: number; count: number }[] | null {
  const byLe = new Map<number, number>();
  for (const s of series) {
    const le = s.le === '+Inf' ? Infinity : Number(s.le);
    if (s.le === undefined || s.le.trim() === '' || Number.isNaN(le)) continue;
    byLe.set(le, (byLe.get(le) ?? 0) + s.value);
  }
  const bounds = [...byLe.keys()].sort((a, b) => a - b);
  if (!bounds.some((le) => Number.isFinite(le) && le > 0)) return null;
  let running = 0;
  let previous = 0;
  const out: { le: number; count: number }[] = [];
  for (const le of bounds) {
    running = Math.max(running, byLe.get(le)!);
    if (!Number.isFinite(le) || le <= 0) continue;
    out.push({ le: le * toMs, count: running - previous });
    previous = running;
  }
  out[out.length - 1]!.count += running - previous; // the +Inf overflow
  return out;
}
