import type { Metadata } from 'next';
import Link from 'next/link';
import { buttonStyles } from '@/components/ui/button-styles';
import { inputStyles } from '@/components/ui/field';
import { LocalTime } from '@/components/ui/local-time';
import { EmptyState, PageHeader, Panel } from '@/components/ui/panel';
import { StateBadge } from '@/components/ui/state-badge';
import { getDb } from '@/db';
import { requireSessionActor } from '@/lib/auth/session';
import { RELEASE_STATES } from '@/lib/domain/release-machine';
import { can } from '@/lib/domain/roles';
import { listEnvironmentPolicies } from '@/lib/queries/environments';
import { listAwaitingApproval, listReleases } from '@/lib/queries/releases';

export const metadata: Metadata = { title: 'Releases' };

type Search = { model?: string; environment?: string; state?: string };

export default async function ReleasesPage({ searchParams }: { searchParams: Promise<Search> }) {
  const actor = await requireSessionActor();
  const db = await getDb();
  const filters = await searchParams;
  const [releases, inbox, environments] = await Promise.all([
    listReleases({ actor, db }, { model: filters.model || undefined, environment: filters.environment || undefined, state: filters.state || undefined }),
    can(actor, 'release.approve') ? listAwaitingApproval({ actor, db }) : Promise.resolve(null),
    listEnvironmentPolicies({ actor, db }),
  ]);
  const waitingForMe = inbox?.filter((r) => !r.mine) ?? [];
  return (
    <>
      <PageHeader title="Releases" description="Model versions on their way to an environment; in flight first." actions={<Link href="/releases/approvals" className="text-sm underline">Approval history</Link>} />
      {inbox && (
        <Panel title={`Approval inbox (${waitingForMe.length})`} className="mb-4">
          {waitingForMe.length === 0 ? (
            <EmptyState title="Nothing waits for your approval" />
          ) : (
            <ul className="divide-y divide-zinc-100 dark:divide-zinc-800" aria-label="Waiting for your approval">
              {waitingForMe.map((r) => (
                <li key={r.id} className="flex items-center gap-3 py-2">
                  <Link href={`/releases/${r.id}`} className="font-medium hover:underline">
                    {r.model} {r.version} → {r.environment}
                  </Link>
                  <span className="text-xs text-zinc-500">
                    requested by {r.requestedBy} <LocalTime value={r.createdAt} />
                  </span>
                </li>
              ))}
            </ul>
          )}
        </Panel>
      )}
      <Panel>
        <form className="mb-3 flex flex-wrap gap-2" aria-label="Filter releases">
          <label className="sr-only" htmlFor="f-model">Model</label>
          <input id="f-model" name="model" defaultValue={filters.model} placeholder="Model name" className={`${inputStyles} max-w-48`} />
          <label className="sr-only" htmlFor="f-env">Environment</label>
          <select id="f-env" name="environment" defaultValue={filters.environment ?? ''} className={`${inputStyles} max-w-40`}>
            <option value="">All environments</option>
            {environments.map((e) => (
              <option key={e.id} value={e.name}>{e.name}</option>
            ))}
          </select>
          <label className="sr-only" htmlFor="f-state">State</label>
          <select id="f-state" name="state" defaultValue={filters.state ?? ''} className={`${inputStyles} max-w-48`}>
            <option value="">All states</option>
            {RELEASE_STATES.map((s) => (
              <option key={s} value={s}>{s.replace('_', ' ')}</option>
            ))}
          </select>
          <button className={buttonStyles.secondary}>Filter</button>
        </form>
        {releases.length === 0 ? (
          <EmptyState title="No releases match">An ML lead requests one from a deployable version’s page.</EmptyState>
        ) : (
          <table className="w-full text-left">
            <thead className="text-xs text-zinc-500">
              <tr>
                <th className="py-1.5 font-medium">Release</th>
                <th className="py-1.5 font-medium">Environment</th>
                <th className="py-1.5 font-medium">Strategy</th>
                <th className="py-1.5 font-medium">State</th>
                <th className="py-1.5 font-medium">Weight</th>
                <th className="py-1.5 text-right font-medium">Updated</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
              {releases.map((r) => (
                <tr key={r.id}>
                  <td className="py-2">
                    <Link href={`/releases/${r.id}`} className="font-medium hover:underline">
                      {r.model} <span className="font-mono text-xs">{r.baselineVersion ? `${r.baselineVersion} → ` : ''}{r.version}</span>
                    </Link>
                  </td>
                  <td className="py-2">{r.environment}</td>
                  <td className="py-2">{r.strategy.replace('_', '-')}</td>
                  <td className="py-2"><StateBadge state={r.state} /></td>
                  <td className="py-2 tabular-nums">{r.currentWeight} %</td>
                  <td className="py-2 text-right text-xs text-zinc-500"><LocalTime value={r.updatedAt} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Panel>
    </>
  );
}
