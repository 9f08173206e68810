import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { Badge } from '@/components/ui/badge';
import { LocalTime } from '@/components/ui/local-time';
import { EmptyState, PageHeader, Panel } from '@/components/ui/panel';
import { getDb } from '@/db';
import { requireSessionActor } from '@/lib/auth/session';
import { getModel } from '@/lib/queries/models';
import { AppError } from '@/lib/services/errors';

type Params = { name: string };

export async function generateMetadata({ params }: { params: Promise<Params> }): Promise<Metadata> {
  return { title: (await params).name };
}

export default async function ModelPage({ params, searchParams }: { params: Promise<Params>; searchParams: Promise<{ cursor?: string }> }) {
  const actor = await requireSessionActor();
  const { name } = await params;
  const { cursor } = await searchParams;
  const data = await getModel({ actor, db: await getDb() }, name, { cursor, limit: 50 }).catch((error) => {
    if (error instanceof AppError && error.code === 'not_found') notFound();
    throw error;
  });
  const { model, versions, nextCursor } = data;
  return (
    <>
      <PageHeader
        title={model.name}
        description={
          <>
            {model.description || 'No description.'} · owner <strong>{model.ownerTeam}</strong> · serves as <code className="font-mono">{model.servingService}</code>
          </>
        }
      />
      <Panel title="Versions">
        {versions.length === 0 ? (
          <EmptyState title="No versions yet">CI registers versions with POST /api/v1/models/{model.name}/versions.</EmptyState>
        ) : (
          <table className="w-full text-left">
            <thead className="text-xs text-zinc-500">
              <tr>
                <th className="py-1.5 font-medium">Version</th>
                <th className="py-1.5 font-medium">Offline metrics</th>
                <th className="py-1.5 font-medium">Artifact</th>
                <th className="py-1.5 font-medium">Registered by</th>
                <th className="py-1.5 text-right font-medium">When</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
              {versions.map((v) => (
                <tr key={v.id}>
                  <td className="py-2 font-mono text-xs">
                    {v.version} {v.tags.map((tag) => <Badge key={tag}>{tag}</Badge>)}
                  </td>
                  <td className="py-2 text-xs">
                    {Object.entries(v.offlineMetrics as Record<string, number>)
                      .map(([k, value]) => `${k} ${value}`)
                      .join(' · ')}
                  </td>
                  <td className="max-w-xs truncate py-2 font-mono text-xs" title={v.artifactDigest}>
                    {v.artifactDigest.slice(0, 19)}…
                  </td>
                  <td className="py-2">{v.registeredBy}</td>
                  <td className="py-2 text-right text-xs text-zinc-500">
                    <LocalTime value={v.registeredAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {nextCursor && (
          <Link href={`/models/${model.name}?cursor=${nextCursor}`} className="mt-3 inline-block underline">
            Older versions
          </Link>
        )}
      </Panel>
    </>
  );
}
