import type { Metadata } from 'next';
import Link from 'next/link';
import { AlertActions } from '@/components/alerts/alert-actions';
import { KIND_LABEL, SeverityBadge } from '@/components/alerts/severity-badge';
import { buttonStyles } from '@/components/ui/button-styles';
import { inputStyles } from '@/components/ui/field';
import { LocalTime } from '@/components/ui/local-time';
import { EmptyState, PageHeader, Panel } from '@/components/ui/panel';
import { StateBadge } from '@/components/ui/state-badge';
import { AutoRefresh } from '@/components/ui/auto-refresh';
import { getDb } from '@/db';
import { requireSessionActor } from '@/lib/auth/session';
import { can, whyNot } from '@/lib/domain/roles';
import { AlertFilters, listAlerts } from '@/lib/queries/alerts';

export const metadata: Metadata = { title: 'Alerts' };

/** The inbox: open first, critical first; filters in the URL so a view can be shared. */
export default async function AlertsPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const actor = await requireSessionActor();
  const raw = await searchParams;
  const parsed = AlertFilters.safeParse(Object.fromEntries(Object.entries(raw).filter(([, v]) => v)));
  const filters = parsed.success ? parsed.data : AlertFilters.parse({});
  const rows = await listAlerts({ actor, db: await getDb() }, filters);
  const allowed = can(actor, 'alert.manage');
  const reason = whyNot('alert.manage', actor);
  return (
    <>
      <PageHeader title="Alerts" description="Drift, SLO burn and failed canary analyses. Open first, critical first." actions={<AutoRefresh seconds={10} />} />
      <form method="get" aria-label="Filter alerts" className="mb-3 flex flex-wrap items-end gap-2 text-sm">
        <label className="text-xs font-medium">
          State
          <select name="state" defaultValue={filters.state} className={inputStyles}>
            <option value="active">open or acknowledged</option>
            <option value="open">open</option>
            <option value="acknowledged">acknowledged</option>
            <option value="resolved">resolved</option>
            <option value="all">all</option>
          </select>
        </label>
        <label className="text-xs font-medium">
          Severity
          <select name="severity" defaultValue={filters.severity ?? ''} className={inputStyles}>
            <option value="">any</option>
            <option value="critical">critical</option>
            <option value="warning">warning</option>
          </select>
        </label>
        <label className="text-xs font-medium">
          Kind
          <select name="kind" defaultValue={filters.kind ?? ''} className={inputStyles}>
            <option value="">any</option>
            <option value="drift">drift</option>
            <option value="slo_breach">SLO burn</option>
            <option value="analysis_failed">canary analysis</option>
          </select>
        </label>
        <label className="text-xs font-medium">
          Model
          <input name="model" defaultValue={filters.model ?? ''} className={inputStyles} placeholder="any" />
        </label>
        <button type="submit" className={buttonStyles.secondary}>
          Filter
        </button>
      </form>
      <Panel>
        {rows.length === 0 ? (
          <EmptyState title="No alerts match">Drift, SLO burn and failed canary analyses open alerts here and notify webhooks.</EmptyState>
        ) : (
          <table className="w-full text-left text-sm">
            <thead className="text-xs text-zinc-500">
              <tr>
                <th className="py-1.5 font-medium">Severity</th>
                <th className="py-1.5 font-medium">Alert</th>
                <th className="py-1.5 font-medium">Model</th>
                <th className="py-1.5 font-medium">Owner</th>
                <th className="py-1.5 font-medium">Opened</th>
                <th className="py-1.5 font-medium">State</th>
                <th className="py-1.5 font-medium" />
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
              {rows.map(({ alert, model, ownerTeam, version, environment }) => (
                <tr key={alert.id} data-testid={`alert-${alert.id}`}>
                  <td className="py-2 pr-3">
                    <SeverityBadge severity={alert.severity} />
                  </td>
                  <td className="py-2 pr-3">
                    <Link href={`/alerts/${alert.id}`} className="font-medium hover:underline">
                      {alert.title}
                    </Link>
                    <div className="text-xs text-zinc-500">{KIND_LABEL[alert.kind] ?? alert.kind}{alert.feature ? ` · feature ${alert.feature}` : ''}</div>
                  </td>
                  <td className="py-2 pr-3">
                    {model ?? '—'} {version && <span className="text-zinc-500">{version}</span>} {environment && <span className="text-zinc-500">in {environment}</span>}
                  </td>
                  <td className="py-2 pr-3 text-zinc-600 dark:text-zinc-400">{ownerTeam ?? '—'}</td>
                  <td className="py-2 pr-3 text-xs text-zinc-500">
                    <LocalTime value={alert.openedAt} />
                  </td>
                  <td className="py-2 pr-3">
                    <StateBadge state={alert.state} />
                    {alert.acknowledgedBy && <div className="text-xs text-zinc-500">by {alert.acknowledgedBy}</div>}
                  </td>
                  <td className="py-2">
                    <AlertActions alertId={alert.id} title={alert.title} state={alert.state} allowed={allowed} reason={reason} />
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
