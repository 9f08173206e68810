import type { Metadata } from 'next';
import Link from 'next/link';
import { LocalTime } from '@/components/ui/local-time';
import { EmptyState, PageHeader, Panel } from '@/components/ui/panel';
import { StateBadge } from '@/components/ui/state-badge';
import { getDb } from '@/db';
import { requireSessionActor } from '@/lib/auth/session';
import { formatDuration } from '@/lib/domain/incident-timeline';
import { listIncidents } from '@/lib/queries/incidents';

export const metadata: Metadata = { title: 'Incidents' };

/** Every rollback's incident, newest first, with how long detection and the rollback took. */
export default async function IncidentsPage() {
  const actor = await requireSessionActor();
  const { items, summary } = await listIncidents({ actor, db: await getDb() });
  return (
    <>
      <PageHeader title="Incidents" description="Opened by every rollback: the timeline, time to detect and to roll back, and the postmortem." />
      <div className="mb-4 grid grid-cols-2 gap-3 md:grid-cols-4" data-testid="mttr">
        <Tile label="Incidents" value={String(items.length)} />
        <Tile label="Mean time to roll back" value={formatDuration(summary.meanSeconds)} />
        <Tile label="Median time to roll back" value={formatDuration(summary.medianSeconds)} />
        <Tile label="Without timings" value={String(summary.unknown)} />
      </div>
      <Panel>
        {items.length === 0 ? (
          <EmptyState title="No incidents">Every rollback opens one here, with its timeline and a postmortem to write.</EmptyState>
        ) : (
          <table className="w-full text-left text-sm">
            <thead className="text-xs text-zinc-500">
              <tr>
                <th className="py-1.5 font-medium">Incident</th>
                <th className="py-1.5 font-medium">State</th>
                <th className="py-1.5 pr-3 text-right font-medium">Time to detect</th>
                <th className="py-1.5 pr-3 text-right font-medium">Time to roll back</th>
                <th className="py-1.5 font-medium">Rolled back by</th>
                <th className="py-1.5 font-medium">Postmortem</th>
                <th className="py-1.5 font-medium">When</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
              {items.map(({ incident, durations }) => (
                <tr key={incident.id} data-testid={`incident-${incident.id}`}>
                  <td className="py-2 pr-3">
                    <Link href={`/incidents/${incident.id}`} className="font-medium hover:underline">
                      {incident.title}
                    </Link>
                  </td>
                  <td className="py-2 pr-3">
                    <StateBadge state={incident.state} />
                  </td>
                  <td className="py-2 pr-3 text-right tabular-nums">{formatDuration(durations?.timeToDetectSeconds ?? null)}</td>
                  <td className="py-2 pr-3 text-right tabular-nums">{formatDuration(durations?.timeToRollBackSeconds ?? null)}</td>
                  <td className="py-2 pr-3">{incident.rolledBackBy ?? '—'}</td>
                  <td className="py-2 pr-3 text-xs">{incident.postmortem ? `written${incident.postmortemOwner ? ` · ${incident.postmortemOwner}` : ''}` : <span className="text-amber-700">to write</span>}</td>
                  <td className="py-2 text-xs text-zinc-500">
                    <LocalTime value={incident.createdAt} />
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

function Tile({ label, value }: { label: string; value: string }) {
  return (
    <div className="rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
      <p className="text-xs text-zinc-500">{label}</p>
      <p className="mt-1 text-2xl font-semibold tabular-nums">{value}</p>
    </div>
  );
}
