import type { Metadata } from 'next';
import Link from 'next/link';
import { AuditEventRow } from '@/components/audit/audit-event-row';
import { AuditFilterForm } from '@/components/audit/audit-filter-form';
import { EmptyState, PageHeader, Panel } from '@/components/ui/panel';
import { getDb } from '@/db';
import { requireSessionActor } from '@/lib/auth/session';
import { AuditFilters, listAuditEvents } from '@/lib/queries/audit';
import { AppError } from '@/lib/services/errors';
import { VerifyChainButton } from './_components/verify-chain-button';

export const metadata: Metadata = { title: 'Audit' };

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const actor = await requireSessionActor();
  const raw = await searchParams;
  const filterKeys = Object.keys(AuditFilters.shape);
  const filters = Object.fromEntries(Object.entries(raw).filter(([k, v]) => filterKeys.includes(k) && v));
  const result = await listAuditEvents({ actor, db: await getDb() }, { ...filters, cursor: raw.cursor, limit: 50 }).catch((error: unknown) => {
    if (error instanceof AppError && error.code === 'invalid') return { items: [], nextCursor: null, error: error.details };
    throw error;
  });
  const query = new URLSearchParams(filters as Record<string, string>);
  const page = (cursor?: string) => `/audit?${new URLSearchParams({ ...(filters as Record<string, string>), ...(cursor ? { cursor } : {}) })}`;
  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every change, who made it and why — append-only and hash-chained, so edits are detectable."
        actions={
          <div className="flex flex-wrap items-center gap-2 text-sm">
            <a className="underline" href={`/api/v1/audit/export?format=csv&${query}`}>
              Export CSV
            </a>
            <a className="underline" href={`/api/v1/audit/export?format=jsonl&${query}`}>
              Export JSON Lines
            </a>
            <VerifyChainButton />
          </div>
        }
      />
      <AuditFilterForm initial={raw} />
      <Panel>
        {'error' in result ? (
          <p role="alert" className="text-sm text-red-700">
            Some filters are not valid:{' '}
            {Object.entries(((result.error as { fields?: Record<string, string[]> }).fields ?? {}))
              .map(([field, messages]) => `${field}: ${messages.join(', ')}`)
              .join('; ')}
          </p>
        ) : result.items.length === 0 ? (
          <EmptyState title="No events match" />
        ) : (
          <ul className="divide-y divide-zinc-100 dark:divide-zinc-800">
            {result.items.map((event) => (
              <AuditEventRow key={event.seq} event={event} expandable />
            ))}
          </ul>
        )}
        <nav aria-label="Pages" className="mt-3 flex justify-between text-sm">
          {raw.cursor ? <Link href={page()} className="underline">Newest</Link> : <span />}
          {result.nextCursor && <Link href={page(result.nextCursor)} className="underline">Older events</Link>}
        </nav>
      </Panel>
    </>
  );
}
