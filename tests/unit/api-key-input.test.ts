import { describe, expect, it } from 'vitest';
import { CreateApiKeyInput, RevokeApiKeyInput } from '@/lib/domain/api-key-input';

const messagesAt = (result: { error?: { issues: Array<{ path: PropertyKey[]; message: string }> } }, path: string) =>
  (result.error?.issues ?? []).filter((i) => i.path.join('.') === path).map((i) => i.message);

describe('CreateApiKeyInput', () => {
  it('parses a minimal key: no roles, one scope, no expiry', () => {
    expect(CreateApiKeyInput.parse({ name: 'ci', scopes: ['read'] })).toEqual({ name: 'ci', roles: [], scopes: ['read'] });
  });

  it('deduplicates and sorts scopes', () => {
    expect(CreateApiKeyInput.parse({ name: 'ci', scopes: ['releases', 'read', 'releases', 'metrics'] }).scopes).toEqual([
      'metrics',
      'read',
      'releases',
    ]);
  });

  it('normalises roles like a user: viewer dropped, deduplicated, sorted', () => {
    expect(CreateApiKeyInput.parse({ name: 'ci', scopes: ['registry'], roles: ['viewer', 'ml_lead', 'admin', 'ml_lead'] }).roles).toEqual([
      'admin',
      'ml_lead',
    ]);
  });

  it('trims the name and requires one', () => {
    expect(CreateApiKeyInput.parse({ name: '  nightly retrain  ', scopes: ['read'] }).name).toBe('nightly retrain');
    expect(messagesAt(CreateApiKeyInput.safeParse({ name: '   ', scopes: ['read'] }), 'name')).toEqual(['Required']);
    expect(messagesAt(CreateApiKeyInput.safeParse({ name: 'n'.repeat(101), scopes: ['read'] }), 'name')).toEqual(['At most 100 characters']);
    expect(CreateApiKeyInput.safeParse({ name: 'n'.repeat(100), scopes: ['read'] }).success).toBe(true);
  });

  it('requires at least one scope', () => {
    expect(messagesAt(CreateApiKeyInput.safeParse({ name: 'ci', scopes: [] }), 'scopes')).toEqual(['Choose at least one scope']);
    expect(CreateApiKeyInput.safeParse({ name: 'ci' }).error?.issues.map((i) => i.path)).toEqual([['scopes']]);
  });

  it.each([['write'], ['Admin'], ['*'], ['']])('rejects the unknown scope %j', (scope) => {
    const result = CreateApiKeyInput.safeParse({ name: 'ci', scopes: ['read', scope] });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['scopes', 1]);
  });

  it('rejects unknown roles', () => {
    expect(CreateApiKeyInput.safeParse({ name: 'ci', scopes: ['read'], roles: ['service'] }).error?.issues[0]?.path).toEqual(['roles', 0]);
  });

  it.each([1, 30, 3650])('accepts an expiry of %i days', (days) => {
    expect(CreateApiKeyInput.parse({ name: 'ci', scopes: ['read'], expiresInDays: days }).expiresInDays).toBe(days);
  });

  it.each([0, -1, 3651, 1.5, Number.NaN, '30', null])('rejects an expiry of %j days', (days) => {
    const result = CreateApiKeyInput.safeParse({ name: 'ci', scopes: ['read'], expiresInDays: days });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['expiresInDays']);
  });

  it('drops fields it does not know, such as a caller-chosen secret', () => {
    expect(CreateApiKeyInput.parse({ name: 'ci', scopes: ['read'], secret: 'fdk_mine', hash: 'x' })).toEqual({
      name: 'ci',
      roles: [],
      scopes: ['read'],
    });
  });
});

describe('RevokeApiKeyInput', () => {
  it('accepts a UUID', () => {
    const apiKeyId = '0b9f6a2e-1c3d-4e5f-9a8b-7c6d5e4f3a2b';
    expect(RevokeApiKeyInput.parse({ apiKeyId })).toEqual({ apiKeyId });
  });

  it.each(['', 'fdk_abc', 'not-a-uuid', '0b9f6a2e1c3d4e5f9a8b7c6d5e4f3a2b'])('rejects %j', (apiKeyId) => {
    expect(messagesAt(RevokeApiKeyInput.safeParse({ apiKeyId }), 'apiKeyId')).toEqual(['Not an API key id']);
  });

  it('rejects a missing id', () => {
    expect(RevokeApiKeyInput.safeParse({}).success).toBe(false);
  });
});
