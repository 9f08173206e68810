import type { Metadata } from 'next';
import { Badge } from '@/components/ui/badge';
import { LocalTime } from '@/components/ui/local-time';
import { EmptyState, PageHeader, Panel } from '@/components/ui/panel';
import { StateBadge } from '@/components/ui/state-badge';
import { getDb } from '@/db';
import { requireSessionActor } from '@/lib/auth/session';
import { listAlerts } from '@/lib/queries/activity';

export const metadata: Metadata = { title: 'Alerts' };

export default async function AlertsPage() {
  const actor = await requireSessionActor();
  const rows = await listAlerts({ actor, db: await getDb() });
  return (
    <>
      <PageHeader title="Alerts" description="Drift, SLO breaches and failed analyses; open and critical first." />
      <Panel>
        {rows.length === 0 ? (
          <EmptyState title="No alerts">Nothing is alerting. Drift and failed canary analyses open alerts here and notify webhooks.</EmptyState>
        ) : (
          <ul className="divide-y divide-zinc-100 dark:divide-zinc-800">
            {rows.map(({ alert, model }) => (
              <li key={alert.id} className="flex items-center gap-3 py-2">
                <StateBadge state={alert.state} />
                <Badge tone={alert.severity === 'critical' ? 'red' : 'amber'}>{alert.severity}</Badge>
                <span className="font-medium">{alert.title}</span>
                {model && <span className="text-zinc-500">{model}</span>}
                <span className="ml-auto text-xs text-zinc-500">
                  <LocalTime value={alert.openedAt} />
                </span>
              </li>
            ))}
          </ul>
        )}
      </Panel>
    </>
  );
}
