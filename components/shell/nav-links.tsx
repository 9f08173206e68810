'use client';

import { BellRing, Boxes, FlaskConical, LayoutDashboard, LifeBuoy, Rocket, ScrollText, Settings } from 'lucide-react';
import Link from 'next/link';
import { usePathname } from 'next/navigation';

const ITEMS = [
  { href: '/', label: 'Overview', icon: LayoutDashboard },
  { href: '/models', label: 'Models', icon: Boxes },
  { href: '/releases', label: 'Releases', icon: Rocket },
  { href: '/experiments', label: 'Experiments', icon: FlaskConical },
  { href: '/alerts', label: 'Alerts', icon: BellRing },
  { href: '/incidents', label: 'Incidents', icon: LifeBuoy },
  { href: '/audit', label: 'Audit', icon: ScrollText },
  { href: '/settings', label: 'Settings', icon: Settings },
];

export function NavLinks() {
  const pathname = usePathname();
  return (
    <ul className="space-y-0.5">
      {ITEMS.map(({ href, label, icon: Icon }) => {
        const active = href === '/' ? pathname === '/' : pathname === href || pathname.startsWith(`${href}/`);
        return (
          <li key={href}>
            <Link
              href={href}
              aria-current={active ? 'page' : undefined}
              className={`flex items-center gap-2 rounded-md px-2.5 py-1.5 ${
                active ? 'bg-zinc-200 font-medium dark:bg-zinc-800' : 'text-zinc-700 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-900'
              }`}
            >
              <Icon aria-hidden size={16} />
              {label}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
