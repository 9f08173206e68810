import type { Metadata } from 'next';
import Link from 'next/link';
import { DeployableBadge } from '@/components/registry/check-status-badge';
import { Badge } from '@/components/ui/badge';
import { LocalTime } from '@/components/ui/local-time';
import { inputStyles } from '@/components/ui/field';
import { buttonStyles } from '@/components/ui/button-styles';
import { EmptyState, PageHeader, Panel } from '@/components/ui/panel';
import { getDb } from '@/db';
import { requireSessionActor } from '@/lib/auth/session';
import { can, whyNot } from '@/lib/domain/roles';
import { listModels } from '@/lib/queries/models';
import { CreateModelForm } from './_components/create-model-form';

export const metadata: Metadata = { title: 'Models' };

type Search = { q?: string; owner?: string; cursor?: string };

export default async function ModelsPage({ searchParams }: { searchParams: Promise<Search> }) {
  const actor = await requireSessionActor();
  const { q, owner, cursor } = await searchParams;
  const { items, nextCursor, owners } = await listModels({ actor, db: await getDb() }, { q, owner: owner || undefined, cursor, limit: 25 });
  const filters = { ...(q ? { q } : {}), ...(owner ? { owner } : {}) };
  return (
    <>
      <PageHeader
        title="Models"
        description="Every model Flightdeck releases, with its newest version."
        actions={<CreateModelForm allowed={can(actor, 'model.create')} reason={whyNot('model.create')} />}
      />
      <Panel>
        <form role="search" className="mb-3 flex gap-2">
          <label htmlFor="q" className="sr-only">
            Search models
          </label>
          <input id="q" name="q" defaultValue={q} placeholder="Search by name, team or description" className={`${inputStyles} max-w-sm`} />
          <label htmlFor="owner" className="sr-only">
            Owner team
          </label>
          <select id="owner" name="owner" defaultValue={owner ?? ''} className={`${inputStyles} max-w-48`}>
            <option value="">All owners</option>
            {owners.map((o) => (
              <option key={o} value={o}>
                {o}
              </option>
            ))}
          </select>
          <button className={buttonStyles.secondary}>Search</button>
        </form>
        {items.length === 0 ? (
          <EmptyState title={q || owner ? 'No model matches these filters' : 'No models yet'}>
            {q || owner ? 'Try another search or owner.' : 'An ML lead creates one with “New model”, or CI with POST /api/v1/models.'}
          </EmptyState>
        ) : (
          <table className="w-full text-left">
            <thead className="text-xs text-zinc-500">
              <tr>
                <th className="py-1.5 font-medium">Model</th>
                <th className="py-1.5 font-medium">Owner</th>
                <th className="py-1.5 font-medium whitespace-nowrap">Latest version</th>
                <th className="py-1.5 font-medium">Runs in</th>
                <th className="py-1.5 font-medium">Versions</th>
                <th className="py-1.5 text-right font-medium">Last registered</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
              {items.map((model) => (
                <tr key={model.id}>
                  <td className="py-2">
                    <Link href={`/models/${model.name}`} className="font-medium hover:underline">
                      {model.name}
                    </Link>
                    <p className="max-w-md truncate text-xs text-zinc-500">{model.description}</p>
                  </td>
                  <td className="py-2">{model.ownerTeam}</td>
                  <td className="py-2">
                    {model.latestVersion ? (
                      <>
                        <Link href={`/models/${model.name}/versions/${encodeURIComponent(model.latestVersion.version)}`} className="font-mono text-xs hover:underline">
                          {model.latestVersion.version}
                        </Link>
                        <div className="mt-0.5 flex flex-wrap gap-1">
                          {model.latestDeployability
                            .filter((d) => !d.isLive)
                            .slice(-1)
                            .map((d) => (
                              <DeployableBadge key={d.environment} environment={d.environment} deployable={d.deployable} />
                            ))}
                        </div>
                      </>
                    ) : (
                      '—'
                    )}
                  </td>
                  <td className="py-2">
                    <div className="flex flex-wrap gap-1">
                      {model.live.length === 0 ? (
                        <span className="text-xs text-zinc-500">nowhere yet</span>
                      ) : (
                        model.live.map((l) => (
                          <Badge key={l.environment} tone="blue">
                            {l.environment} <span className="font-mono">{l.version}</span>
                          </Badge>
                        ))
                      )}
                    </div>
                  </td>
                  <td className="py-2 tabular-nums">{model.versionCount}</td>
                  <td className="py-2 text-right text-xs text-zinc-500">{model.latestVersion ? <LocalTime value={model.latestVersion.registeredAt} /> : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {(cursor || nextCursor) && (
          <nav aria-label="Pages" className="mt-3 flex justify-between text-sm">
            {cursor ? <Link href={`/models?${new URLSearchParams(filters)}`} className="underline">First page</Link> : <span />}
            {nextCursor && (
              <Link href={`/models?${new URLSearchParams({ ...filters, cursor: nextCursor })}`} className="underline">
                Next page
              </Link>
            )}
          </nav>
        )}
      </Panel>
    </>
  );
}
