import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { ExperimentView } from '@/components/experiments/experiment-view';
import { LocalTime } from '@/components/ui/local-time';
import { PageHeader } from '@/components/ui/panel';
import { StateBadge } from '@/components/ui/state-badge';
import { getDb } from '@/db';
import { requireSessionActor } from '@/lib/auth/session';
import { can, whyNot } from '@/lib/domain/roles';
import { getExperimentResults, type ExperimentResultsView } from '@/lib/queries/experiments';
import { AppError } from '@/lib/services/errors';

export const metadata: Metadata = { title: 'Experiment' };

export default async function ExperimentPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requireSessionActor();
  const { id } = await params;
  const view = await getExperimentResults({ actor, db: await getDb() }, id).catch((error) => {
    if (error instanceof AppError && error.code === 'not_found') notFound();
    throw error;
  });
  // The same JSON the API sends (Infinity → null, dates → strings), so the first render and every refresh agree.
  const initial = JSON.parse(JSON.stringify(view)) as ExperimentResultsView;
  const e = view.experiment;
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-1 text-xs text-zinc-500">
        <Link href="/experiments" className="hover:underline">Experiments</Link>
      </nav>
      <PageHeader
        title={e.name}
        description={
          <>
            <StateBadge state={e.status} /> {e.model} in {e.environment}: {e.design.arms.map((a, i) => `${i === 0 ? 'control' : 'treatment'} ${a.version} (${a.allocation} %)`).join(' vs ')} · by unit of {e.design.randomisationUnit} · designed by <strong>{e.createdBy}</strong> <LocalTime value={e.createdAt} /> ·{' '}
            <Link className="underline" href={`/releases/${e.releaseId}`}>its release</Link>
            <span className="mt-1 block italic">“{e.hypothesis}”</span>
          </>
        }
      />
      <ExperimentView initial={initial} canDecide={can(actor, 'experiment.decide')} whyNot={whyNot('experiment.decide', actor)} />
    </>
  );
}
