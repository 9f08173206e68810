import Link from 'next/link';
import { AuditEventRow } from '@/components/audit/audit-event-row';
import { LocalTime } from '@/components/ui/local-time';
import { EmptyState, PageHeader, Panel } from '@/components/ui/panel';
import { getDb } from '@/db';
import { requireSessionActor } from '@/lib/auth/session';
import { getOverview } from '@/lib/queries/overview';
import { countInFlight, latestVerdicts, listInFlight } from '@/lib/queries/releases';

const OVERVIEW_IN_FLIGHT = 20;
import { Badge } from '@/components/ui/badge';
import { AutoRefresh } from '@/components/ui/auto-refresh';
import { availableActions } from '@/components/releases/available-actions';
import { ReleaseActions } from '@/components/releases/release-actions';
import { TrafficSplit } from '@/components/releases/traffic-split';
import { StateBadge } from '@/components/ui/state-badge';
import { KIND_LABEL, SeverityBadge } from '@/components/alerts/severity-badge';

export default async function OverviewPage() {
  const actor = await requireSessionActor();
  const db = await getDb();
  // The first releases in flight, production first: a large organisation can have hundreds at once.
  const [overview, inFlight, inFlightTotal] = await Promise.all([getOverview({ actor, db }), listInFlight({ actor, db }, new Date(), OVERVIEW_IN_FLIGHT), countInFlight({ actor, db })]);
  const verdicts = await latestVerdicts(db, inFlight.map((r) => r.id));
  const tiles = [
    { label: 'Models', value: overview.counts.models, href: '/models' },
    { label: 'Versions', value: overview.counts.versions, href: '/models' },
    { label: 'Releases in flight', value: overview.counts.releasesInFlight, href: '/releases' },
    { label: 'Open alerts', value: overview.counts.openAlerts, href: '/alerts' },
  ];
  return (
    <>
      <PageHeader title="Overview" description="What is rolling out, what is alerting, and what changed." actions={<AutoRefresh seconds={5} />} />
      <div className="grid grid-cols-2 gap-3 md:grid-cols-4">
        {tiles.map((tile) => (
          <Link key={tile.label} href={tile.href} className="rounded-lg border border-zinc-200 bg-white p-4 hover:border-zinc-400 dark:border-zinc-800 dark:bg-zinc-900">
            <p className="text-xs text-zinc-500">{tile.label}</p>
            <p className="mt-1 text-2xl font-semibold tabular-nums">{tile.value.toLocaleString()}</p>
          </Link>
        ))}
      </div>
      {overview.criticalAlerts.length > 0 && (
        <Panel title="Open critical alerts" className="mt-4 border-red-300 dark:border-red-800" actions={<Link href="/alerts?severity=critical&state=open" className="text-xs underline">All</Link>}>
          <ul className="space-y-1 text-sm" aria-label="Open critical alerts">
            {overview.criticalAlerts.map((a) => (
              <li key={a.id} className="flex flex-wrap items-center gap-2">
                <SeverityBadge severity="critical" />
                <Link href={`/alerts/${a.id}`} className="font-medium hover:underline">
                  {a.title}
                </Link>
                <span className="text-xs text-zinc-500">
                  {KIND_LABEL[a.kind] ?? a.kind} · <LocalTime value={a.openedAt} />
                </span>
              </li>
            ))}
          </ul>
        </Panel>
      )}
      <div className="mt-4 grid gap-4 lg:grid-cols-2">
        <Panel
          title="Rolling out now"
          actions={
            <Link href={inFlightTotal > inFlight.length ? '/releases?state=running' : '/releases'} className="text-xs underline">
              {inFlightTotal > inFlight.length ? `All ${inFlightTotal.toLocaleString('en')} running` : 'All releases'}
            </Link>
          }
        >
          {inFlight.length === 0 ? (
            <EmptyState title="Nothing is rolling out">Releases in flight appear here, production first, with their traffic split and a one-click rollback.</EmptyState>
          ) : (
            <ul className="space-y-4" aria-label="Releases in flight">
              {inFlight.map((r) => {
                const title = `${r.model} ${r.version} in ${r.environment}`;
                const rollback = availableActions(r, actor).filter((a) => a.verb === 'rollback');
                return (
                  <li key={r.id} data-testid={`in-flight-${r.model}-${r.environment}`}>
                    <div className="mb-1 flex flex-wrap items-center gap-2">
                      <Link href={`/releases/${r.id}`} className="font-medium hover:underline">
                        {title}
                      </Link>
                      <StateBadge state={r.state} />
                      {r.incidentId ? (
                        <Link href={`/releases/${r.id}#incident`} className="text-xs underline">
                          incident
                        </Link>
                      ) : verdicts.get(r.id) ? (
                        <span className="text-xs">
                          <Badge tone={({ pass: 'green', marginal: 'amber', fail: 'red' } as const)[verdicts.get(r.id)!.verdict as 'pass'] ?? 'neutral'}>{verdicts.get(r.id)!.verdict}</Badge>{' '}
                          {verdicts.get(r.id)!.errorRate ?? 'no error-rate verdict yet'}
                        </span>
                      ) : (
                        <span className="text-xs text-zinc-500">no analysis yet</span>
                      )}
                    </div>
                    <TrafficSplit baseline={r.baselineVersion} candidate={r.version} weight={r.currentWeight} />
                    <div className="mt-2">
                      <ReleaseActions releaseId={r.id} title={title} actions={rollback} compact />
                    </div>
                  </li>
                );
              })}
            </ul>
          )}
        </Panel>
        <Panel title="Latest versions" actions={<Link href="/models" className="text-xs underline">All models</Link>}>
          {overview.latestVersions.length === 0 ? (
            <EmptyState title="No versions registered yet">Register one from CI with POST /api/v1/models/&lt;name&gt;/versions.</EmptyState>
          ) : (
            <table className="w-full text-left">
              <thead className="text-xs text-zinc-500">
                <tr>
                  <th className="py-1 font-medium">Model</th>
                  <th className="py-1 font-medium">Version</th>
                  <th className="py-1 font-medium">Registered by</th>
                  <th className="py-1 text-right font-medium">When</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
                {overview.latestVersions.map((v) => (
                  <tr key={v.id}>
                    <td className="py-1.5">
                      <Link href={`/models/${v.model}`} className="font-medium hover:underline">
                        {v.model}
                      </Link>
                    </td>
                    <td className="py-1.5 font-mono text-xs">{v.version}</td>
                    <td className="py-1.5 text-zinc-600 dark:text-zinc-400">{v.registeredBy}</td>
                    <td className="py-1.5 text-right text-xs text-zinc-500">
                      <LocalTime value={v.registeredAt} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Panel>
      </div>
      <Panel title="Recent activity" className="mt-4" actions={<Link href="/audit" className="text-xs underline">Audit log</Link>}>
        {overview.recentAudit.length === 0 ? (
          <EmptyState title="No activity yet" />
        ) : (
          <ul className="divide-y divide-zinc-100 dark:divide-zinc-800">
            {overview.recentAudit.map((event) => (
              <AuditEventRow key={event.seq} event={event} />
            ))}
          </ul>
        )}
      </Panel>
    </>
  );
}
