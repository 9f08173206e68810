import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * A stand-in for four model servers on one /metrics page, emitting the metric and label names
 * Triton, TorchServe, BentoML and KServe's queue-proxy export (see lib/domain/metrics-presets.ts).
 * Counters grow with real time at a fixed rate per version, so a real Prometheus scraping it sees
 * what it would see in front of a baseline and a canary: `increase()` over any window gives
 * rate × window. Labels that a Kubernetes scrape would copy from the pod (Triton's semantic
 * version, KServe's `version`) are written here as the relabelled series would carry them.
 */
export type VersionProfile = {
  version: string;
  requestsPerSecond: number;
  errorRatio: number;
  /** Share of requests at or under each bound (seconds); the rest are slower than the last bound. */
  latency: [boundSeconds: number, cumulativeShare: number][];
};
export type ExporterModels = { triton: string; torchserve: string; bentoml: string; kserve: string };

/**
 * Runs in a process of its own (tests/suppor./model-server-exporter-process.mjs): the test process blocks
 * its event loop while embedded PGlite works, and a real Prometheus would then see failed scrapes
 * and mark the series stale, as it would for a hung model server.
 */
export function startModelServerExporter(models: ExporterModels, versions: VersionProfile[]): Promise<{ url: string; close: () => Promise<void> }> {
  const child = spawn(process.execPath, [fileURLToPath(new URL('./model-server-exporter-process.mjs', import.meta.url)), JSON.stringify({ models, versions })], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.stdout!.once('data', (chunk: Buffer) =>
      resolve({
        url: chunk.toString().trim(),
        close: () =>
          new Promise<void>((done) => {
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      }),
    );
  });
}

