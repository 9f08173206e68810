'use client';

import { signIn } from 'next-auth/react';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { buttonStyles } from '@/components/ui/button-styles';
import { Field, inputStyles } from '@/components/ui/field';

type Props = {
  callbackUrl: string;
  sso: { name: string } | null;
  initialError: string | null;
  demo: { password: string; users: { email: string; name: string; role: string }[] } | null;
};

export function SignInForm({ callbackUrl, sso, initialError, demo }: Props) {
  const router = useRouter();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(initialError);
  const [pending, setPending] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setPending(true);
    setError(null);
    const result = await signIn('credentials', { email, password, redirect: false });
    if (!result || result.error) {
      setPending(false);
      setError(result?.error && result.error !== 'CredentialsSignin' ? result.error : 'Wrong e-mail or password.');
      return;
    }
    router.replace(callbackUrl);
    router.refresh();
  }

  return (
    <div className="space-y-6">
      <form onSubmit={submit} className="space-y-3 rounded-lg border border-zinc-200 bg-white p-5 dark:border-zinc-800 dark:bg-zinc-900" noValidate>
        <Field id="email" label="E-mail">
          <input id="email" name="email" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} className={inputStyles} />
        </Field>
        <Field id="password" label="Password">
          <input id="password" name="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} className={inputStyles} />
        </Field>
        <p aria-live="assertive" className="min-h-5 text-sm text-red-700 dark:text-red-400" data-testid="signin-error">
          {error}
        </p>
        <button type="submit" disabled={pending} className={`${buttonStyles.primary} w-full`}>
          {pending ? 'Signing in…' : 'Sign in'}
        </button>
        {sso && (
          <button type="button" onClick={() => signIn('oidc', { callbackUrl })} className={`${buttonStyles.secondary} w-full`}>
            Sign in with {sso.name}
          </button>
        )}
      </form>
      {demo && (
        <section aria-labelledby="demo-accounts" className="rounded-lg border border-amber-300 bg-amber-50 p-4 text-amber-950 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100">
          <h2 id="demo-accounts" className="font-semibold">Demo accounts</h2>
          <p className="mt-1 text-xs">
            Demo mode only. Every account's password is <code className="font-mono">{demo.password}</code>. Pick one to fill in the form:
          </p>
          <ul className="mt-2 space-y-1">
            {demo.users.map((user) => (
              <li key={user.email}>
                <button
                  type="button"
                  className="w-full rounded px-2 py-1 text-left hover:bg-amber-100 dark:hover:bg-amber-900"
                  onClick={() => {
                    setEmail(user.email);
                    setPassword(demo.password);
                  }}
                >
                  <span className="font-medium">{user.role}</span> — {user.name} <span className="text-xs">({user.email})</span>
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
