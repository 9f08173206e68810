/**
 * Who may do what. Roles are cumulative capabilities: everyone signed in is a viewer; ml_lead,
 * reviewer and oncall add their own powers; admin may do everything. Machines (API keys) act as
 * a service account with roles, further narrowed by scopes. Every use case names one permission
 * and the use-case layer calls `can` before anything else.
 */
export const ROLES = ['viewer', 'ml_lead', 'reviewer', 'oncall', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  viewer: 'Viewer',
  ml_lead: 'ML lead',
  reviewer: 'Reviewer',
  oncall: 'On-call',
  admin: 'Admin',
};

/** What an API key may touch, whatever its roles. `admin` implies every scope. */
export const SCOPES = ['read', 'registry', 'metrics', 'releases', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

type Grant = { roles: readonly Role[]; scope: Scope };

const GRANTS = {
  'dashboard.read': { roles: ['viewer'], scope: 'read' },
  'model.create': { roles: ['ml_lead'], scope: 'registry' },
  'version.register': { roles: ['ml_lead'], scope: 'registry' },
  'version.update': { roles: ['ml_lead'], scope: 'registry' },
  'check.report': { roles: ['ml_lead'], scope: 'registry' },
  'environment.manage': { roles: [], scope: 'admin' },
  'release.request': { roles: ['ml_lead'], scope: 'releases' },
  'release.approve': { roles: ['reviewer'], scope: 'releases' },
  // start, pause, resume, advance, promote, abort: the people who run a rollout.
  'release.operate': { roles: ['ml_lead', 'oncall'], scope: 'releases' },
  'release.rollback': { roles: ['oncall'], scope: 'releases' },
  // Designing an A/B test and deciding it (ship the winner, stop a loser) is the ML lead's call.
  'experiment.create': { roles: ['ml_lead'], scope: 'releases' },
  'experiment.decide': { roles: ['ml_lead'], scope: 'releases' },
  // Acknowledging and resolving alerts: the people who are paged, and the model's owners.
  'alert.manage': { roles: ['oncall', 'ml_lead'], scope: 'releases' },
  // Postmortems: whoever responded, and the model's owners.
  'incident.write': { roles: ['oncall', 'ml_lead'], scope: 'releases' },
  // Signing the audit chain's head: the controller (system), or an admin by hand.
  'audit.checkpoint': { roles: [], scope: 'admin' },
  // Drift references come from CI with the version; production windows from the serving side.
  'drift.reference': { roles: ['ml_lead'], scope: 'registry' },
  'drift.ingest': { roles: ['ml_lead'], scope: 'metrics' },
  // Drift thresholds and SLOs of a model.
  'monitoring.configure': { roles: ['ml_lead'], scope: 'registry' },
  'webhook.manage': { roles: [], scope: 'admin' },
  // Routers and model servers push telemetry with a metrics-scoped key.
  'metrics.ingest': { roles: ['ml_lead'], scope: 'metrics' },
  'user.manage': { roles: [], scope: 'admin' },
  'api_key.manage': { roles: [], scope: 'admin' },
} as const satisfies Record<string, Grant>;

export type Permission = keyof typeof GRANTS;
export const PERMISSIONS = Object.keys(GRANTS) as Permission[];

export type Actor = {
  type: 'user' | 'api_key' | 'system';
  id: string;
  name: string;
  roles: readonly Role[];
  /** Only for API keys. */
  scopes?: readonly Scope[];
};

export function hasRole(roles: readonly Role[], role: Role): boolean {
  return role === 'viewer' || roles.includes(role) || roles.includes('admin');
}

export function can(actor: Actor, permission: Permission): boolean {
  const grant: Grant = GRANTS[permission];
  const roleAllows = actor.roles.includes('admin') || grant.roles.some((role) => hasRole(actor.roles, role));
  if (!roleAllows) return false;
  if (actor.type !== 'api_key') return true;
  const scopes = actor.scopes ?? [];
  return scopes.includes('admin') || scopes.includes(grant.scope);
}

/**
 * The sentence a refusal or a disabled button shows. With an actor, it names what that actor
 * actually lacks: an API key whose roles would allow the action is told about the missing scope.
 */
export function whyNot(permission: Permission, actor?: Actor): string {
  const grant: Grant = GRANTS[permission];
  const roleAllows = actor && (actor.roles.includes('admin') || grant.roles.some((role) => hasRole(actor.roles, role)));
  if (actor?.type === 'api_key' && roleAllows) return `Needs an API key with the "${grant.scope}" scope`;
  const roles = [...grant.roles.filter((r) => r !== 'viewer'), 'admin' as const];
  return `Needs the ${roles.map((r) => ROLE_LABELS[r]).join(' or ')} role`;
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
