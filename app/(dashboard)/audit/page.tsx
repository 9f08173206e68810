import type { Metadata } from 'next';
import Link from 'next/link';
import { AuditEventRow } from '@/components/audit/audit-event-row';
import { EmptyState, PageHeader, Panel } from '@/components/ui/panel';
import { getDb } from '@/db';
import { requireSessionActor } from '@/lib/auth/session';
import { listAuditEvents } from '@/lib/queries/audit';
import { VerifyChainButton } from './_components/verify-chain-button';

export const metadata: Metadata = { title: 'Audit' };

export default async function AuditPage({ searchParams }: { searchParams: Promise<{ cursor?: string }> }) {
  const actor = await requireSessionActor();
  const { cursor } = await searchParams;
  const { items, nextCursor } = await listAuditEvents({ actor, db: await getDb() }, { cursor, limit: 50 });
  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every change, who made it and why — append-only and hash-chained, so edits are detectable."
        actions={<VerifyChainButton />}
      />
      <Panel>
        {items.length === 0 ? (
          <EmptyState title="No events yet" />
        ) : (
          <ul className="divide-y divide-zinc-100 dark:divide-zinc-800">
            {items.map((event) => (
              <AuditEventRow key={event.seq} event={event} expandable />
            ))}
          </ul>
        )}
        <nav aria-label="Pages" className="mt-3 flex justify-between text-sm">
          {cursor ? <Link href="/audit" className="underline">Newest</Link> : <span />}
          {nextCursor && <Link href={`/audit?cursor=${nextCursor}`} className="underline">Older events</Link>}
        </nav>
      </Panel>
    </>
  );
}
