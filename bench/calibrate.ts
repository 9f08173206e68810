import { createHash } from 'node:crypto';
import { fmt, type Row } from './setup';

/**
 * The same fixed CPU work on every run, so that runs on different days can be compared: this
 * machine's speed varies (on 2026-11-27 the same organisation took 90 s to generate at 07:30 and
 * 214 s at 10:00), and every other figure moves with it. Best of three, so a stray pause
 * does not count.
 */
export function calibrate(): Row {
  const best = (work: () => void) => Math.min(...[0, 1, 2].map(() => timed(work)));
  const block = Buffer.alloc(1 << 20, 7);
  const sha = best(() => {
    const hash = createHash('sha256');
    for (let i = 0; i < 256; i++) hash.update(block);
    hash.digest();
  });
  const doc = { rows: Array.from({ length: 5_000 }, (_, i) => ({ id: `row-${i}`, weight: i % 100, at: new Date(i * 1000).toISOString(), tags: ['a', 'b', 'c'] })) };
  const json = best(() => {
    for (let i = 0; i < 50; i++) JSON.parse(JSON.stringify(doc));
  });
  return { target: 'machine', figure: 'CPU reference (one core)', value: `sha256 of 256 MB: ${fmt(sha)} ms; JSON round trip of 400 kB × 50: ${fmt(json)} ms`, note: 'fixed work: compare runs by it (lower is faster)' };
}

function timed(work: () => void): number {
  const started = performance.now();
  work();
  return performance.now() - started;
}
