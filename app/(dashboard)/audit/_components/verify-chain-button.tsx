'use client';

import { useMutation } from '@tanstack/react-query';
import { ShieldAlert, ShieldCheck } from 'lucide-react';
import { buttonStyles } from '@/components/ui/button-styles';
import { apiFetch } from '@/lib/api-client';
import type { ChainReport } from '@/lib/domain/audit-chain';

type Report = ChainReport & { checkpoints?: { checked: number; latest: { seq: number; at: string } | null; problem: { seq: number; detail: string } | null } };

/** Walks the whole chain on the server and reports the count and the first broken event. */
export function VerifyChainButton() {
  const verify = useMutation({ mutationFn: () => apiFetch<Report>('/api/v1/audit/verify') });
  const report = verify.data;
  return (
    <div className="flex flex-wrap items-center gap-3">
      <button type="button" className={buttonStyles.secondary} disabled={verify.isPending} onClick={() => verify.mutate()}>
        {verify.isPending ? 'Verifying…' : 'Verify chain'}
      </button>
      <p aria-live="polite" data-testid="verify-result" className="text-sm">
        {verify.isError && <span className="text-red-700 dark:text-red-400">{verify.error.message}</span>}
        {report?.ok && (
          <span className="inline-flex items-center gap-1 text-green-700 dark:text-green-400">
            <ShieldCheck aria-hidden size={16} /> Chain intact: {report.checked.toLocaleString()} events checked.
            {report.checkpoints?.latest && ` ${report.checkpoints.checked} signed checkpoint${report.checkpoints.checked === 1 ? '' : 's'} match (latest at event #${report.checkpoints.latest.seq}).`}
          </span>
        )}
        {report && !report.ok && !report.firstBroken && report.checkpoints?.problem && (
          <span className="inline-flex items-center gap-1 text-red-700 dark:text-red-400">
            <ShieldAlert aria-hidden size={16} /> Checkpoint failed: {report.checkpoints.problem.detail}. {report.checked.toLocaleString()} events checked.
          </span>
        )}
        {report && !report.ok && report.firstBroken && (
          <span className="inline-flex items-center gap-1 text-red-700 dark:text-red-400">
            <ShieldAlert aria-hidden size={16} /> Chain broken at event #{report.firstBroken.seq}: {report.firstBroken.detail}. {report.checked.toLocaleString()} events checked.
          </span>
        )}
      </p>
    </div>
  );
}
