import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { CheckStatusBadge, DeployableBadge } from '@/components/registry/check-status-badge';
import { formatDelta, formatNumber } from '@/components/registry/format';
import { Badge } from '@/components/ui/badge';
import { CopyButton } from '@/components/ui/copy-button';
import { LocalTime } from '@/components/ui/local-time';
import { EmptyState, PageHeader, Panel } from '@/components/ui/panel';
import { getDb } from '@/db';
import { requireSessionActor } from '@/lib/auth/session';
import { CHECK_KINDS } from '@/lib/domain/gate-policy';
import { getVersion } from '@/lib/queries/versions';
import { AppError } from '@/lib/services/errors';
import { ContractTable } from './_components/contract-table';
import { RequestReleaseForm } from './_components/request-release-form';
import { can, whyNot } from '@/lib/domain/roles';
import { decodeSegment } from '@/lib/http/path-segment';

type Params = { name: string; version: string };

export async function generateMetadata({ params }: { params: Promise<Params> }): Promise<Metadata> {
  const { name, version } = await params;
  return { title: `${name} ${decodeSegment(version)}` };
}

export default async function VersionPage({ params }: { params: Promise<Params> }) {
  const actor = await requireSessionActor();
  const { name, version: raw } = await params;
  const data = await getVersion({ actor, db: await getDb() }, name, decodeSegment(raw)).catch((error) => {
    if (error instanceof AppError && error.code === 'not_found') notFound();
    throw error;
  });
  const { model, version, parent, checks, deployability, comparison } = data;
  const reproducibility = {
    model: model.name,
    version: version.version,
    gitCommit: version.gitCommit,
    dataSnapshotId: version.dataSnapshotId,
    dataSnapshotHash: version.dataSnapshotHash,
    artifactUri: version.artifactUri,
    artifactDigest: version.artifactDigest,
    hyperparameters: version.hyperparameters,
  };
  const change = version.contractChange as { against: string; level: string } | null;
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-1 text-xs text-zinc-500">
        <Link href="/models" className="hover:underline">Models</Link> / <Link href={`/models/${model.name}`} className="hover:underline">{model.name}</Link>
      </nav>
      <PageHeader
        title={`${model.name} ${version.version}`}
        description={
          <>
            Registered by <strong>{version.registeredBy}</strong> <LocalTime value={version.registeredAt} />
            {parent && (
              <>
                {' '}· parent <Link className="underline" href={`/models/${model.name}/versions/${encodeURIComponent(parent.version)}`}>{parent.version}</Link>
              </>
            )}
            {change && <> · contract change against {change.against}: <strong>{change.level}</strong></>}
            {version.status === 'archived' && <> · <Badge>archived</Badge></>}
            {version.tags.map((t) => (
              <span key={t}> <Badge>{t}</Badge></span>
            ))}
          </>
        }
        actions={
          <RequestReleaseForm
            model={model.name}
            version={version.version}
            environments={deployability.filter((d) => d.deployable && !d.isLive).map((d) => d.environment)}
            allowed={can(actor, 'release.request')}
            reason={whyNot('release.request', actor)}
          />
        }
      />

      <section aria-label="Deployability" className="grid gap-3 md:grid-cols-2">
        {deployability.map((d) => (
          <Panel key={d.environment} title={<DeployableBadge environment={d.environment} deployable={d.deployable} isLive={d.isLive} />}>
            <p className="text-xs text-zinc-500">
              {d.live ? (
                <>
                  {d.environment} runs {d.isLive ? 'this version' : <Link className="underline" href={`/models/${model.name}/versions/${encodeURIComponent(d.live.version)}`}>{d.live.version}</Link>}
                  {d.live.since && <> since <LocalTime value={d.live.since} /></>}
                </>
              ) : (
                <>Nothing runs in {d.environment} yet: only absolute thresholds apply.</>
              )}
            </p>
            {d.unmet.length > 0 ? (
              <ul className="mt-2 space-y-1" aria-label={`Unmet gates for ${d.environment}`}>
                {d.unmet.map((u, i) => (
                  <li key={i} className="text-red-800 dark:text-red-300">✗ {u.reason}</li>
                ))}
              </ul>
            ) : (
              <p className="mt-2 text-green-800 dark:text-green-300">Every gate the {d.environment} policy requires has passed.</p>
            )}
            {d.verdicts.length > 0 && (
              <ul className="mt-2 space-y-0.5 text-xs text-zinc-600 dark:text-zinc-400">
                {d.verdicts.map((v, i) => (
                  <li key={i}>
                    {v.passed ? '✓' : '✗'} {v.kind}: {v.reason}
                  </li>
                ))}
              </ul>
            )}
          </Panel>
        ))}
      </section>

      <Panel title="Gate checks" className="mt-4">
        <table className="w-full text-left">
          <thead className="text-xs text-zinc-500">
            <tr>
              <th className="py-1.5 font-medium">Check</th>
              <th className="py-1.5 font-medium">Status</th>
              <th className="py-1.5 font-medium">Measured</th>
              <th className="py-1.5 font-medium">Reported</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
            {CHECK_KINDS.map((kind) => {
              const check = checks.find((c) => c.kind === kind);
              return (
                <tr key={kind} className="align-top">
                  <td className="py-2 font-medium">{kind.replace('_', ' ')}</td>
                  <td className="py-2">
                    <CheckStatusBadge status={check?.status ?? 'missing'} />
                  </td>
                  <td className="py-2 text-xs">
                    {check ? (
                      <>
                        {Object.entries(check.measurements as Record<string, number>).map(([k, v]) => (
                          <span key={k} className="mr-3 inline-block">
                            {k} <span className="font-mono">{formatNumber(v)}</span>
                          </span>
                        ))}
                        {check.summary && <p className="mt-1 text-zinc-700 dark:text-zinc-300">{check.summary}</p>}
                      </>
                    ) : (
                      '—'
                    )}
                  </td>
                  <td className="py-2 text-xs text-zinc-500">
                    {check && (
                      <>
                        {check.reportedBy}, <LocalTime value={check.updatedAt} />
                        {check.link && (
                          <>
                            {' '}· <a className="underline" href={check.link} rel="noreferrer noopener" target="_blank">details</a>
                          </>
                        )}
                      </>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </Panel>

      <div className="mt-4 grid gap-4 lg:grid-cols-2">
        <Panel title={comparison ? `Offline metrics against ${comparison.environment} (${comparison.baseline.version})` : 'Offline metrics'}>
          {Object.keys(version.offlineMetrics as object).length === 0 ? (
            <EmptyState title="No offline metrics were registered" />
          ) : (
            <table className="w-full text-left">
              <thead className="text-xs text-zinc-500">
                <tr>
                  <th className="py-1 font-medium">Metric</th>
                  <th className="py-1 text-right font-medium">This version</th>
                  {comparison && <th className="py-1 text-right font-medium">{comparison.baseline.version}</th>}
                  {comparison && <th className="py-1 text-right font-medium">Change</th>}
                </tr>
              </thead>
              <tbody className="divide-y divide-zinc-100 font-mono text-xs dark:divide-zinc-800">
                {(comparison?.metrics ?? Object.entries(version.offlineMetrics as Record<string, number>).map(([n, c]) => ({ name: n, candidate: c, baseline: null }))).map((m) => (
                  <tr key={m.name}>
                    <td className="py-1.5 font-sans">{m.name}</td>
                    <td className="py-1.5 text-right">{formatNumber(m.candidate)}</td>
                    {comparison && <td className="py-1.5 text-right">{formatNumber(m.baseline)}</td>}
                    {comparison && <td className="py-1.5 text-right">{formatDelta(m.candidate, m.baseline)}</td>}
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Panel>
        <Panel title="Reproducibility" actions={<CopyButton text={JSON.stringify(reproducibility, null, 2)} label="Copy as JSON" />}>
          <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-xs">
            <dt className="text-zinc-500">Git commit</dt>
            <dd className="break-all font-mono">{version.gitCommit ?? '—'}</dd>
            <dt className="text-zinc-500">Data snapshot</dt>
            <dd className="break-all font-mono">{version.dataSnapshotId ?? '—'}</dd>
            <dt className="text-zinc-500">Data hash</dt>
            <dd className="break-all font-mono">{version.dataSnapshotHash ?? '—'}</dd>
            <dt className="text-zinc-500">Artifact</dt>
            <dd className="break-all font-mono">{version.artifactUri}</dd>
            <dt className="text-zinc-500">Digest</dt>
            <dd className="break-all font-mono">{version.artifactDigest}</dd>
            <dt className="text-zinc-500">Hyperparameters</dt>
            <dd>
              <pre className="overflow-auto rounded bg-zinc-100 p-2 dark:bg-zinc-950">{JSON.stringify(version.hyperparameters, null, 2)}</pre>
            </dd>
          </dl>
        </Panel>
      </div>

      <Panel title={comparison ? `Contract against ${comparison.environment} (${comparison.baseline.version})` : 'Contract'} className="mt-4">
        <ContractTable contract={version.contract} baseline={comparison ? { version: comparison.baseline.version, contract: comparison.baseline.contract } : null} diff={comparison?.contractDiff ?? null} />
      </Panel>
    </>
  );
}
