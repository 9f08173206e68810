'use client';

import { useQuery } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useEffect, useRef } from 'react';
import { apiFetch } from '@/lib/api-client';

/**
 * Keeps a release page current without a reload: polls the release every 3 s and refreshes the
 * server-rendered page when anyone changed its state or routing. Shows when it last heard, and
 * says so when the connection drops (the last data stays on screen).
 */
export function LiveRefresh({ releaseId, state, revision }: { releaseId: string; state: string; revision: number }) {
  const router = useRouter();
  const query = useQuery({
    queryKey: ['release', releaseId],
    queryFn: () => apiFetch<{ state: string; routingRevision: number }>(`/api/v1/releases/${releaseId}`),
    refetchInterval: 3000,
  });
  const seen = useRef(`${state}:${revision}`);
  useEffect(() => {
    if (!query.data) return;
    const now = `${query.data.state}:${query.data.routingRevision}`;
    if (now !== seen.current) {
      seen.current = now;
      router.refresh();
    }
  }, [query.data, router]);
  const updated = query.dataUpdatedAt ? new Date(query.dataUpdatedAt).toLocaleTimeString() : null;
  return (
    <p className="text-xs text-zinc-500" aria-live="polite">
      {query.isError ? (
        <span className="text-amber-700 dark:text-amber-400">● connection lost; showing the last known state</span>
      ) : (
        <>
          <span className="text-green-600">●</span> live{updated && <> · updated {updated}</>}
        </>
      )}
    </p>
  );
}
