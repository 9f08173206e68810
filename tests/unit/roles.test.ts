import { describe, expect, it } from 'vitest';
import { systemActor } from '@/lib/auth/system-actor';
import { PERMISSIONS, ROLES, SCOPES, can, hasRole, isRole, whyNot, type Actor, type Permission, type Role, type Scope } from '@/lib/domain/roles';

/**
 * The authorisation table, written out by hand so that a change to GRANTS has to be made here
 * too. Rows are the roles a user holds; `[]` is a plain signed-in user (an implied viewer).
 */
const COLUMNS: Permission[] = [
  'dashboard.read',
  'model.create',
  'version.register',
  'version.update',
  'check.report',
  'environment.manage',
  'user.manage',
  'api_key.manage',
  'release.request',
  'release.approve',
  'release.operate',
  'release.rollback',
  'webhook.manage',
  'metrics.ingest',
  'experiment.create',
  'experiment.decide',
  'alert.manage',
  'drift.reference',
  'drift.ingest',
  'monitoring.configure',
  'incident.write',
  'audit.checkpoint',
];
const row = (...allowed: (0 | 1)[]) => Object.fromEntries(COLUMNS.map((p, i) => [p, allowed[i] === 1])) as Record<Permission, boolean>;
const USER_TABLE: Array<[roles: Role[], allowed: Record<Permission, boolean>]> = [
  [[], row(1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)],
  [['viewer'], row(1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)],
  [['ml_lead'], row(1, 1, 1, 1, 1, 0, 0, 0, 1, 0, 1, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0)],
  [['reviewer'], row(1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)],
  [['oncall'], row(1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0)],
  [['admin'], row(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)],
  [['reviewer', 'oncall'], row(1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0)],
  [['ml_lead', 'reviewer', 'oncall'], row(1, 1, 1, 1, 1, 0, 0, 0, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0)],
  [['viewer', 'admin'], row(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)],
];

/** The scope an API key needs for each permission (besides `admin`, which implies them all). */
const REQUIRED_SCOPE: Record<Permission, Scope> = {
  'dashboard.read': 'read',
  'model.create': 'registry',
  'version.register': 'registry',
  'version.update': 'registry',
  'check.report': 'registry',
  'environment.manage': 'admin',
  'user.manage': 'admin',
  'release.request': 'releases',
  'release.approve': 'releases',
  'release.operate': 'releases',
  'release.rollback': 'releases',
  'webhook.manage': 'admin',
  'api_key.manage': 'admin',
  'metrics.ingest': 'metrics',
  'experiment.create': 'releases',
  'experiment.decide': 'releases',
  'alert.manage': 'releases',
  'drift.reference': 'registry',
  'drift.ingest': 'metrics',
  'monitoring.configure': 'registry',
  'incident.write': 'releases',
  'audit.checkpoint': 'admin',
};

const user = (roles: Role[], scopes?: Scope[]): Actor => ({ type: 'user', id: 'u1', name: 'user', roles, scopes });
const key = (roles: Role[], scopes?: Scope[]): Actor => ({ type: 'api_key', id: 'k1', name: 'api-key:ci', roles, scopes });

const roleAllows = (roles: Role[], permission: Permission): boolean => {
  const single = USER_TABLE.filter(([r]) => r.length === 1);
  if (roles.length === 0) return USER_TABLE[0]![1][permission];
  return roles.some((role) => single.find(([r]) => r[0] === role)![1][permission]);
};

describe('the permission table', () => {
  it('covers exactly the permissions the module defines', () => {
    expect([...PERMISSIONS].sort()).toEqual(Object.keys(REQUIRED_SCOPE).sort());
    for (const [, row] of USER_TABLE) expect(Object.keys(row).sort()).toEqual([...PERMISSIONS].sort());
  });

  it('has a single-role row for every role', () => {
    const singles = USER_TABLE.filter(([r]) => r.length === 1).map(([r]) => r[0]);
    expect([...singles].sort()).toEqual([...ROLES].sort());
  });
});

describe('can() for signed-in users', () => {
  const cases = USER_TABLE.flatMap(([roles, row]) =>
    PERMISSIONS.map((permission) => ({ roles, permission, expected: row[permission], label: roles.join('+') || '(no roles)' })),
  );

  it.each(cases)('$label → $permission = $expected', ({ roles, permission, expected }) => {
    expect(can(user(roles), permission)).toBe(expected);
  });

  it('ignores scopes on a user: they only narrow API keys', () => {
    expect(can(user(['admin'], []), 'user.manage')).toBe(true);
    expect(can(user(['ml_lead'], ['read']), 'model.create')).toBe(true);
    expect(can(user([], []), 'dashboard.read')).toBe(true);
  });

  it('does not let a scope grant what the roles do not', () => {
    expect(can(user([], ['admin']), 'user.manage')).toBe(false);
    expect(can(user(['reviewer'], ['registry']), 'model.create')).toBe(false);
  });
});

describe('can() for API keys', () => {
  const roleSets: Role[][] = [[], ['viewer'], ['ml_lead'], ['reviewer'], ['oncall'], ['admin'], ['ml_lead', 'oncall']];
  const scopeSets: Scope[][] = [[], ['read'], ['registry'], ['metrics'], ['releases'], ['admin'], ['read', 'registry'], ['read', 'metrics', 'releases']];
  const cases = roleSets.flatMap((roles) =>
    scopeSets.flatMap((scopes) =>
      PERMISSIONS.map((permission) => ({
        roles,
        scopes,
        permission,
        // Both gates must open: the roles, then the scope (or the all-implying admin scope).
        expected: roleAllows(roles, permission) && (scopes.includes('admin') || scopes.includes(REQUIRED_SCOPE[permission])),
        label: `roles[${roles.join(',')}] scopes[${scopes.join(',')}]`,
      })),
    ),
  );

  it.each(cases)('$label → $permission = $expected', ({ roles, scopes, permission, expected }) => {
    expect(can(key(roles, scopes), permission)).toBe(expected);
  });

  it('lets the admin scope imply every other scope', () => {
    for (const permission of PERMISSIONS) expect(can(key(['admin'], ['admin']), permission)).toBe(true);
    expect(can(key(['ml_lead'], ['admin']), 'model.create')).toBe(true);
  });

  it('refuses a key whose roles allow it but whose scopes do not', () => {
    expect(can(key(['admin'], ['read']), 'model.create')).toBe(false);
    expect(can(key(['admin'], ['registry', 'metrics', 'releases', 'read']), 'user.manage')).toBe(false);
    expect(can(key(['admin'], ['registry']), 'dashboard.read')).toBe(false);
    expect(can(key(['ml_lead'], ['metrics', 'releases']), 'model.create')).toBe(false);
  });

  it('refuses a key whose scopes allow it but whose roles do not', () => {
    expect(can(key([], ['admin']), 'user.manage')).toBe(false);
    expect(can(key(['reviewer', 'oncall'], ['registry']), 'model.create')).toBe(false);
  });

  it('treats a key without a scopes list as having no scopes at all', () => {
    for (const permission of PERMISSIONS) expect(can(key(['admin']), permission)).toBe(false);
  });
});

describe('can() for the system actor', () => {
  it.each(['bootstrap', 'demo-seed', 'controller'] as const)('system:%s may do everything', (id) => {
    for (const permission of PERMISSIONS) expect(can(systemActor(id), permission)).toBe(true);
  });

  it('is not narrowed by scopes, only by its roles', () => {
    const bare: Actor = { type: 'system', id: 'x', name: 'system:x', roles: [], scopes: [] };
    expect(can(bare, 'dashboard.read')).toBe(true);
    expect(can(bare, 'model.create')).toBe(false);
    expect(can({ ...bare, roles: ['ml_lead'] }, 'model.create')).toBe(true);
  });
});

describe('hasRole()', () => {
  it.each(ROLES)('everyone is a viewer, even holding %s', (role) => {
    expect(hasRole([role], 'viewer')).toBe(true);
  });

  it('treats no roles as viewer only', () => {
    expect(hasRole([], 'viewer')).toBe(true);
    for (const role of ROLES.filter((r) => r !== 'viewer')) expect(hasRole([], role)).toBe(false);
  });

  it.each(ROLES)('admin implies %s', (role) => {
    expect(hasRole(['admin'], role)).toBe(true);
  });

  it('grants exactly the roles held otherwise', () => {
    expect(hasRole(['ml_lead'], 'ml_lead')).toBe(true);
    expect(hasRole(['ml_lead'], 'reviewer')).toBe(false);
    expect(hasRole(['ml_lead'], 'admin')).toBe(false);
    expect(hasRole(['reviewer', 'oncall'], 'oncall')).toBe(true);
    expect(hasRole(['reviewer', 'oncall'], 'ml_lead')).toBe(false);
    expect(hasRole(['oncall'], 'admin')).toBe(false);
  });
});

describe('whyNot()', () => {
  it('names the granting role and admin', () => {
    expect(whyNot('model.create')).toBe('Needs the ML lead or Admin role');
  });

  it('names admin alone for admin-only permissions', () => {
    expect(whyNot('user.manage')).toBe('Needs the Admin role');
    expect(whyNot('api_key.manage')).toBe('Needs the Admin role');
  });

  it.each(PERMISSIONS)('never asks for the implied Viewer role (%s)', (permission) => {
    expect(whyNot(permission)).toMatch(/^Needs the .+ role$/);
    expect(whyNot(permission)).not.toContain('Viewer');
  });
});

describe('isRole()', () => {
  it.each(ROLES)('accepts %s', (role) => {
    expect(isRole(role)).toBe(true);
  });

  it.each(['', 'Admin', 'ADMIN', ' admin', 'admin ', 'superuser', 'ml-lead', 'on-call', 'toString', '__proto__', 'length'])(
    'rejects %j',
    (value) => {
      expect(isRole(value)).toBe(false);
    },
  );

  it('keeps scopes and roles as separate vocabularies (admin is both)', () => {
    expect(SCOPES.filter((s) => isRole(s))).toEqual(['admin']);
  });
});
