'use client';

import { useQuery } from '@tanstack/react-query';
import { apiFetch } from '@/lib/api-client';
import type { ExperimentResultsView } from '@/lib/queries/experiments';

/**
 * The experiment's results from GET /api/v1/experiments/{id}/results, shared by the page's tables
 * and charts (one request per refresh), polled every 3 s while the experiment runs. The server
 * page passes its own first answer, so nothing flashes empty on load.
 */
export function useExperimentResults(id: string, initial: ExperimentResultsView, live: boolean) {
  return useQuery({
    // The status is part of the key: after a decision the server page renders a new first answer,
    // which must replace the cached one rather than be ignored as stale initial data.
    queryKey: ['experiment-results', id, initial.experiment.status, initial.experiment.decision],
    queryFn: () => apiFetch<ExperimentResultsView>(`/api/v1/experiments/${id}/results`),
    initialData: initial,
    refetchInterval: live ? 3000 : false,
  });
}
