import type { Metadata } from 'next';
import { LocalTime } from '@/components/ui/local-time';
import { EmptyState, PageHeader, Panel } from '@/components/ui/panel';
import { StateBadge } from '@/components/ui/state-badge';
import { getDb } from '@/db';
import { requireSessionActor } from '@/lib/auth/session';
import { listExperiments } from '@/lib/queries/activity';

export const metadata: Metadata = { title: 'Experiments' };

export default async function ExperimentsPage() {
  const actor = await requireSessionActor();
  const experiments = await listExperiments({ actor, db: await getDb() });
  return (
    <>
      <PageHeader title="Experiments" description="A/B tests that decide whether a model ships, with sequential-safe statistics." />
      <Panel>
        {experiments.length === 0 ? (
          <EmptyState title="No experiments yet">An experiment runs on a release with the A/B strategy: hypothesis, arms, primary and guardrail metrics.</EmptyState>
        ) : (
          <ul className="divide-y divide-zinc-100 dark:divide-zinc-800">
            {experiments.map((e) => (
              <li key={e.id} className="flex items-center gap-3 py-2">
                <span className="font-medium">{e.name}</span>
                <StateBadge state={e.state} />
                <span className="text-zinc-600 dark:text-zinc-400">{e.hypothesis}</span>
                <span className="ml-auto text-xs text-zinc-500">
                  <LocalTime value={e.createdAt} />
                </span>
              </li>
            ))}
          </ul>
        )}
      </Panel>
    </>
  );
}
