import { SEGMENT, type DirectRoute } from '@/lib/http/direct-routes';
import { POST as ingestMetrics } from './metrics/route';
import { RELEASE_ACTIONS } from './releases/[id]/[action]/actions';
import { POST as releaseAction } from './releases/[id]/[action]/route';
import { GET as routing } from './services/[service]/routing/route';

const ACTION = `(${Object.keys(RELEASE_ACTIONS).join('|')})`;

/**
 * The endpoints machines call at high rate or in a hurry, which server.mjs answers with these same
 * handlers without Next.js's router (about 1.2 ms of CPU per request on this 2-core machine, more
 * than the routing endpoint's own work; README "Performance"): routers polling the split, metric
 * pushes, and the release actions (a rollback at 3 a.m.). Every other request, and these same
 * requests from a browser session, go through Next.js as usual.
 */
export const DIRECT_ROUTES: readonly DirectRoute[] = [
  { method: 'GET', path: new RegExp(`^/api/v1/services/${SEGMENT}/routing$`), params: ['service'], route: routing },
  { method: 'POST', path: /^\/api\/v1\/metrics$/, params: [], route: ingestMetrics },
  { method: 'POST', path: new RegExp(`^/api/v1/releases/${SEGMENT}/${ACTION}$`), params: ['id', 'action'], route: releaseAction },
];
