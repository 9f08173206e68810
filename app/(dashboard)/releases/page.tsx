import type { Metadata } from 'next';
import Link from 'next/link';
import { LocalTime } from '@/components/ui/local-time';
import { EmptyState, PageHeader, Panel } from '@/components/ui/panel';
import { StateBadge } from '@/components/ui/state-badge';
import { getDb } from '@/db';
import { requireSessionActor } from '@/lib/auth/session';
import { listReleases } from '@/lib/queries/activity';

export const metadata: Metadata = { title: 'Releases' };

export default async function ReleasesPage() {
  const actor = await requireSessionActor();
  const releases = await listReleases({ actor, db: await getDb() });
  return (
    <>
      <PageHeader title="Releases" description="Model versions on their way to an environment; in flight first." />
      <Panel>
        {releases.length === 0 ? (
          <EmptyState title="No releases yet">A release takes a deployable version to staging or production through approvals and a progressive rollout.</EmptyState>
        ) : (
          <table className="w-full text-left">
            <thead className="text-xs text-zinc-500">
              <tr>
                <th className="py-1.5 font-medium">Model</th>
                <th className="py-1.5 font-medium">Version</th>
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
                    <Link href={`/models/${r.model}`} className="font-medium hover:underline">
                      {r.model}
                    </Link>
                  </td>
                  <td className="py-2 font-mono text-xs">
                    {r.baselineVersion ? `${r.baselineVersion} → ` : ''}
                    {r.version}
                  </td>
                  <td className="py-2">{r.environment}</td>
                  <td className="py-2">{r.strategy.replace('_', '-')}</td>
                  <td className="py-2">
                    <StateBadge state={r.state} />
                  </td>
                  <td className="py-2 tabular-nums">{r.currentWeight} %</td>
                  <td className="py-2 text-right text-xs text-zinc-500">
                    <LocalTime value={r.updatedAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Panel>
    </>
  );
}
