import autocannon from 'autocannon';
import { gzipSync } from 'node:zlib';
import type { Server } from './server';

export type LoadResult = { requests: number; seconds: number; rps: number; p50: number; p95: number; p99: number; errors: number; non2xx: number; statuses: Record<string, number>; maxRssMb: number };

export type Scenario = {
  name: string;
  method?: 'GET' | 'POST';
  /** A fixed path, or one per request (e.g. a distinct release to roll back each time). */
  path: string | ((i: number) => string);
  body?: (i: number) => string | Buffer;
  headers: Record<string, string>;
  /** Requests to send instead of a duration (for actions that use something up). */
  amount?: number;
  /** With `amount`: requests sent first and not counted, as the 1 s warm-up of the others. */
  warmUpAmount?: number;
};

/**
 * One scenario at `connections` concurrent clients, from this process (a second process on
 * loopback, as the issue asks). Latencies are taken per response (autocannon's own summary has no
 * p95); RSS is the server's process tree, sampled every 100 ms.
 *
 * The warm-up (the first second, or the first `warmUpAmount` requests) is part of the same run and
 * not counted: measured requests go over connections that are already open, and the clients are
 * spread out in time as they are under steady load. A separate warm-up run left the measured run
 * to open its connections and send its first requests all at once: that first wave was a third of
 * the slowest 5 % of 400 rollbacks at 16 clients.
 */
export async function measure(server: Server, s: Scenario, connections: number, seconds: number): Promise<LoadResult> {
  let counter = 0;
  const request = () => {
    const i = counter++;
    const path = typeof s.path === 'function' ? s.path(i) : s.path;
    return { method: s.method ?? 'GET', path, headers: { ...s.headers, ...(s.body ? { 'content-type': 'application/json' } : {}) }, ...(s.body ? { body: s.body(i) } : {}) };
  };
  const warmUpAmount = s.amount ? (s.warmUpAmount ?? 0) : 0;
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let maxRss = server.rssBytes();
  const sampler = setInterval(() => (maxRss = Math.max(maxRss, server.rssBytes())), 100);
  const started = performance.now();
  let measuredFrom = s.amount ? started : started + 1000;
  let lastAt = measuredFrom;
  let responses = 0;
  const result = await run(server.url, request, connections, s.amount ? { amount: warmUpAmount + s.amount } : { duration: 1 + seconds }, (ms, status) => {
    const at = performance.now();
    const warmingUp = s.amount ? responses++ < warmUpAmount : at < measuredFrom;
    if (warmingUp) {
      if (s.amount) measuredFrom = at;
      return;
    }
    latencies.push(ms);
    statuses[status] = (statuses[status] ?? 0) + 1;
    lastAt = at;
  });
  clearInterval(sampler);
  await idle(server.url); // requests still queued when the clock stopped must not slow the next scenario
  const elapsed = (lastAt - measuredFrom) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.max(0, Math.ceil((p / 100) * latencies.length) - 1))] ?? NaN;
  return {
    requests: latencies.length,
    seconds: elapsed,
    rps: latencies.length / elapsed,
    p50: pct(50),
    p95: pct(95),
    p99: pct(99),
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    statuses,
    maxRssMb: maxRss / 1024 / 1024,
  };
}

function run(url: string, request: () => object, connections: number, limit: { duration?: number; amount?: number }, onLatency?: (ms: number, status: number) => void): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections,
        pipelining: 1,
        timeout: 30,
        ...limit,
        requests: [{ setupRequest: (req: object) => ({ ...req, ...request() }) }],
      },
      (err, result) => (err ? reject(err) : resolve(result)),
    );
    if (onLatency) instance.on('response', (_client: unknown, status: number, _bytes: number, responseTime: number) => onLatency(responseTime, status));
  });
}

/** Waits until the server answers its health check quickly: the backlog of the last scenario is gone. */
async function idle(url: string): Promise<void> {
  for (let fast = 0, i = 0; fast < 2 && i < 600; i++) {
    const started = performance.now();
    await fetch(`${url}/api/health`).catch(() => undefined);
    fast = performance.now() - started < 50 ? fast + 1 : 0;
    if (fast < 2) await new Promise((r) => setTimeout(r, 50));
  }
}

/** The JavaScript a browser downloads for a page: every /_next script in its HTML, gzip-compressed. */
export async function clientJsGzipKb(url: string, path: string, cookie: string): Promise<{ kb: number; files: number }> {
  const html = await (await fetch(`${url}${path}`, { headers: { cookie } })).text();
  const sources = [...new Set([...html.matchAll(/<script[^>]+src="([^"]+\.js[^"]*)"/g)].map((m) => m[1]!))].filter((src) => src.startsWith('/_next/'));
  let bytes = 0;
  for (const src of sources) bytes += gzipSync(Buffer.from(await (await fetch(`${url}${src}`)).arrayBuffer())).length;
  return { kb: bytes / 1024, files: sources.length };
}
