import { can, whyNot, type Actor, type Permission } from '@/lib/domain/roles';
import { forbidden, unauthenticated } from './errors';

/** The role check every entry point goes through, for reads as well as writes. */
export function authorize(actor: Actor | null, permission: Permission, what: string): Actor {
  if (!actor) throw unauthenticated();
  if (!can(actor, permission)) throw forbidden(`${whyNot(permission, actor)} to ${what}.`);
  return actor;
}
