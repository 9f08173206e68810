import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DbHandle } from '@/db/client';
import { systemActor } from '@/lib/auth/system-actor';
import { verifyAuditChain } from '@/lib/services';
import { unique } from '../support/fixtures';
import { startOwnPostgres, type OwnPostgres } from '../support/own-postgres';
import { LEADING, startControllerProcess, type ControllerProcess } from './support/controller-process';
import { eventually, FULL, pgBinaries, scale, sleep } from './support/fault-mode';
import { expectOrderlyRollout, plan, startRollout, statesOf, stepEventsOf } from './support/rollout';

/**
 * The release controller as its own process (`npm run controller`) on a Postgres of the suite's
 * own, SIGKILLed mid-rollout: a restarted controller resumes every rollout where it stood; with two
 * or more instances on one database exactly one acts and another takes over when it dies; and when
 * the leader's session is cut or Postgres restarts, no instance dies and still exactly one leads.
 * Whatever the timing of the fault, each step is taken exactly once and each hold is kept: what the
 * tests read back is the audit trail of each release (and that its hash chain still verifies).
 *
 * Bounded by default; FAULTS_FULL=1 runs more releases, longer plans and more kills.
 */

// Every process signs audit checkpoints with the key derived from this secret (the test verifies them).
const SECRET = 'fault-tests-secret-0123456789abcdef';
process.env.NEXTAUTH_SECRET = SECRET;
/** A controller boots (tsx, migrations) in about 2 s alone; CI runs other suites beside it. */
const BOOT_MS = 45_000;
/** The longest a healthy controller may take to take a due step (ticks are 1 s apart). */
const STEP_DUE_MS = 10_000;
const random = (min: number, max: number) => min + Math.random() * (max - min);
/** n rising weights below 100, for long plans (a plan has at most 20 steps). */
const ramp = (n: number) => Array.from({ length: n }, (_, i) => Math.round(((i + 1) * 95) / n));
type Fault = 'terminate' | 'fast' | 'kill9';

/** Ends the session holding the controller's advisory lock (lib/server/controller/leader.ts). */
async function terminateLockHolder(url: string) {
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const rows = await admin`select pg_terminate_backend(pid) as ended from pg_locks where locktype = 'advisory' and objid = 7262010 and granted and database = (select oid from pg_database where datname = current_database())`;
    expect(rows.map((r) => r.ended)).toEqual([true]);
  } finally {
    await admin.end({ timeout: 1 });
  }
}

describe.skipIf(!pgBinaries)('the controller under crashes', () => {
  let pg: OwnPostgres;
  let dataDir: string;
  const handles: DbHandle[] = [];
  const processes: ControllerProcess[] = [];

  beforeAll(async () => {
    pg = await startOwnPostgres(pgBinaries!);
    dataDir = mkdtempSync(join(tmpdir(), 'fd-faults-'));
  });
  afterEach(async () => {
    for (const p of processes.splice(0)) await p.kill9();
    for (const h of handles.splice(0)) await h.close();
  });
  afterAll(async () => {
    await pg?.destroy();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  /** A migrated database of the test's own (advisory locks, and so leadership, are per database). */
  async function freshDatabase() {
    const url = await pg.createDatabase(`fd_faults_${unique()}`);
    const handle = await openDatabase({ databaseUrl: url, dataDir: 'unused' });
    handles.push(handle);
    return { url, db: handle.db };
  }

  function controller(name: string, url: string) {
    const p = startControllerProcess(name, url, { NEXTAUTH_SECRET: SECRET, FLIGHTDECK_DATA_DIR: dataDir });
    processes.push(p);
    return p;
  }

  async function expectChainIntact(db: DbHandle['db']) {
    const report = await verifyAuditChain({ actor: systemActor('bootstrap'), db });
    expect(report.ok, JSON.stringify(report)).toBe(true);
  }

  it(
    'resumes every rollout after the controller is SIGKILLed mid-rollout, taking each step exactly once',
    async () => {
      const { url, db } = await freshDatabase();
      const steps = scale(plan([10, 50], 1), plan([5, 10, 20, 35, 50, 75], 1));
      const releaseCount = scale(1, 3);
      let current = controller('controller-1', url);
      await current.waitFor(/controller leading/, BOOT_MS);
      const rollouts = [];
      for (let i = 0; i < releaseCount; i++) rollouts.push(await startRollout(db, steps));
      const ids = rollouts.map((r) => r.id);
      const advances = async () => (await Promise.all(ids.map((id) => stepEventsOf(db, id)))).flat().filter((e) => e.action === 'release.advance').length;
      const finished = async () => [...(await statesOf(db, ids)).values()].every((s) => s !== 'running');

      // Kill the controller a random moment after each step it takes (bounded: after the first
      // only), while the rollout is still running, and start a new one at once.
      const kills = scale(1, Infinity);
      let killed = 0;
      while (killed < kills && !(await finished())) {
        const seen = await advances();
        await eventually('the controller to take a step', async () => (await advances()) > seen || (await finished()), STEP_DUE_MS + BOOT_MS);
        if (await finished()) break;
        await sleep(random(0, scale(900, 1500)));
        if (await finished()) break;
        await current.kill9();
        killed += 1;
        current = controller(`controller-${killed + 1}`, url);
      }
      expect(killed).toBeGreaterThanOrEqual(1);

      await eventually('every rollout to finish', finished, BOOT_MS + STEP_DUE_MS * steps.length);
      expect([...(await statesOf(db, ids)).values()]).toEqual(ids.map(() => 'promoted'));
      for (const { id } of rollouts) expectOrderlyRollout(await stepEventsOf(db, id), steps);
      await expectChainIntact(db);
      console.log(`controller SIGKILLed ${killed} time(s) across ${releaseCount} rollout(s) of ${steps.length} steps`);
    },
    scale(90_000, 300_000),
  );

  it(
    'runs several instances with exactly one leader, and fails over within seconds when the leader dies',
    async () => {
      const { url, db } = await freshDatabase();
      const instances = scale(2, 3);
      const failovers = scale(1, 4);
      // Full: room for every failover (a round takes a step or two, more while a replacement boots).
      const steps = scale(plan([10, 50], 1), plan(ramp(16), 2));
      let alive = Array.from({ length: instances }, (_, i) => controller(`instance-${i + 1}`, url));
      let serial = instances;
      await Promise.all(alive.map((p) => p.waitFor(/controller: running/, BOOT_MS)));
      const leaderOf = () => eventually('one instance to lead', async () => alive.find((p) => p.leadingSince() !== null), 10_000);
      let leader = await leaderOf();
      // Give the others a tick or two to (wrongly) take the lead too.
      await sleep(1500);
      expect(alive.filter((p) => p.leadingSince() !== null).map((p) => p.name)).toEqual([leader.name]);

      const { id } = await startRollout(db, steps);
      const failoverMs: number[] = [];
      for (let round = 0; round < failovers; round++) {
        // Mid-rollout: the leader has just taken a step.
        const seen = (await stepEventsOf(db, id)).length;
        await eventually('the leader to take a step', async () => (await stepEventsOf(db, id)).length > seen, STEP_DUE_MS);
        await sleep(random(0, 800));
        const killedAt = Date.now();
        await leader.kill9();
        alive = alive.filter((p) => p !== leader);
        // The standbys never led while it lived.
        for (const p of alive) expect(p.lines.some((l) => l.text.startsWith(LEADING) && l.at < killedAt), `${p.name} led beside ${leader.name}`).toBe(false);
        const next = await Promise.any(alive.map((p) => p.waitFor(/controller leading/, 15_000, killedAt).then((line) => ({ p, line }))));
        failoverMs.push(next.line.at - killedAt);
        leader = next.p;
        await sleep(1200);
        expect(alive.filter((p) => p.leadingSince() !== null).map((p) => p.name)).toEqual([leader.name]);
        // Keep the number of instances: a replacement joins as a standby.
        if (round < failovers - 1) {
          const joined = controller(`instance-${++serial}`, url);
          alive.push(joined);
          await joined.waitFor(/controller: running/, BOOT_MS);
        }
      }

      await eventually('the rollout to finish', async () => (await statesOf(db, [id])).get(id) !== 'running', STEP_DUE_MS * steps.length);
      expect((await statesOf(db, [id])).get(id)).toBe('promoted');
      expectOrderlyRollout(await stepEventsOf(db, id), steps);
      await expectChainIntact(db);
      // A dead leader's lock goes with its session at once; the next tick (1 s) of a standby takes it.
      for (const ms of failoverMs) expect(ms).toBeLessThan(5000);
      console.log(`failover after SIGKILL of the leader: ${failoverMs.map((ms) => `${ms} ms`).join(', ')}${FULL ? ' (full)' : ''}`);
    },
    scale(90_000, 300_000),
  );

  // Last: it takes the suite's Postgres down (the other tests' databases live on it too).
  it(
    'rides out lost sessions and Postgres restarts mid-rollout: no instance dies, one leads afterwards, each step once',
    async () => {
      const { url, db } = await freshDatabase();
      const steps = scale(plan([10, 25, 50], 2), plan(ramp(19), 3));
      const alive = [controller('instance-a', url), controller('instance-b', url)];
      await Promise.all(alive.map((p) => p.waitFor(/controller: running/, BOOT_MS)));
      await eventually('one instance to lead', async () => alive.find((p) => p.leadingSince() !== null), 10_000);
      const { id } = await startRollout(db, steps);
      // terminate: the leader's session is cut (pg_terminate_backend, as an admin or a proxy would)
      // between two of its ticks, so that only its next question can tell it the lock is gone.
      const faults = scale<Fault[]>(['terminate', 'fast'], ['terminate', 'fast', 'kill9', 'terminate', 'fast', 'kill9']);
      for (const fault of faults) {
        const seen = (await stepEventsOf(db, id)).length;
        await eventually('a step before the fault', async () => (await stepEventsOf(db, id)).length > seen, STEP_DUE_MS);
        await sleep(random(0, 800));
        const cutAt = Date.now();
        if (fault === 'terminate') await terminateLockHolder(url);
        else {
          if (fault === 'kill9') await pg.kill9();
          else await pg.stop('fast');
          await sleep(random(200, 1500));
          await pg.start();
        }
        // Soon exactly one leads, having taken the lock after the cut, and an instance that led
        // before says it no longer does: it must not go on acting beside the new leader.
        const soleNewLeader = async () => {
          const leaders = alive.filter((p) => p.leadingSince() !== null);
          return leaders.length === 1 && leaders[0]!.leadingSince()! >= cutAt;
        };
        await eventually(`one new leader after ${fault}:\n${alive.map((p) => p.output()).join('\n')}`, soleNewLeader, 10_000);
        await sleep(1200); // and it stays so over the next tick
        expect(await soleNewLeader(), alive.map((p) => p.output()).join('\n')).toBe(true);
      }
      await eventually('the rollout to finish', async () => (await statesOf(db, [id])).get(id) !== 'running', STEP_DUE_MS * steps.length);
      expect((await statesOf(db, [id])).get(id)).toBe('promoted');
      expectOrderlyRollout(await stepEventsOf(db, id), steps);
      await expectChainIntact(db);
      // Neither controller process died of it (an uncaught exception would have ended it).
      expect(alive.map((p) => [p.name, p.alive()]), alive.map((p) => p.output()).join('\n')).toEqual(alive.map((p) => [p.name, true]));
    },
    scale(90_000, 300_000),
  );
});
