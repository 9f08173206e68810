import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { DeployableBadge } from '@/components/registry/check-status-badge';
import { Badge } from '@/components/ui/badge';
import { LocalTime } from '@/components/ui/local-time';
import { EmptyState, PageHeader, Panel } from '@/components/ui/panel';
import { getDb } from '@/db';
import { requireSessionActor } from '@/lib/auth/session';
import { can, whyNot } from '@/lib/domain/roles';
import { getModelPage } from '@/lib/queries/models';
import { AppError } from '@/lib/services/errors';
import { RegisterVersionForm } from './_components/register-version-form';
import { RollbackToLastGood } from './_components/rollback-to-last-good';
import { MetricsSourceForm } from './_components/metrics-source-form';
import { MetricsSource } from '@/lib/domain/metrics-presets';
import { configuredPrometheus } from '@/lib/server/prometheus-provider';

type Params = { name: string };

export async function generateMetadata({ params }: { params: Promise<Params> }): Promise<Metadata> {
  return { title: (await params).name };
}

export default async function ModelPage({ params, searchParams }: { params: Promise<Params>; searchParams: Promise<{ cursor?: string }> }) {
  const actor = await requireSessionActor();
  const { name } = await params;
  const { cursor } = await searchParams;
  const data = await getModelPage({ actor, db: await getDb() }, name, { cursor, limit: 50 }).catch((error) => {
    if (error instanceof AppError && error.code === 'not_found') notFound();
    throw error;
  });
  const { model, versions, nextCursor, history } = data;
  // What runs in each environment now: the newest promoted release per environment.
  const liveNow = [...new Map(history.map((h) => [h.environment, h.version] as const).reverse()).entries()];
  const versionHref = (v: string) => `/models/${model.name}/versions/${encodeURIComponent(v)}`;
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-1 text-xs text-zinc-500">
        <Link href="/models" className="hover:underline">Models</Link>
      </nav>
      <PageHeader
        title={model.name}
        description={
          <>
            {model.description || 'No description.'} · owner <strong>{model.ownerTeam}</strong> · serves as <code className="font-mono">{model.servingService}</code> ·{' '}
            <Link href={`/models/${model.name}/drift`} className="underline">
              Drift
            </Link>
          </>
        }
        actions={<RegisterVersionForm model={model.name} allowed={can(actor, 'version.register')} reason={whyNot('version.register', actor)} />}
      />
      <Panel title="Versions">
        {versions.length === 0 ? (
          <EmptyState title="No versions yet">
            CI registers versions with <code>POST /api/v1/models/{model.name}/versions</code>; an ML lead can use “Register version”.
          </EmptyState>
        ) : (
          <table className="w-full text-left">
            <thead className="text-xs text-zinc-500">
              <tr>
                <th className="py-1.5 font-medium">Version</th>
                <th className="py-1.5 font-medium">Gates</th>
                <th className="py-1.5 font-medium">Environments</th>
                <th className="py-1.5 font-medium">Lineage</th>
                <th className="py-1.5 font-medium">Registered</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
              {versions.map((v) => {
                const parent = versions.find((p) => p.id === v.parentVersionId);
                const change = v.contractChange as { level: string } | null;
                return (
                  <tr key={v.id} className="align-top">
                    <td className="py-2">
                      <Link href={versionHref(v.version)} className="font-mono text-sm font-medium hover:underline">
                        {v.version}
                      </Link>
                      <div className="mt-0.5 flex flex-wrap gap-1">
                        {v.status === 'archived' && <Badge>archived</Badge>}
                        {v.tags.map((tag) => (
                          <Badge key={tag}>{tag}</Badge>
                        ))}
                      </div>
                    </td>
                    <td className="py-2 text-xs">
                      {v.checks.total === 0 ? (
                        <span className="text-zinc-500">none reported</span>
                      ) : (
                        <>
                          {v.checks.passed}/{v.checks.total} passed
                          {v.checks.failed > 0 && <span className="text-red-700 dark:text-red-400"> · {v.checks.failed} failed</span>}
                        </>
                      )}
                    </td>
                    <td className="py-2">
                      <div className="flex flex-wrap gap-1">
                        {v.deployability.map((d) => (
                          <DeployableBadge key={d.environment} environment={d.environment} deployable={d.deployable} isLive={d.isLive} />
                        ))}
                      </div>
                    </td>
                    <td className="py-2 text-xs text-zinc-600 dark:text-zinc-400">
                      {v.parentVersionId ? <>from {parent ? parent.version : 'an older version'}</> : 'first version'}
                      {change && <> · contract {change.level === 'none' ? 'unchanged' : change.level}</>}
                    </td>
                    <td className="py-2 text-xs text-zinc-500">
                      {v.registeredBy}
                      <br />
                      <LocalTime value={v.registeredAt} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
        {nextCursor && (
          <Link href={`/models/${model.name}?cursor=${nextCursor}`} className="mt-3 inline-block underline">
            Older versions
          </Link>
        )}
      </Panel>
      <Panel title="Where versions ran" className="mt-4">
        {liveNow.length > 0 && (
          <div className="mb-3 space-y-2">
            {liveNow.map(([environment, version]) => (
              <RollbackToLastGood key={environment} model={model.name} environment={environment} current={version} allowed={can(actor, 'release.rollback')} reason={whyNot('release.rollback', actor)} />
            ))}
          </div>
        )}
        {history.length === 0 ? (
          <EmptyState title="No version has been released yet" />
        ) : (
          <ol className="space-y-1">
            {history.map((h, i) => (
              <li key={i} className="flex gap-3 text-sm">
                <span className="w-40 text-xs text-zinc-500">{h.finishedAt ? <LocalTime value={h.finishedAt} mode="absolute" /> : '—'}</span>
                <span>
                  <Link className="font-mono underline" href={versionHref(h.version)}>{h.version}</Link> promoted to <strong>{h.environment}</strong>
                </span>
              </li>
            ))}
          </ol>
        )}
      </Panel>
      <Panel title="Canary metrics" className="mt-4">
        <MetricsSourceForm
          model={model.name}
          service={model.servingService}
          source={MetricsSource.safeParse(model.metricsSource).data ?? null}
          prometheusConfigured={prometheusIsConfigured()}
          allowed={can(actor, 'monitoring.configure')}
          reason={whyNot('monitoring.configure', actor)}
        />
      </Panel>
    </>
  );
}

/** Start-up refuses a malformed FLIGHTDECK_PROMETHEUS_URL, so a throw here only means "not usable". */
function prometheusIsConfigured(): boolean {
  try {
    return configuredPrometheus() !== null;
  } catch {
    return false;
  }
}
