import { splitCredentials } from '@/lib/domain/url-credentials';
import { scrubSecrets } from '@/lib/server/observability/error-reporter';
import { z } from 'zod';
import type { MetricSample } from '@/lib/domain/metrics-input';
import { cumulativeToBuckets, type CumulativeBucket, PrometheusSource, renderPromql } from '@/lib/domain/promql';

const TIMEOUT_MS = 10_000;
const MAX_BODY_IN_ERROR = 200;
const MAX_BUCKETS = 100; // MetricSample's limit

/** Every way a pull can fail, with a message an operator can act on (no stack, no raw HTML page). */
export class PrometheusError extends Error {
  override name = 'PrometheusError';
}

const PrometheusUrl = z.url({ protocol: /^https?$/, message: 'FLIGHTDECK_PROMETHEUS_URL must be an http(s) URL such as http://prometheus:9090' });

/** A bad FLIGHTDECK_PROMETHEUS_URL: start-up stops with this one line. */
export class PrometheusConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PrometheusConfigError';
  }
}

/**
 * The Prometheus to pull from, from FLIGHTDECK_PROMETHEUS_URL: null when unset or empty. Throws a
 * one-line error naming the variable when it is not an http(s) URL (the value is not echoed: it
 * may hold basic-auth credentials).
 */
export function configuredPrometheus(env: Record<string, string | undefined> = process.env): { baseUrl: string } | null {
  const raw = env.FLIGHTDECK_PROMETHEUS_URL?.trim();
  if (!raw) return null;
  const parsed = PrometheusUrl.safeParse(raw);
  if (!parsed.success) throw new PrometheusConfigError(parsed.error.issues[0]!.message);
  return { baseUrl: parsed.data.replace(/\/+$/, '') };
}

type Variant = 'baseline' | 'canary';
type Series = CumulativeBucket;

export type PullInput = {
  baseUrl: string;
  source: z.input<typeof PrometheusSource>;
  release: { id: string; service: string; environment: string; baselineVersion: string; canaryVersion: string };
  start: Date;
  end: Date;
  fetch?: typeof fetch;
};

/**
 * Runs the source's instant queries for baseline and canary at `end` over [start, end) and returns
 * one bucket (bucketStart = start) per variant: an `error_rate` counter and, with latencyBuckets,
 * a `latency` histogram. A variant whose requests query returns no number yields no samples (no
 * data is not zero traffic). Series whose value is NaN, ±Inf or negative are skipped.
 * Fails with PrometheusError: unreachable (after one retry) or timed out (10 s), HTTP error, a
 * body that is not Prometheus JSON, status "error" (with Prometheus's own message), a result that
 * is not a vector, more than 100 buckets. Throws a plain Error for a template with an unknown
 * placeholder or an interval that does not end after it starts.
 */
export async function pullPrometheusSamples(input: PullInput): Promise<MetricSample[]> {
  const source = PrometheusSource.parse(input.source);
  if (!(input.end > input.start)) throw new Error('The interval must end after it starts');
  const interval = `${Math.max(1, Math.round((input.end.getTime() - input.start.getTime()) / 1000))}s`;
  const { release } = input;
  const variants: [Variant, string][] = [['baseline', release.baselineVersion], ['canary', release.canaryVersion]];

  const perVariant = await Promise.all(
    variants.map(async ([variant, version]) => {
      const vars = { service: release.service, environment: release.environment, version, variant, interval };
      const run = (what: string, template: string) => queryVector(input, renderPromql(template, vars), `${variant} ${what}`);
      const [requests, errors, buckets] = await Promise.all([
        run('requests', source.requests),
        run('errors', source.errors),
        source.latencyBuckets ? run('latency buckets', source.latencyBuckets) : Promise.resolve(null),
      ]);
      const samples: MetricSample[] = [];
      const bucketStart = input.start.toISOString();
      if (requests.length) {
        const count = sum(requests);
        // increase() extrapolates each series on its own, so errors can exceed requests by a hair.
        samples.push({ releaseId: release.id, variant, metric: 'error_rate', kind: 'counter', bucketStart, count, errors: Math.min(sum(errors), count) });
      }
      const histogram = buckets && cumulativeToBuckets(buckets, source.latencyUnit === 'seconds' ? 1000 : 1);
      if (histogram && histogram.length > MAX_BUCKETS) throw new PrometheusError(`The ${variant} latency buckets query returned ${histogram.length} buckets; at most ${MAX_BUCKETS} are allowed`);
      if (histogram) samples.push({ releaseId: release.id, variant, metric: 'latency', kind: 'histogram', bucketStart, count: histogram.reduce((n, b) => n + b.count, 0), errors: 0, histogram });
      return samples;
    }),
  );
  return perVariant.flat();
}

const sum = (series: Series[]) => series.reduce((n, s) => n + s.value, 0);

const PromResponse = z.union([
  z.object({ status: z.literal('error'), errorType: z.string().optional(), error: z.string().optional() }),
  z.object({
    status: z.literal('success'),
    data: z.object({ resultType: z.string(), result: z.unknown() }),
  }),
]);
const VectorResult = z.array(z.object({ metric: z.record(z.string(), z.string()).default({}), value: z.tuple([z.number(), z.string()]) }));

async function get(fetcher: typeof fetch, url: URL, authorization: string | undefined) {
  const headers: Record<string, string> = { accept: 'application/json', ...(authorization ? { authorization } : {}) };
  const res = await fetcher(url, { headers, signal: AbortSignal.timeout(TIMEOUT_MS) });
  return { res, text: await res.text() };
}

/** One instant query at `end`; the vector's usable series. `what` names the query in errors. */
async function queryVector(input: PullInput, query: string, what: string): Promise<Series[]> {
  // Basic-auth credentials in the URL go in a header: fetch refuses them in the URL.
  const { url: base, authorization } = splitCredentials(input.baseUrl);
  const url = new URL(`${base.replace(/\/+$/, '')}/api/v1/query`);
  url.searchParams.set('query', query);
  url.searchParams.set('time', String(input.end.getTime() / 1000));
  const origin = url.origin; // never url.href in messages: it may hold credentials and is long

  let res: Response;
  let text: string;
  try {
    ({ res, text } = await get(input.fetch ?? fetch, url, authorization).catch((err: unknown) => {
      // A kept-alive socket the server has just closed fails at once; a GET is safe to send again.
      if (err instanceof Error && err.name === 'TimeoutError') throw err;
      return get(input.fetch ?? fetch, url, authorization);
    }));
  } catch (err) {
    const cause = err instanceof Error ? ((err.cause as Error | undefined)?.message ?? err.message) : String(err);
    throw new PrometheusError(`Could not reach Prometheus at ${origin} for the ${what} query: ${scrubSecrets(cause)}`);
  }
  let body: z.infer<typeof PromResponse> | null = null;
  try {
    body = PromResponse.parse(JSON.parse(text));
  } catch {
    // Prometheus answers JSON even for errors; anything else is a proxy page or the wrong URL.
  }
  if (body?.status === 'error')
    throw new PrometheusError(`Prometheus rejected the ${what} query (${body.errorType ?? `HTTP ${res.status}`}): ${body.error ?? 'no message'}`);
  if (!res.ok) throw new PrometheusError(`Prometheus at ${origin} answered HTTP ${res.status} to the ${what} query: ${text.slice(0, MAX_BODY_IN_ERROR).trim() || res.statusText}`);
  if (!body) throw new PrometheusError(`Prometheus at ${origin} did not answer the ${what} query with Prometheus JSON`);
  if (body.data.resultType !== 'vector') throw new PrometheusError(`The ${what} query returned a ${body.data.resultType}; expected an instant vector`);
  const result = VectorResult.safeParse(body.data.result);
  if (!result.success) throw new PrometheusError(`The ${what} query returned a malformed vector`);
  return result.data
    .map((s) => ({ le: s.metric.le, value: Number(s.value[1]) }))
    .filter((s) => Number.isFinite(s.value) && s.value >= 0);
}
