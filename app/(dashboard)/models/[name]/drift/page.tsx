import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { DriftPolicyForm } from '@/components/drift/drift-policy-form';
import { DriftSeverity, formatScore, METHOD_LABEL } from '@/components/drift/severity';
import { Sparkline } from '@/components/drift/sparkline';
import { AutoRefresh } from '@/components/ui/auto-refresh';
import { Badge } from '@/components/ui/badge';
import { LocalTime } from '@/components/ui/local-time';
import { EmptyState, PageHeader, Panel } from '@/components/ui/panel';
import { getDb } from '@/db';
import { requireSessionActor } from '@/lib/auth/session';
import { can, whyNot } from '@/lib/domain/roles';
import { getModelDrift } from '@/lib/queries/drift';
import { listEnvironments } from '@/lib/queries/deployability';
import { listSlos } from '@/lib/queries/slos';
import { SloPanel } from '@/components/drift/slo-panel';
import { AppError } from '@/lib/services/errors';

export const metadata: Metadata = { title: 'Drift and SLOs' };

/** Every profiled feature of the model, most drifted first, with the convention next to each number. */
export default async function ModelDriftPage({ params }: { params: Promise<{ name: string }> }) {
  const actor = await requireSessionActor();
  const { name } = await params;
  const db = await getDb();
  const drift = await getModelDrift({ actor, db }, name).catch((error) => {
    if (error instanceof AppError && error.code === 'not_found') notFound();
    throw error;
  });
  const [slos, environments] = await Promise.all([listSlos({ actor, db }, name), listEnvironments(db)]);
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-1 text-xs text-zinc-500">
        <Link href="/models" className="hover:underline">Models</Link> / <Link href={`/models/${name}`} className="hover:underline">{name}</Link>
      </nav>
      <PageHeader title={`Drift and SLOs: ${name}`} description={`Production windows against each version's training reference · owner ${drift.ownerTeam}`} actions={<AutoRefresh seconds={10} />} />
      <Panel title="Features">
        {drift.features.length === 0 ? (
          <EmptyState title="No drift windows yet">
            CI posts a reference profile with each version (POST /api/v1/models/{name}/versions/&lt;version&gt;/drift-reference); the serving side posts production windows to POST /api/v1/drift/snapshots.
          </EmptyState>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm">
              <thead className="text-xs text-zinc-500">
                <tr>
                  <th className="py-1.5 font-medium">Feature</th>
                  <th className="py-1.5 font-medium">Where</th>
                  <th className="py-1.5 font-medium">Severity</th>
                  <th className="py-1.5 font-medium">Method</th>
                  <th className="py-1.5 pr-3 text-right font-medium">Score</th>
                  <th className="py-1.5 font-medium">Thresholds</th>
                  <th className="py-1.5 font-medium">Trend</th>
                  <th className="py-1.5 font-medium">Last window</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
                {drift.features.map((f) => (
                  <tr key={`${f.feature}:${f.version}:${f.environment}`} data-testid={`drift-${f.feature}-${f.environment}`}>
                    <td className="py-2 pr-3">
                      <Link href={`/models/${name}/drift/${encodeURIComponent(f.feature)}?version=${encodeURIComponent(f.version)}&environment=${encodeURIComponent(f.environment)}`} className="font-medium hover:underline">
                        {f.feature}
                      </Link>
                      <div className="text-xs text-zinc-500">
                        {f.featureType}
                        {f.role === 'prediction' && ' · prediction'}
                      </div>
                    </td>
                    <td className="py-2 pr-3">
                      {f.version} <span className="text-zinc-500">in {f.environment}</span>
                    </td>
                    <td className="py-2 pr-3">
                      <DriftSeverity severity={f.severity} />
                    </td>
                    <td className="py-2 pr-3">
                      {METHOD_LABEL[f.method] ?? f.method}
                      <div className="max-w-xs text-xs text-zinc-500">{f.convention}</div>
                    </td>
                    <td className="py-2 pr-3 text-right tabular-nums">{formatScore(f.method, f.value)}</td>
                    <td className="py-2 pr-3 text-xs tabular-nums">
                      {f.threshold ? `${f.threshold.operator} ${f.threshold.warning} warning · ${f.threshold.operator} ${f.threshold.critical} critical` : '—'}
                    </td>
                    <td className="py-2 pr-3">
                      <Sparkline values={f.spark} label={`${f.feature}: last ${f.spark.length} windows of ${METHOD_LABEL[f.method] ?? f.method}`} />
                    </td>
                    <td className="py-2 text-xs text-zinc-500">
                      <LocalTime value={f.lastWindowEnd} />
                      {f.simulated && (
                        <div>
                          <Badge tone="amber">simulated</Badge>
                        </div>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Panel>
      <Panel title="Service level objectives (30 days, multi-window burn rates: long / short)" className="mt-4">
        <SloPanel model={name} slos={slos} environments={environments.map((e) => e.name)} allowed={can(actor, 'monitoring.configure')} reason={whyNot('monitoring.configure', actor)} />
      </Panel>
      <Panel title="Drift thresholds" className="mt-4">
        <DriftPolicyForm model={name} policy={drift.policy} allowed={can(actor, 'monitoring.configure')} reason={whyNot('monitoring.configure', actor)} />
      </Panel>
    </>
  );
}
