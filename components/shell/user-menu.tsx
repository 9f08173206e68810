'use client';

import { LogOut } from 'lucide-react';
import { signOut } from 'next-auth/react';
import { useState } from 'react';

export function UserMenu({ name, email, roles }: { name: string; email: string; roles: string[] }) {
  const [pending, setPending] = useState(false);
  return (
    <div className="flex items-center gap-3" data-testid="user-menu">
      <div className="text-right leading-tight">
        <p className="font-medium">{name}</p>
        <p className="text-xs text-zinc-500" aria-label="Your roles">
          {email} · {roles.join(', ')}
        </p>
      </div>
      <button
        type="button"
        onClick={() => {
          setPending(true);
          void signOut({ callbackUrl: '/signin' });
        }}
        disabled={pending}
        className="inline-flex items-center gap-1 rounded-md border border-zinc-300 px-2 py-1 text-xs hover:bg-zinc-100 disabled:opacity-50 dark:border-zinc-700 dark:hover:bg-zinc-800"
      >
        <LogOut aria-hidden size={14} />
        {pending ? 'Signing out…' : 'Sign out'}
      </button>
    </div>
  );
}
