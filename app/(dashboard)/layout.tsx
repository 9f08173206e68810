import { Plane } from 'lucide-react';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { Providers } from '@/components/providers';
import { NavLinks } from '@/components/shell/nav-links';
import { UserMenu } from '@/components/shell/user-menu';
import { requireSessionActor } from '@/lib/auth/session';
import { getConfig } from '@/lib/config';
import { ROLE_LABELS } from '@/lib/domain/roles';

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const actor = await requireSessionActor();
  const { demo } = getConfig();
  const roles = ['Viewer', ...actor.roles.map((r) => ROLE_LABELS[r]).filter((r) => r !== 'Viewer')];
  return (
    <div className="flex min-h-screen">
      <nav aria-label="Main" className="w-52 shrink-0 border-r border-zinc-200 bg-white p-3 dark:border-zinc-800 dark:bg-zinc-950">
        <Link href="/" className="mb-4 flex items-center gap-2 px-2.5 py-1 text-base font-semibold">
          <Plane aria-hidden size={18} /> Flightdeck
        </Link>
        <NavLinks />
      </nav>
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="flex items-center justify-between gap-4 border-b border-zinc-200 bg-white px-6 py-2.5 dark:border-zinc-800 dark:bg-zinc-950">
          {demo ? (
            <p className="rounded bg-amber-100 px-2 py-0.5 text-xs font-medium text-amber-900 dark:bg-amber-950 dark:text-amber-200">
              Demo mode: seeded data, shared demo passwords
            </p>
          ) : (
            <span />
          )}
          <UserMenu name={actor.name} email={actor.email} roles={roles} />
        </header>
        <main className="flex-1 p-6">
          <Providers>{children}</Providers>
        </main>
      </div>
    </div>
  );
}
