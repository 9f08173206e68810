import type { Metadata } from 'next';
import Link from 'next/link';
import { buttonStyles } from '@/components/ui/button-styles';
import { LocalTime } from '@/components/ui/local-time';
import { EmptyState, PageHeader, Panel } from '@/components/ui/panel';
import { StateBadge } from '@/components/ui/state-badge';
import { getDb } from '@/db';
import { requireSessionActor } from '@/lib/auth/session';
import { can, whyNot } from '@/lib/domain/roles';
import { listExperiments } from '@/lib/queries/experiments';

export const metadata: Metadata = { title: 'Experiments' };

/** Running experiments first, each with its progress toward the planned sample size. */
export default async function ExperimentsPage() {
  const actor = await requireSessionActor();
  const experiments = await listExperiments({ actor, db: await getDb() });
  const allowed = can(actor, 'experiment.create');
  return (
    <>
      <PageHeader
        title="Experiments"
        description="A/B tests that decide whether a model ships, with statistics that stay valid while you watch."
        actions={
          allowed ? (
            <Link href="/experiments/new" className={buttonStyles.primary}>
              New experiment
            </Link>
          ) : (
            <span className="text-xs text-zinc-500" title={whyNot('experiment.create', actor)}>
              {whyNot('experiment.create', actor)}
            </span>
          )
        }
      />
      <Panel>
        {experiments.length === 0 ? (
          <EmptyState title="No experiments yet">An experiment compares the live version (control) with one or more treatments on real traffic, then ships the winner through the release flow.</EmptyState>
        ) : (
          <table className="w-full text-left text-sm">
            <thead className="text-xs text-zinc-500">
              <tr>
                <th className="py-1.5 font-medium">Experiment</th>
                <th className="py-1.5 font-medium">Model</th>
                <th className="py-1.5 font-medium">Status</th>
                <th className="py-1.5 font-medium">Primary metric</th>
                <th className="py-1.5 font-medium">Progress to sample size</th>
                <th className="py-1.5 font-medium">Created</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
              {experiments.map((e) => (
                <tr key={e.id} data-testid={`experiment-${e.id}`}>
                  <td className="py-2 pr-3">
                    <Link href={`/experiments/${e.id}`} className="font-medium hover:underline">
                      {e.name}
                    </Link>
                    <div className="max-w-md truncate text-xs text-zinc-500">{e.hypothesis}</div>
                  </td>
                  <td className="py-2 pr-3">
                    {e.model} <span className="text-zinc-500">in {e.environment}</span>
                    <div className="text-xs text-zinc-500">{e.design.arms.map((a) => `${a.version} (${a.allocation} %)`).join(' vs ')}</div>
                  </td>
                  <td className="py-2 pr-3">
                    <StateBadge state={e.status} />
                    {e.shippedVersion && <span className="ml-1 text-xs text-zinc-500">{e.shippedVersion}</span>}
                  </td>
                  <td className="py-2 pr-3">{e.design.primaryMetric.name}</td>
                  <td className="py-2 pr-3">
                    <Progress fraction={e.progress} label={`${Math.min(...e.armUnits).toLocaleString('en')} of ${e.plannedSampleSize.toLocaleString('en')} units in the smallest arm`} />
                  </td>
                  <td className="py-2 text-xs text-zinc-500">
                    <LocalTime value={e.createdAt} />
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

function Progress({ fraction, label }: { fraction: number; label: string }) {
  const pct = Math.round(fraction * 100);
  return (
    <div className="w-40">
      <div role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct} aria-label={label} className="h-2 overflow-hidden rounded bg-zinc-200 dark:bg-zinc-800">
        <div className="h-full bg-blue-600" style={{ width: `${pct}%` }} />
      </div>
      <div className="mt-0.5 text-xs text-zinc-500">
        {pct} % · {label}
      </div>
    </div>
  );
}
