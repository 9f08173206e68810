import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { HistogramOverlay, ScoreOverTime } from '@/components/charts/lazy-charts';
import { DriftSeverity, formatScore, METHOD_LABEL } from '@/components/drift/severity';
import { AutoRefresh } from '@/components/ui/auto-refresh';
import { Badge } from '@/components/ui/badge';
import { LocalTime } from '@/components/ui/local-time';
import { PageHeader, Panel } from '@/components/ui/panel';
import { getDb } from '@/db';
import { requireSessionActor } from '@/lib/auth/session';
import { getFeatureDrift } from '@/lib/queries/drift';
import { AppError } from '@/lib/services/errors';
import { decodeSegment } from '@/lib/http/path-segment';

export const metadata: Metadata = { title: 'Feature drift' };

export default async function FeatureDriftPage({ params, searchParams }: { params: Promise<{ name: string; feature: string }>; searchParams: Promise<{ version?: string; environment?: string }> }) {
  const actor = await requireSessionActor();
  const { name, feature } = await params;
  const opts = await searchParams;
  const drift = await getFeatureDrift({ actor, db: await getDb() }, name, decodeSegment(feature), opts).catch((error) => {
    if (error instanceof AppError && error.code === 'not_found') notFound();
    throw error;
  });
  const label = METHOD_LABEL[drift.method] ?? drift.method;
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-1 text-xs text-zinc-500">
        <Link href={`/models/${name}`} className="hover:underline">{name}</Link> / <Link href={`/models/${name}/drift`} className="hover:underline">Drift</Link>
      </nav>
      <PageHeader
        title={`${drift.feature} (${drift.featureType}${drift.role === 'prediction' ? ', prediction' : ''})`}
        description={
          <>
            <DriftSeverity severity={drift.severity} /> {name} {drift.version} in {drift.environment} · {label} = <strong className="tabular-nums">{formatScore(drift.method, drift.value)}</strong> over {drift.window.n.toLocaleString('en')} values,{' '}
            <LocalTime value={drift.window.start} /> – <LocalTime value={drift.window.end} /> {drift.window.simulated && <Badge tone="amber">simulated traffic (demo simulator)</Badge>}
          </>
        }
        actions={<AutoRefresh seconds={10} />}
      />
      <p className="mb-3 text-sm text-zinc-600 dark:text-zinc-400" data-testid="convention">
        {drift.convention}
      </p>
      <div className="grid gap-4 lg:grid-cols-2">
        <Panel>
          <HistogramOverlay bins={drift.histogram} />
        </Panel>
        <Panel>
          <ScoreOverTime series={drift.series} label={label} threshold={drift.threshold} />
        </Panel>
      </div>
      <Panel title="Every score of the latest window" className="mt-4">
        <ul className="space-y-1 text-sm">
          {Object.entries(drift.conventions).map(([method, convention]) => (
            <li key={method}>
              <strong>{METHOD_LABEL[method] ?? method}</strong>: {convention}
            </li>
          ))}
        </ul>
      </Panel>
    </>
  );
}
