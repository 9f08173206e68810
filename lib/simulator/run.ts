import { abSamples, simulateAbSecond, SMALL_REAL_EFFECT, type AbProfile } from './ab-traffic';
import { DRIFT_DEMO, driftValues, utilisationShift } from './drift-traffic';
import { HEALTHY, mulberry32, REGRESSION, simulateSecond, simulateServiceWindow, toSamples, type SimulationProfile } from './traffic';

export type SimulatorOptions = {
  baseUrl: string; // e.g. http://127.0.0.1:3000
  apiKey: string; // a key with the metrics and read scopes
  /** Which running releases to drive, and how: by model name. Others are left alone. */
  profiles: Record<string, SimulationProfile>;
  /** Which running experiments to drive, and how: by model name. */
  abProfiles?: Record<string, AbProfile>;
  /** Post drift windows for the demo's drifting feature (DRIFT_DEMO) every windowSeconds. */
  drift?: boolean;
  /** Post whole-service traffic (for SLOs) of these services in production every 10 s. */
  services?: string[];
  intervalMs?: number;
  seed?: number;
  log?: (line: string) => void;
};

/** The demo's story: fraud-detector's canary is healthy, search-ranker's regresses. */
export const DEMO_PROFILES: Record<string, SimulationProfile> = { 'fraud-detector': HEALTHY, 'search-ranker': REGRESSION };
/** …and home-recommender's A/B test has a small real effect, so its results approach significance. */
export const DEMO_AB_PROFILES: Record<string, AbProfile> = { 'home-recommender': SMALL_REAL_EFFECT };
/** The production services whose whole traffic the simulator reports for their SLOs. */
export const DEMO_SLO_SERVICES = ['fraud-detector', 'search-ranker'];

type RunningRelease = { id: string; model: string; environment: string; strategy: string; currentWeight: number; state: string };
type Routing = { releaseId: string | null; versions: { version: string; weight: number; role: string }[] };

/**
 * Plays a router with real traffic: every second it reads the running releases through the
 * public API and posts one second of simulated samples for each driven model, marked
 * `simulated: true` so the UI labels them. Returns a stop function.
 */
export function startSimulator(opts: SimulatorOptions): () => void {
  const random = mulberry32(opts.seed ?? Date.now());
  const headers = { authorization: `Bearer ${opts.apiKey}`, 'content-type': 'application/json' };
  let busy = false;
  let failures = 0;
  const tick = async () => {
    if (busy) return;
    busy = true;
    try {
      const response = await fetch(`${opts.baseUrl}/api/v1/releases?state=running`, { headers });
      if (!response.ok) throw new Error(`listing releases answered ${response.status}`);
      const { items } = (await response.json()) as { items: RunningRelease[] };
      const now = new Date();
      const samples: object[] = items.flatMap((r) => {
        const profile = opts.profiles[r.model];
        return profile && r.strategy !== 'ab' ? toSamples(r.id, now, simulateSecond(profile, r.currentWeight, random)) : [];
      });
      for (const r of items.filter((x) => x.strategy === 'ab' && opts.abProfiles?.[x.model])) samples.push(...(await experimentSamples(r, now)));
      if (samples.length) {
        const posted = await fetch(`${opts.baseUrl}/api/v1/metrics`, { method: 'POST', headers, body: JSON.stringify({ samples, simulated: true }) });
        if (!posted.ok) throw new Error(`metrics answered ${posted.status}: ${(await posted.text()).slice(0, 200)}`);
      }
      failures = 0;
    } catch (error) {
      // The server may still be starting; say so once in a while, not every second.
      if (failures++ % 30 === 0) (opts.log ?? console.error)(`flightdeck simulator: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      busy = false;
    }
  };
  /** One second of a running experiment, its arms (control first) read from the routing a router would apply. */
  const experimentSamples = async (release: RunningRelease, now: Date) => {
    const response = await fetch(`${opts.baseUrl}/api/v1/services/${release.model}/routing?environment=${release.environment}`, { headers });
    if (!response.ok) throw new Error(`routing answered ${response.status}`);
    const routing = (await response.json()) as Routing;
    if (routing.releaseId !== release.id) return [];
    const arms = routing.versions.map((v) => ({ key: v.role === 'control' ? 'control' : `treatment:${v.version}`, allocation: v.weight }));
    return abSamples(release.id, now, simulateAbSecond(opts.abProfiles![release.model]!, arms, random));
  };
  const timer = setInterval(() => void tick(), opts.intervalMs ?? 1000);
  timer.unref?.();

  // Drift: one window of feature values every DRIFT_DEMO.windowSeconds for the version live there.
  const started = Date.now();
  let driftFailures = 0;
  const driftTick = async () => {
    try {
      const routing = await fetch(`${opts.baseUrl}/api/v1/services/${DRIFT_DEMO.model}/routing?environment=${DRIFT_DEMO.environment}`, { headers });
      if (!routing.ok) throw new Error(`routing answered ${routing.status}`);
      const stable = ((await routing.json()) as { versions: { version: string; role: string }[] }).versions.find((v) => v.role === 'stable' || v.role === 'control');
      if (!stable) return;
      const end = new Date();
      const values = driftValues(DRIFT_DEMO.valuesPerWindow, utilisationShift((end.getTime() - started) / 1000), random);
      const body = {
        model: DRIFT_DEMO.model,
        version: stable.version,
        environment: DRIFT_DEMO.environment,
        windowStart: new Date(end.getTime() - DRIFT_DEMO.windowSeconds * 1000).toISOString(),
        windowEnd: end.toISOString(),
        simulated: true,
        features: Object.entries(values).map(([name, v]) => ({ name, values: v })),
      };
      const posted = await fetch(`${opts.baseUrl}/api/v1/drift/snapshots`, { method: 'POST', headers, body: JSON.stringify(body) });
      // A version without a reference (registered later in the demo) is not watched.
      if (!posted.ok && posted.status !== 422) throw new Error(`drift snapshots answered ${posted.status}: ${(await posted.text()).slice(0, 200)}`);
      driftFailures = 0;
    } catch (error) {
      if (driftFailures++ % 30 === 0) (opts.log ?? console.error)(`flightdeck simulator (drift): ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  const driftTimer = opts.drift ? setInterval(() => void driftTick(), DRIFT_DEMO.windowSeconds * 1000) : null;
  driftTimer?.unref?.();

  // Whole-service traffic for SLOs: every service's production traffic, including a running
  // canary's share at its profile (so a bad canary shows in the service's error budget too).
  let serviceFailures = 0;
  const serviceTick = async () => {
    try {
      const response = await fetch(`${opts.baseUrl}/api/v1/releases?state=running&environment=production`, { headers });
      if (!response.ok) throw new Error(`listing releases answered ${response.status}`);
      const { items } = (await response.json()) as { items: RunningRelease[] };
      const bucketStart = new Date(Math.floor(Date.now() / 10_000) * 10_000 - 10_000).toISOString();
      for (const service of opts.services ?? []) {
        const release = items.find((r) => r.model === service && r.strategy !== 'ab');
        const profile = opts.profiles[service] ?? HEALTHY;
        const traffic = simulateServiceWindow(profile, release?.currentWeight ?? 0, 10, random);
        const posted = await fetch(`${opts.baseUrl}/api/v1/services/${service}/telemetry`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ environment: 'production', simulated: true, buckets: [{ bucketStart, ...traffic }] }),
        });
        if (!posted.ok) throw new Error(`service telemetry answered ${posted.status}: ${(await posted.text()).slice(0, 200)}`);
      }
      serviceFailures = 0;
    } catch (error) {
      if (serviceFailures++ % 30 === 0) (opts.log ?? console.error)(`flightdeck simulator (services): ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  const serviceTimer = opts.services?.length ? setInterval(() => void serviceTick(), 10_000) : null;
  serviceTimer?.unref?.();
  return () => {
    clearInterval(timer);
    if (driftTimer) clearInterval(driftTimer);
    if (serviceTimer) clearInterval(serviceTimer);
  };
}

export { HEALTHY, REGRESSION };
