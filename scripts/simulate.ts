// `npm run simulate`: plays a router sending traffic for running releases through the public API.
//   FLIGHTDECK_URL (default http://localhost:3000) and FLIGHTDECK_API_KEY (metrics + read scopes)
//   --model fraud-detector=healthy --model search-ranker=regression   (default: the demo's two)
//   --rps 1000 --effect 2.5   (requests per second; error-rate multiplier for "regression")
import { parseArgs } from 'node:util';
import { DEMO_AB_PROFILES, DEMO_PROFILES, HEALTHY, startSimulator } from '@/lib/simulator/run';
import type { SimulationProfile } from '@/lib/simulator/traffic';

const { values } = parseArgs({ options: { model: { type: 'string', multiple: true }, rps: { type: 'string' }, effect: { type: 'string' } } });
const apiKey = process.env.FLIGHTDECK_API_KEY;
if (!apiKey) {
  console.error('flightdeck simulator: set FLIGHTDECK_API_KEY to a key with the metrics and read scopes');
  process.exit(1);
}
const rps = Number(values.rps ?? 1000);
const effect = Number(values.effect ?? 2.5);
if (!(rps > 0) || !(effect > 0)) {
  console.error('flightdeck simulator: --rps and --effect must be positive numbers');
  process.exit(1);
}
const regression = (): SimulationProfile => ({
  requestsPerSecond: rps,
  baseline: HEALTHY.baseline,
  canary: { errorRate: HEALTHY.baseline.errorRate * effect, medianMs: HEALTHY.baseline.medianMs * (1 + (effect - 1) * 0.25), sigma: 0.4 },
});
const profiles: Record<string, SimulationProfile> = values.model?.length
  ? Object.fromEntries(values.model.map((m) => {
      const [name, kind] = m.split('=');
      return [name!, kind === 'regression' ? regression() : { ...HEALTHY, requestsPerSecond: rps }];
    }))
  : Object.fromEntries(Object.entries(DEMO_PROFILES).map(([name, p]) => [name, { ...p, requestsPerSecond: rps }]));
const baseUrl = process.env.FLIGHTDECK_URL ?? 'http://localhost:3000';
console.log(`flightdeck simulator: driving ${[...Object.keys(profiles), ...Object.keys(DEMO_AB_PROFILES)].join(', ')} at ${rps} req/s against ${baseUrl} (Ctrl-C to stop)`);
// Running A/B experiments of the demo's models get their small real effect too.
startSimulator({ baseUrl, apiKey, profiles, abProfiles: DEMO_AB_PROFILES, drift: true, log: console.error });
setInterval(() => {}, 1 << 30); // keep running
