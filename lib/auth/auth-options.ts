import { eq } from 'drizzle-orm';
import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { getDb } from '@/db';
import { users } from '@/db/schema';
import { getConfig } from '@/lib/config';
import { getAuthSecret } from './auth-secret';
import { decodeSessionToken, encodeSessionToken } from './session-token';
import { verifyCredentials } from './credentials';

/**
 * next-auth decides who someone is; Flightdeck's users table decides what they may do. The JWT
 * carries only the user id; roles are read from the database on each request (lib/auth/session).
 */
export function buildAuthOptions(): NextAuthOptions {
  const config = getConfig();
  const providers: NextAuthOptions['providers'] = [
    CredentialsProvider({
      id: 'credentials',
      name: 'E-mail and password',
      credentials: { email: { label: 'E-mail', type: 'email' }, password: { label: 'Password', type: 'password' } },
      async authorize(credentials) {
        const result = await verifyCredentials(await getDb(), credentials?.email ?? '', credentials?.password ?? '');
        // A thrown message reaches the sign-in form as `error` (a returned null would only say "CredentialsSignin").
        if (!result.ok) throw new Error(result.message);
        return { id: result.userId };
      },
    }),
  ];
  if (config.oidc) {
    providers.push({
      id: 'oidc',
      name: config.oidc.name,
      type: 'oauth',
      wellKnown: `${config.oidc.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`,
      authorization: { params: { scope: 'openid email profile' } },
      idToken: true,
      checks: ['pkce', 'state'],
      clientId: config.oidc.clientId,
      clientSecret: config.oidc.clientSecret,
      profile(profile: { sub: string; email?: string; name?: string }) {
        return { id: profile.sub, email: profile.email ?? null, name: profile.name ?? profile.email ?? null };
      },
    });
  }

  return {
    secret: getAuthSecret(config),
    session: { strategy: 'jwt', maxAge: 12 * 60 * 60 },
    jwt: { encode: encodeSessionToken, decode: decodeSessionToken },
    pages: { signIn: '/signin', error: '/signin' },
    providers,
    callbacks: {
      // SSO: the identity provider vouches for the e-mail; the person must already be a user here.
      async signIn({ account, user }) {
        if (account?.provider !== 'oidc') return true;
        const email = user.email?.toLowerCase();
        if (!email) return '/signin?error=NoEmail';
        const [known] = await (await getDb()).select().from(users).where(eq(users.email, email));
        if (!known || !known.active) return '/signin?error=UnknownUser';
        return true;
      },
      async jwt({ token, user, account }) {
        if (user && account?.provider === 'oidc') {
          const [known] = await (await getDb()).select({ id: users.id }).from(users).where(eq(users.email, user.email!.toLowerCase()));
          token.uid = known?.id;
        } else if (user) {
          token.uid = user.id;
        }
        return token;
      },
      async session({ session, token }) {
        return { ...session, uid: typeof token.uid === 'string' ? token.uid : undefined };
      },
    },
  };
}

const g = globalThis as { __flightdeckAuthOptions?: NextAuthOptions };
export function getAuthOptions(): NextAuthOptions {
  return (g.__flightdeckAuthOptions ??= buildAuthOptions());
}
