import { createHmac } from 'node:crypto';
import type { Database } from '@/db';
import { getAuthSecret } from '@/lib/auth/auth-secret';
import { systemActor } from '@/lib/auth/system-actor';
import type { Config } from '@/lib/config';
import { importApiKey } from '@/lib/services';
import { DEMO_AB_PROFILES, DEMO_PROFILES, DEMO_SLO_SERVICES, startSimulator } from '@/lib/simulator/run';

/**
 * In demo mode the server plays its own traffic router: the simulator posts to the public API
 * with an API key of its own (metrics and read scopes), derived from the session secret so that
 * it is the same key after a restart and unknown outside the server.
 */
export async function startDemoSimulator(db: Database, config: Config) {
  const secret = `fdk_sim_${createHmac('sha256', getAuthSecret(config)).update('demo-simulator').digest('base64url')}`;
  await importApiKey({ actor: systemActor('demo-seed'), db, request: { via: 'system' } }, { name: 'demo-simulator', secret, roles: ['ml_lead'], scopes: ['metrics', 'read'] });
  startSimulator({ baseUrl: config.authUrl.replace(/\/$/, ''), apiKey: secret, profiles: DEMO_PROFILES, abProfiles: DEMO_AB_PROFILES, drift: true, services: DEMO_SLO_SERVICES });
}
