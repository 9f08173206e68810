'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { rollbackToLastGoodAction } from '@/app/(dashboard)/releases/actions';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { FormMessage } from '@/components/ui/field';
import type { ActionState } from '@/lib/server/action-state';

/** On-call's way back when nothing is in flight: the version that ran before, at 100 %, at once. */
export function RollbackToLastGood({ model, environment, current, allowed, reason }: { model: string; environment: string; current: string; allowed: boolean; reason: string }) {
  const [pending, start] = useTransition();
  const [state, setState] = useState<ActionState | null>(null);
  const router = useRouter();
  return (
    <div className="flex flex-wrap items-center gap-2">
      <ConfirmDialog
        trigger={`Roll ${environment} back from ${current}`}
        title={`Roll ${model} in ${environment} back from ${current}?`}
        confirmLabel="Roll back"
        pending={pending}
        disabled={!allowed}
        onConfirm={() =>
          start(async () => {
            setState(await rollbackToLastGoodAction(model, environment, current, `${current} misbehaves in ${environment}; back to the last known good version`));
            router.refresh();
          })
        }
      >
        The version that ran in {environment} before {current} takes 100 % of traffic at once, and an incident is opened.
      </ConfirmDialog>
      {!allowed && <span className="text-xs text-zinc-500">{reason}</span>}
      {state && <FormMessage state={{ status: state.status, message: state.message }} />}
    </div>
  );
}
