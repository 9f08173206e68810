import { postgresBinaries } from '../../support/own-postgres';

/**
 * The fault suites run twice over: a bounded subset in every `npx vitest run` (CI), and in full
 * with FAULTS_FULL=1 — longer load, more restarts and kills, more instances:
 *
 *   FAULTS_FULL=1 npx vitest run tests/faults
 */
export const FULL = process.env.FAULTS_FULL === '1';

/** Picks the bounded or the full value. */
export const scale = <T>(quick: T, full: T): T => (FULL ? full : quick);

/** The Postgres binaries, or null (the suites skip) — an error instead with FLIGHTDECK_REQUIRE_POSTGRES_BINARIES. */
export const pgBinaries = postgresBinaries();

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `probe` every `everyMs` until it answers something truthy; fails after `timeoutMs` naming `what`. */
export async function eventually<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs: number, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}
