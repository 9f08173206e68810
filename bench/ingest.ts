import type { Database } from '@/db';
import { ingestMetrics } from '@/lib/services';
import { HEALTHY, mulberry32, simulateSecond, toSamples } from '@/lib/simulator/traffic';
import { fmt, percentile, runningRelease, timed, userActor, type Row, type Target } from './setup';

const CANARY_WEIGHT = 10; // the release's first step

/**
 * Samples/s through the real use case (zod parse, release lookup, upsert in one transaction).
 * Samples are drawn before the clock starts: the simulator is not what is measured. Each batch
 * size writes its own seconds, all in the past, so every row is an insert, not a replace.
 */
export async function benchIngest(db: Database, target: Target, total: number, batchSizes: number[]): Promise<Row[]> {
  const releaseId = await runningRelease(db);
  const actor = userActor(['ml_lead']);
  const random = mulberry32(42);
  const rows: Row[] = [];
  // Four samples per simulated second (counter + histogram per variant).
  const secondsPerRun = Math.ceil(total / 4);
  let firstSecond = Math.floor(Date.now() / 1000) - 60 - secondsPerRun * batchSizes.length;

  for (const size of batchSizes) {
    const samples = Array.from({ length: secondsPerRun }, (_, i) =>
      toSamples(releaseId, new Date((firstSecond + i) * 1000), simulateSecond(HEALTHY, CANARY_WEIGHT, random)),
    ).flat().slice(0, total);
    firstSecond += secondsPerRun;
    const latencies: number[] = [];
    const start = performance.now();
    for (let i = 0; i < samples.length; i += size) {
      const batch = samples.slice(i, i + size);
      const { ms } = await timed(() => ingestMetrics({ actor, db }, { samples: batch }));
      latencies.push(ms);
    }
    const seconds = (performance.now() - start) / 1000;
    const note = `${fmt(samples.length)} samples in ${latencies.length} batches`;
    rows.push(
      { target, figure: `ingest ${fmt(size)}/batch: throughput`, value: `${fmt(samples.length / seconds)} samples/s`, note },
      { target, figure: `ingest ${fmt(size)}/batch: batch latency p50 / p95`, value: `${fmt(percentile(latencies, 50))} / ${fmt(percentile(latencies, 95))} ms` },
    );
  }
  return rows;
}
