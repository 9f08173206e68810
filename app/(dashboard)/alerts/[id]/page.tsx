import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { AlertActions } from '@/components/alerts/alert-actions';
import { KIND_LABEL, SeverityBadge } from '@/components/alerts/severity-badge';
import { LocalTime } from '@/components/ui/local-time';
import { PageHeader, Panel } from '@/components/ui/panel';
import { StateBadge } from '@/components/ui/state-badge';
import { getDb } from '@/db';
import { requireSessionActor } from '@/lib/auth/session';
import { can, whyNot } from '@/lib/domain/roles';
import { getAlert } from '@/lib/queries/alerts';
import { AppError } from '@/lib/services/errors';

export const metadata: Metadata = { title: 'Alert' };

export default async function AlertPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requireSessionActor();
  const { id } = await params;
  const found = await getAlert({ actor, db: await getDb() }, id).catch((error) => {
    if (error instanceof AppError && error.code === 'not_found') notFound();
    throw error;
  });
  const { alert, model, ownerTeam, version, environment, trail } = found;
  const details = alert.details as Record<string, unknown>;
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-1 text-xs text-zinc-500">
        <Link href="/alerts" className="hover:underline">Alerts</Link>
      </nav>
      <PageHeader
        title={alert.title}
        description={
          <>
            <SeverityBadge severity={alert.severity} /> <StateBadge state={alert.state} /> {KIND_LABEL[alert.kind] ?? alert.kind} · {model}
            {version && ` ${version}`}
            {environment && ` in ${environment}`} · owner {ownerTeam ?? '—'} · opened <LocalTime value={alert.openedAt} /> · last seen <LocalTime value={alert.lastSeenAt} />
          </>
        }
      />
      <div className="grid gap-4 lg:grid-cols-3">
        <Panel title="Evidence" className="lg:col-span-2">
          <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
            {Object.entries(details).map(([key, value]) => (
              <div key={key} className="contents">
                <dt className="text-zinc-500">{key}</dt>
                <dd className="break-words font-mono text-xs">{typeof value === 'object' ? JSON.stringify(value) : String(value)}</dd>
              </div>
            ))}
          </dl>
          <div className="mt-3 flex flex-wrap gap-3 text-sm">
            {alert.kind === 'drift' && model && alert.feature && (
              <Link className="underline" href={`/models/${model}/drift/${encodeURIComponent(alert.feature)}`}>
                Feature drift: reference vs current
              </Link>
            )}
            {alert.releaseId && (
              <Link className="underline" href={`/releases/${alert.releaseId}`}>
                The release
              </Link>
            )}
          </div>
        </Panel>
        <Panel title="Act">
          <AlertActions alertId={alert.id} title={alert.title} state={alert.state} allowed={can(actor, 'alert.manage')} reason={whyNot('alert.manage', actor)} withComment />
        </Panel>
      </div>
      <Panel title="Trail" className="mt-4">
        <ol className="space-y-2 text-sm" aria-label="Alert trail">
          {trail.map((e) => (
            <li key={e.id}>
              <span className="font-medium">{e.action.replace('_', ' ')}</span> by {e.actor} <span className="text-xs text-zinc-500"><LocalTime value={e.createdAt} /></span>
              {e.comment && <div className="text-zinc-600 dark:text-zinc-400">{e.comment}</div>}
            </li>
          ))}
        </ol>
      </Panel>
    </>
  );
}
