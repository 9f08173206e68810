import type { Metadata } from 'next';
import Link from 'next/link';
import { DesignForm } from '@/components/experiments/design-form';
import { PageHeader, Panel } from '@/components/ui/panel';
import { getDb } from '@/db';
import { requireSessionActor } from '@/lib/auth/session';
import { can, whyNot } from '@/lib/domain/roles';
import { experimentTargets } from '@/lib/queries/experiments';

export const metadata: Metadata = { title: 'New experiment' };

export default async function NewExperimentPage() {
  const actor = await requireSessionActor();
  const allowed = can(actor, 'experiment.create');
  const targets = allowed ? await experimentTargets({ actor, db: await getDb() }) : [];
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-1 text-xs text-zinc-500">
        <Link href="/experiments" className="hover:underline">Experiments</Link>
      </nav>
      <PageHeader title="New experiment" description="An A/B test on live traffic: the live version is the control; approvals for the environment apply before any unit sees a treatment." />
      <Panel>{allowed ? <DesignForm targets={targets} /> : <p className="text-sm text-zinc-500">{whyNot('experiment.create', actor)}</p>}</Panel>
    </>
  );
}
