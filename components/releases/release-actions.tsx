'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useId, useRef, useState, useTransition } from 'react';
import { releaseAction, type ReleaseVerb } from '@/app/(dashboard)/releases/actions';
import { buttonStyles } from '@/components/ui/button-styles';
import { inputStyles } from '@/components/ui/field';
import type { ActionState } from '@/lib/server/action-state';

export type ActionAvailability = { verb: ReleaseVerb; label: string; allowed: boolean; reason?: string; destructive?: boolean; needsText?: 'reason' | 'comment'; prefill?: string };

/**
 * The buttons a release offers. Every action asks once (a dialog naming the release, version
 * and environment), shows a pending state and announces the result — never optimistic. Buttons
 * the reader's role may not use stay visible, disabled, with the reason.
 */
export function ReleaseActions({ releaseId, title, actions, compact = false }: { releaseId: string; title: string; actions: ActionAvailability[]; compact?: boolean }) {
  const [state, setState] = useState<ActionState<{ incidentId: string | null; changed: boolean }> | null>(null);
  const [pending, startTransition] = useTransition();
  const [open, setOpen] = useState<ActionAvailability | null>(null);
  const [text, setText] = useState('');
  const dialog = useRef<HTMLDialogElement>(null);
  const router = useRouter();
  const titleId = useId();

  const ask = (a: ActionAvailability) => {
    setOpen(a);
    setText(a.prefill ?? '');
    dialog.current?.showModal();
  };
  const confirm = () => {
    const action = open!;
    dialog.current?.close();
    startTransition(async () => {
      setState(await releaseAction(releaseId, action.verb, text));
      router.refresh();
    });
  };

  return (
    <div>
      <div className="flex flex-wrap items-center gap-2">
        {actions.map((a) => (
          <span key={a.verb} className="inline-flex items-center gap-1">
            <button
              type="button"
              className={a.destructive ? buttonStyles.danger : buttonStyles.secondary}
              disabled={!a.allowed || pending}
              title={a.allowed ? undefined : a.reason}
              onClick={() => ask(a)}
            >
              {pending && open?.verb === a.verb ? `${a.label}…` : a.label}
            </button>
            {!a.allowed && a.reason && !compact && <span className="text-xs text-zinc-500">{a.reason}</span>}
          </span>
        ))}
      </div>
      <p aria-live="polite" role="status" className="mt-1 text-sm">
        {state?.status === 'ok' && (
          <span className="text-green-700 dark:text-green-400">
            {state.message}
            {state.result?.incidentId && (
              <>
                {' '}
                <Link className="underline" href={`/releases/${releaseId}#incident`}>
                  Incident opened
                </Link>
              </>
            )}
          </span>
        )}
        {state?.status === 'error' && (
          <span className="text-red-700 dark:text-red-400">
            {state.message}
            {/* Which field, and what it needs ("reason: Give a reason …"): the dialog that held it has closed. */}
            {state.fieldErrors && ` (${Object.entries(state.fieldErrors).map(([f, m]) => `${f}: ${m.join(', ')}`).join('; ')})`}
          </span>
        )}
      </p>
      <dialog ref={dialog} aria-labelledby={titleId} className="m-auto w-full max-w-md rounded-lg border border-zinc-300 bg-white p-5 text-zinc-900 backdrop:bg-black/40 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100">
        <h2 id={titleId} className="text-base font-semibold">
          {open?.label} {title}?
        </h2>
        {open?.verb === 'rollback' && <p className="mt-1 text-sm">All traffic goes back to the baseline at once, skipping any analysis or hold, and an incident is opened.</p>}
        {open?.needsText && (
          <label className="mt-3 block text-sm">
            {open.needsText === 'reason' ? 'Reason' : 'Comment'}
            <textarea value={text} onChange={(e) => setText(e.target.value)} rows={2} className={`${inputStyles} mt-1`} />
          </label>
        )}
        <div className="mt-4 flex justify-end gap-2">
          <button type="button" className={buttonStyles.secondary} onClick={() => dialog.current?.close()} autoFocus>
            Cancel
          </button>
          <button type="button" className={open?.destructive ? buttonStyles.danger : buttonStyles.primary} onClick={confirm}>
            {open?.label}
          </button>
        </div>
      </dialog>
    </div>
  );
}
