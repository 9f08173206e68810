import type { Actor } from '@/lib/domain/roles';

/** Flightdeck acting on its own behalf (start-up bootstrap, demo seed, controller, MLflow sync). Audited as such. */
export function systemActor(id: 'bootstrap' | 'demo-seed' | 'controller' | 'mlflow-sync'): Actor {
  return { type: 'system', id, name: `system:${id}`, roles: ['admin'] };
}
