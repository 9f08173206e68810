import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { CreateUserInput, Email, Password, RoleList, UpdateUserInput } from '@/lib/domain/user';

/** Field errors as a form would show them: path → messages. */
const fieldErrors = (result: z.ZodSafeParseResult<unknown>): Record<string, string[]> => {
  expect(result.success).toBe(false);
  const out: Record<string, string[]> = {};
  for (const issue of result.error!.issues) (out[issue.path.join('.')] ??= []).push(issue.message);
  return out;
};

const USER_ID = '6f1c2d3e-4b5a-4c6d-8e7f-0123456789ab';

describe('Email', () => {
  it.each([
    ['alice@example.com', 'alice@example.com'],
    ['  Alice@Example.COM  ', 'alice@example.com'],
    ['BOB.SMITH+deploys@Corp.Example.org', 'bob.smith+deploys@corp.example.org'],
  ])('normalises %j to %j', (input, output) => {
    expect(Email.parse(input)).toBe(output);
  });

  it.each(['', '   ', 'alice', 'alice@', '@example.com', 'alice@example', 'a b@example.com', 'alice@@example.com'])('rejects %j', (input) => {
    const result = Email.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe('Not an e-mail address');
  });

  it('rejects non-strings', () => {
    expect(Email.safeParse(42).success).toBe(false);
    expect(Email.safeParse(null).success).toBe(false);
  });
});

describe('RoleList', () => {
  it.each([
    [[], []],
    [['viewer'], []],
    [['ml_lead'], ['ml_lead']],
    [['reviewer', 'admin'], ['admin', 'reviewer']],
    [['oncall', 'oncall', 'viewer'], ['oncall']],
    [['viewer', 'oncall', 'reviewer', 'ml_lead', 'admin'], ['admin', 'ml_lead', 'oncall', 'reviewer']],
  ])('turns %j into %j (viewer dropped, deduplicated, sorted)', (input, output) => {
    expect(RoleList.parse(input)).toEqual(output);
  });

  it.each([[['superuser']], [['Admin']], [['admin', '']], [[null]], ['admin'], [undefined]])('rejects %j', (input) => {
    expect(RoleList.safeParse(input).success).toBe(false);
  });

  it('tolerates duplicates but refuses an oversized list', () => {
    expect(RoleList.parse(Array(20).fill('admin'))).toEqual(['admin']);
    expect(RoleList.safeParse(Array(21).fill('admin')).success).toBe(false);
  });
});

describe('Password', () => {
  it('accepts 12 to 200 characters, unchanged', () => {
    expect(Password.parse('x'.repeat(12))).toBe('x'.repeat(12));
    expect(Password.parse('x'.repeat(200))).toBe('x'.repeat(200));
    expect(Password.parse('  spaced out pass  ')).toBe('  spaced out pass  ');
  });

  it('rejects fewer than 12 characters', () => {
    expect(Password.safeParse('x'.repeat(11)).error?.issues[0]?.message).toBe('At least 12 characters');
    expect(Password.safeParse('').success).toBe(false);
  });

  it('rejects more than 200 characters', () => {
    expect(Password.safeParse('x'.repeat(201)).error?.issues[0]?.message).toBe('At most 200 characters');
  });
});

describe('CreateUserInput', () => {
  it('parses a minimal single-sign-on user', () => {
    expect(CreateUserInput.parse({ email: 'Ada@Example.com', name: ' Ada Lovelace ' })).toEqual({
      email: 'ada@example.com',
      name: 'Ada Lovelace',
      roles: [],
    });
  });

  it('parses a password user with roles', () => {
    expect(
      CreateUserInput.parse({ email: 'ada@example.com', name: 'Ada', password: 'correct-horse-battery', roles: ['viewer', 'reviewer', 'ml_lead', 'reviewer'] }),
    ).toEqual({ email: 'ada@example.com', name: 'Ada', password: 'correct-horse-battery', roles: ['ml_lead', 'reviewer'] });
  });

  it('drops fields it does not know, so a form cannot smuggle in an id or a flag', () => {
    const parsed = CreateUserInput.parse({ email: 'ada@example.com', name: 'Ada', id: 'x', active: false, isAdmin: true });
    expect(parsed).not.toHaveProperty('id');
    expect(parsed).not.toHaveProperty('active');
    expect(parsed).not.toHaveProperty('isAdmin');
  });

  it('reports every bad field by name', () => {
    expect(fieldErrors(CreateUserInput.safeParse({ email: 'nope', name: '   ', password: 'short', roles: ['root'] }))).toEqual({
      email: ['Not an e-mail address'],
      name: ['Required'],
      password: ['At least 12 characters'],
      'roles.0': [expect.any(String)],
    });
  });

  it('requires email and name', () => {
    const errors = fieldErrors(CreateUserInput.safeParse({}));
    expect(Object.keys(errors).sort()).toEqual(['email', 'name']);
  });

  it('limits the name to 100 characters after trimming', () => {
    expect(CreateUserInput.safeParse({ email: 'a@example.com', name: ` ${'n'.repeat(100)} ` }).success).toBe(true);
    expect(fieldErrors(CreateUserInput.safeParse({ email: 'a@example.com', name: 'n'.repeat(101) }))).toEqual({
      name: ['At most 100 characters'],
    });
  });
});

describe('UpdateUserInput', () => {
  it('needs only the user id', () => {
    expect(UpdateUserInput.parse({ userId: USER_ID })).toEqual({ userId: USER_ID });
  });

  it('normalises roles and name', () => {
    expect(UpdateUserInput.parse({ userId: USER_ID, roles: ['viewer'], name: '  Grace ', active: false })).toEqual({
      userId: USER_ID,
      roles: [],
      name: 'Grace',
      active: false,
    });
  });

  it.each(['', 'not-a-uuid', '123', `${USER_ID}0`, USER_ID.replace(/-/g, '')])('rejects user id %j', (userId) => {
    expect(fieldErrors(UpdateUserInput.safeParse({ userId }))).toEqual({ userId: ['Not a user id'] });
  });

  it('rejects a missing user id', () => {
    expect(Object.keys(fieldErrors(UpdateUserInput.safeParse({ roles: [] })))).toEqual(['userId']);
  });

  it('takes active only as a boolean', () => {
    expect(fieldErrors(UpdateUserInput.safeParse({ userId: USER_ID, active: 'false' }))).toHaveProperty('active');
    expect(fieldErrors(UpdateUserInput.safeParse({ userId: USER_ID, active: 0 }))).toHaveProperty('active');
  });

  it('rejects a blank or over-long name', () => {
    expect(fieldErrors(UpdateUserInput.safeParse({ userId: USER_ID, name: ' ' }))).toEqual({ name: ['Required'] });
    expect(fieldErrors(UpdateUserInput.safeParse({ userId: USER_ID, name: 'n'.repeat(101) }))).toHaveProperty('name');
  });

  it('rejects unknown roles', () => {
    expect(fieldErrors(UpdateUserInput.safeParse({ userId: USER_ID, roles: ['owner'] }))).toHaveProperty(['roles.0']);
  });
});
