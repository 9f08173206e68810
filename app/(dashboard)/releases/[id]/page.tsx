import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { ReleaseCharts } from '@/components/charts/lazy-charts';
import { availableActions } from '@/components/releases/available-actions';
import { LiveRefresh } from '@/components/releases/live-refresh';
import { ReleaseActions } from '@/components/releases/release-actions';
import { TrafficSplit } from '@/components/releases/traffic-split';
import { Badge } from '@/components/ui/badge';
import { LocalTime } from '@/components/ui/local-time';
import { EmptyState, PageHeader, Panel } from '@/components/ui/panel';
import { StateBadge } from '@/components/ui/state-badge';
import { getDb } from '@/db';
import { requireSessionActor } from '@/lib/auth/session';
import { experimentOfRelease } from '@/lib/queries/experiments';
import { getRelease } from '@/lib/queries/releases';
import { AppError } from '@/lib/services/errors';

export const metadata: Metadata = { title: 'Release' };

export default async function ReleasePage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requireSessionActor();
  const { id } = await params;
  const release = await getRelease({ actor, db: await getDb() }, id).catch((error) => {
    if (error instanceof AppError && error.code === 'not_found') notFound();
    throw error;
  });
  const title = `${release.model} ${release.version} in ${release.environment}`;
  const experiment = release.strategy === 'ab' ? await experimentOfRelease({ actor, db: await getDb() }, release.id) : null;
  const actions = availableActions(release, actor);
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-1 text-xs text-zinc-500">
        <Link href="/releases" className="hover:underline">Releases</Link>
      </nav>
      <PageHeader
        title={title}
        description={
          <>
            <StateBadge state={release.state} /> {release.strategy.replace('_', '-')} from {release.baselineVersion ?? 'nothing'} · requested by <strong>{release.requestedBy}</strong>{' '}
            <LocalTime value={release.createdAt} />
            {release.reason && <> · “{release.reason}”</>}
            {' '}
            ·{' '}
            <Link className="underline" href={`/releases/${release.id}/record`}>
              Release record
            </Link>
            {experiment && (
              <>
                {' '}
                · carries the A/B experiment{' '}
                <Link className="underline" href={`/experiments/${experiment.id}`}>
                  {experiment.name}
                </Link>
              </>
            )}
          </>
        }
        actions={<LiveRefresh releaseId={release.id} state={release.state} revision={release.routingRevision} />}
      />
      <div className="grid gap-4 lg:grid-cols-3">
        <Panel title="Traffic" className="lg:col-span-2">
          <TrafficSplit baseline={release.baselineVersion} candidate={release.version} weight={release.currentWeight} />
          <ol className="mt-4 flex flex-wrap gap-2" aria-label="Plan">
            {release.steps.map((step) => {
              const current = release.inFlight && release.state !== 'pending_approval' && release.state !== 'approved' && step.position === release.currentStep;
              const done = release.state === 'promoted' || (release.inFlight && step.position < release.currentStep);
              return (
                <li
                  key={step.id}
                  aria-current={current ? 'step' : undefined}
                  className={`rounded-md border px-2.5 py-1.5 text-xs ${current ? 'border-blue-600 bg-blue-50 dark:bg-blue-950' : done ? 'border-green-600' : 'border-zinc-300 dark:border-zinc-700'}`}
                >
                  <span className="font-semibold">{step.weight} %</span>
                  {step.holdSeconds > 0 && <> · hold {step.holdSeconds < 120 ? `${step.holdSeconds} s` : `${Math.round(step.holdSeconds / 60)} min`}</>}
                  {step.analysisRequired && <> · analysis</>}
                  {step.manualGate && <> · manual gate</>}
                  {current && <span className="sr-only"> (current step)</span>}
                  {done && <span className="sr-only"> (done)</span>}
                </li>
              );
            })}
          </ol>
          <div className="mt-4">
            {actions.length ? <ReleaseActions releaseId={release.id} title={title} actions={actions} /> : <p className="text-sm text-zinc-500">This release has ended; nothing more can be done to it.</p>}
          </div>
        </Panel>
        <Panel title="Approvals">
          {release.approvals.length === 0 ? (
            <EmptyState title="No reviews yet" />
          ) : (
            <ul className="space-y-2">
              {release.approvals.map((a) => (
                <li key={a.id}>
                  <Badge tone={a.decision === 'approve' ? 'green' : 'red'}>{a.decision === 'approve' ? 'approved' : 'rejected'}</Badge> <strong>{a.reviewer}</strong>{' '}
                  <span className="text-xs text-zinc-500">
                    <LocalTime value={a.createdAt} />
                  </span>
                  {a.comment && <p className="text-sm">“{a.comment}”</p>}
                  <p className="font-mono text-[11px] text-zinc-500" title="Digest of the evidence the reviewer saw">
                    evidence {a.evidenceDigest.slice(0, 12)}
                  </p>
                </li>
              ))}
            </ul>
          )}
        </Panel>
      </div>
      {release.strategy !== 'immediate' && release.state !== 'pending_approval' && release.state !== 'approved' && (
        <Panel title="Baseline vs canary" className="mt-4">
          <ReleaseCharts releaseId={release.id} live={release.inFlight} />
        </Panel>
      )}
      {release.incident && (
        <Panel title="Incident" className="mt-4">
          <div id="incident">
            <p className="font-medium">{release.incident.title}</p>
            <p className="text-sm text-zinc-600 dark:text-zinc-400">
              Rolled back by {release.incident.rolledBackBy} {release.incident.rolledBackAt && <LocalTime value={release.incident.rolledBackAt} />} ·{' '}
              <Link className="underline" href={`/incidents/${release.incident.id}`}>
                Timeline and postmortem
              </Link>
            </p>
          </div>
        </Panel>
      )}
    </>
  );
}
