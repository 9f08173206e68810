import type { Actor, Role, Scope } from '@/lib/domain/roles';

export const userActor = (roles: Role[], id = '00000000-0000-4000-8000-000000000001'): Actor => ({
  type: 'user',
  id,
  name: `test-${roles.join('+') || 'viewer'}`,
  roles,
});

export const keyActor = (roles: Role[], scopes: Scope[]): Actor => ({
  type: 'api_key',
  id: '00000000-0000-4000-8000-0000000000aa',
  name: 'api-key:test',
  roles,
  scopes,
});
