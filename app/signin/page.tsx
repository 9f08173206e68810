import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { Plane } from 'lucide-react';
import { getSessionActor } from '@/lib/auth/session';
import { getConfig } from '@/lib/config';
import { DEMO_PASSWORD, DEMO_USERS } from '@/db/seed/demo-data';
import { ROLE_LABELS } from '@/lib/domain/roles';
import { SignInForm } from './sign-in-form';

export const metadata: Metadata = { title: 'Sign in' };

const SSO_ERRORS: Record<string, string> = {
  UnknownUser: 'Your company account is not a Flightdeck user yet. Ask an admin to add your e-mail.',
  NoEmail: 'Your identity provider did not share an e-mail address.',
  OAuthSignin: 'Single sign-on could not start. Try again or use your password.',
  OAuthCallback: 'Single sign-on did not complete. Try again.',
  AccessDenied: 'Access denied.',
};

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string; error?: string }> }) {
  if (await getSessionActor()) redirect('/');
  const { callbackUrl, error } = await searchParams;
  const config = getConfig();
  // Only same-site paths: an open redirect after sign-in is a phishing aid.
  const next = callbackUrl && callbackUrl.startsWith('/') && !callbackUrl.startsWith('//') ? callbackUrl : '/';
  const demoUsers = config.demo
    ? DEMO_USERS.map((u) => ({ email: u.email, name: u.name, role: u.roles[0] ? ROLE_LABELS[u.roles[0]] : 'Viewer' }))
    : [];
  return (
    <main className="mx-auto mt-16 max-w-sm px-4">
      <h1 className="mb-6 flex items-center gap-2 text-xl font-semibold">
        <Plane aria-hidden size={20} /> Sign in to Flightdeck
      </h1>
      <SignInForm
        callbackUrl={next}
        sso={config.oidc ? { name: config.oidc.name } : null}
        initialError={error ? (SSO_ERRORS[error] ?? (error === 'CredentialsSignin' ? 'Wrong e-mail or password.' : 'Sign-in failed. Try again.')) : null}
        demo={config.demo ? { password: DEMO_PASSWORD, users: demoUsers } : null}
      />
    </main>
  );
}
