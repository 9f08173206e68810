import { afterEach, describe, expect, it } from 'vitest';
import { buildAuthOptions } from '@/lib/auth/auth-options';
import { parseConfig } from '@/lib/config/parse-config';

const g = globalThis as { __flightdeckConfig?: unknown };
const withConfig = (env: Record<string, string>) => {
  g.__flightdeckConfig = parseConfig({ FLIGHTDECK_DATA_DIR: 'memory://', NEXTAUTH_SECRET: 'a-secret-of-sufficient-length', ...env });
};

describe('sign-in providers', () => {
  afterEach(() => {
    delete g.__flightdeckConfig;
  });

  it('offers e-mail and password only, when no SSO is configured', () => {
    withConfig({});
    const options = buildAuthOptions();
    expect(options.providers.map((p) => p.id)).toEqual(['credentials']);
    expect(options.session).toMatchObject({ strategy: 'jwt' });
    expect(options.pages).toEqual({ signIn: '/signin', error: '/signin' });
  });

  it('adds an OIDC provider from the environment, discovered from the issuer', () => {
    withConfig({
      FLIGHTDECK_OIDC_ISSUER: 'https://login.example.com/realms/ml/',
      FLIGHTDECK_OIDC_CLIENT_ID: 'flightdeck',
      FLIGHTDECK_OIDC_CLIENT_SECRET: 'shh',
      FLIGHTDECK_OIDC_NAME: 'Example SSO',
    });
    const oidc = buildAuthOptions().providers.find((p) => p.id === 'oidc') as unknown as Record<string, unknown>;
    expect(oidc).toMatchObject({
      name: 'Example SSO',
      type: 'oauth',
      wellKnown: 'https://login.example.com/realms/ml/.well-known/openid-configuration',
      clientId: 'flightdeck',
      clientSecret: 'shh',
      idToken: true,
      checks: ['pkce', 'state'],
    });
  });

  it('never lets a session carry roles: only the user id travels in the token', async () => {
    withConfig({});
    const { callbacks } = buildAuthOptions();
    const token = await callbacks!.jwt!({ token: {}, user: { id: 'user-1' }, account: { provider: 'credentials', type: 'credentials', providerAccountId: 'user-1' } } as never);
    expect(token).toEqual({ uid: 'user-1' });
    const session = await callbacks!.session!({ session: { expires: 'x' }, token } as never);
    expect(session).toEqual({ expires: 'x', uid: 'user-1' });
  });
});
