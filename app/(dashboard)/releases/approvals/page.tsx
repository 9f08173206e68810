import type { Metadata } from 'next';
import Link from 'next/link';
import { Badge } from '@/components/ui/badge';
import { LocalTime } from '@/components/ui/local-time';
import { EmptyState, PageHeader, Panel } from '@/components/ui/panel';
import { getDb } from '@/db';
import { requireSessionActor } from '@/lib/auth/session';
import { listEnvironments } from '@/lib/queries/deployability';
import { listApprovalHistory } from '@/lib/queries/releases';

export const metadata: Metadata = { title: 'Approval history' };

/** Who approved what, where, with which comment and evidence: per environment. */
export default async function ApprovalHistoryPage({ searchParams }: { searchParams: Promise<{ environment?: string }> }) {
  const actor = await requireSessionActor();
  const { environment } = await searchParams;
  const db = await getDb();
  const [rows, envs] = await Promise.all([listApprovalHistory({ actor, db }, { environment }), listEnvironments(db)]);
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-1 text-xs text-zinc-500">
        <Link href="/releases" className="hover:underline">Releases</Link>
      </nav>
      <PageHeader title="Approval history" description="Every review of a release, with the comment and the digest of the evidence the reviewer saw." />
      <nav aria-label="Environments" className="mb-3 flex gap-3 text-sm">
        <Link href="/releases/approvals" className={environment ? 'underline' : 'font-semibold'}>all</Link>
        {envs.map((e) => (
          <Link key={e.id} href={`/releases/approvals?environment=${e.name}`} className={environment === e.name ? 'font-semibold' : 'underline'}>
            {e.name}
          </Link>
        ))}
      </nav>
      <Panel>
        {rows.length === 0 ? (
          <EmptyState title="No reviews yet" />
        ) : (
          <table className="w-full text-left text-sm">
            <thead className="text-xs text-zinc-500">
              <tr>
                <th className="py-1.5 font-medium">When</th>
                <th className="py-1.5 font-medium">Reviewer</th>
                <th className="py-1.5 font-medium">Decision</th>
                <th className="py-1.5 font-medium">Release</th>
                <th className="py-1.5 font-medium">Comment</th>
                <th className="py-1.5 font-medium">Evidence</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
              {rows.map(({ approval, releaseId, model, version, environment: env }) => (
                <tr key={approval.id}>
                  <td className="py-2 pr-3 text-xs text-zinc-500"><LocalTime value={approval.createdAt} /></td>
                  <td className="py-2 pr-3">{approval.reviewer}</td>
                  <td className="py-2 pr-3">
                    <Badge tone={approval.decision === 'approve' ? 'green' : 'red'}>{approval.decision === 'approve' ? 'approved' : 'rejected'}</Badge>
                    {approval.voidedAt && <span className="ml-1 text-xs text-zinc-500">voided</span>}
                  </td>
                  <td className="py-2 pr-3">
                    <Link className="hover:underline" href={`/releases/${releaseId}`}>{model} {version} → {env}</Link>
                  </td>
                  <td className="py-2 pr-3">{approval.comment || '—'}</td>
                  <td className="py-2 font-mono text-xs">{approval.evidenceDigest.slice(0, 12)}…</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Panel>
    </>
  );
}
