import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { PostmortemEditor } from '@/components/incidents/postmortem-editor';
import { Badge } from '@/components/ui/badge';
import { LocalTime } from '@/components/ui/local-time';
import { PageHeader, Panel } from '@/components/ui/panel';
import { StateBadge } from '@/components/ui/state-badge';
import { getDb } from '@/db';
import { requireSessionActor } from '@/lib/auth/session';
import { formatDuration } from '@/lib/domain/incident-timeline';
import { can, whyNot } from '@/lib/domain/roles';
import { getIncident } from '@/lib/queries/incidents';
import { AppError } from '@/lib/services/errors';

export const metadata: Metadata = { title: 'Incident' };

const TONE = { critical: 'red', warning: 'amber', info: 'neutral' } as const;

export default async function IncidentPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requireSessionActor();
  const { id } = await params;
  const data = await getIncident({ actor, db: await getDb() }, id).catch((error) => {
    if (error instanceof AppError && error.code === 'not_found') notFound();
    throw error;
  });
  const { incident, durations, timeline, responders } = data;
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-1 text-xs text-zinc-500">
        <Link href="/incidents" className="hover:underline">Incidents</Link>
      </nav>
      <PageHeader
        title={incident.title}
        description={
          <>
            <StateBadge state={incident.state} /> rolled back by <strong>{incident.rolledBackBy ?? '—'}</strong> {incident.rolledBackAt && <LocalTime value={incident.rolledBackAt} />}
            {incident.releaseId && (
              <>
                {' '}
                ·{' '}
                <Link className="underline" href={`/releases/${incident.releaseId}`}>
                  the release
                </Link>
              </>
            )}
          </>
        }
      />
      <div className="mb-4 grid grid-cols-2 gap-3 md:grid-cols-4" data-testid="durations">
        <Tile label="Time to detect" value={formatDuration(durations.timeToDetectSeconds)} hint={durations.onsetFrom === 'analysis' ? 'from the first failing interval' : 'from the release start'} />
        <Tile label="Time to roll back" value={formatDuration(durations.timeToRollBackSeconds)} hint={durations.detectedBy ? `from detection by ${durations.detectedBy}` : ''} />
        <Tile label="Onset to rollback" value={formatDuration(durations.totalSeconds)} hint="" />
        <Tile label="Responders" value={String(responders.length)} hint={responders.map((r) => r.actor).join(', ')} />
      </div>
      <div className="grid gap-4 lg:grid-cols-2">
        <Panel title="Timeline">
          <ol className="space-y-2 text-sm" aria-label="Incident timeline">
            {timeline.map((e, i) => (
              <li key={i} className="grid grid-cols-[7rem_1fr] gap-2">
                <span className="text-xs tabular-nums text-zinc-500">
                  <LocalTime value={e.at} mode="clock" />
                </span>
                <span>
                  {e.severity && e.severity !== 'info' && <Badge tone={TONE[e.severity]}>{e.severity}</Badge>} <span className="font-medium">{e.title}</span>
                  {e.actor && <span className="text-zinc-500"> · {e.actor}</span>}
                  {e.detail && <div className="text-xs text-zinc-500">{e.detail}</div>}
                </span>
              </li>
            ))}
          </ol>
        </Panel>
        <Panel title="Postmortem">
          <PostmortemEditor
            incidentId={incident.id}
            initial={{ postmortem: incident.postmortem, owner: incident.postmortemOwner, actionItems: incident.actionItems as { text: string; owner?: string; done: boolean }[], state: incident.state }}
            allowed={can(actor, 'incident.write')}
            reason={whyNot('incident.write', actor)}
          />
        </Panel>
      </div>
    </>
  );
}

function Tile({ label, value, hint }: { label: string; value: string; hint: string }) {
  return (
    <div className="rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
      <p className="text-xs text-zinc-500">{label}</p>
      <p className="mt-1 text-2xl font-semibold tabular-nums">{value}</p>
      {hint && <p className="mt-0.5 text-xs text-zinc-500">{hint}</p>}
    </div>
  );
}
