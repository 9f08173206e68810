'use client';

import { useRouter } from 'next/navigation';
import { useId, useRef, useState, useTransition } from 'react';
import { alertAction, type AlertVerb } from '@/app/(dashboard)/alerts/actions';
import { buttonStyles } from '@/components/ui/button-styles';
import { inputStyles } from '@/components/ui/field';
import type { ActionState } from '@/lib/server/action-state';

const LABEL: Record<AlertVerb, string> = { acknowledge: 'Acknowledge', resolve: 'Resolve', comment: 'Comment' };

/**
 * Acknowledge and resolve (and comment, on the alert's page). Each asks once with a comment box
 * — a resolve needs to say what was done — and announces the result. Buttons a role may not use
 * stay visible, disabled, with the reason.
 */
export function AlertActions({ alertId, title, state, allowed, reason, withComment = false }: { alertId: string; title: string; state: string; allowed: boolean; reason: string; withComment?: boolean }) {
  const verbs: AlertVerb[] = [...(state === 'open' ? (['acknowledge'] as const) : []), ...(state !== 'resolved' ? (['resolve'] as const) : []), ...(withComment ? (['comment'] as const) : [])];
  const [open, setOpen] = useState<AlertVerb | null>(null);
  const [text, setText] = useState('');
  const [result, setResult] = useState<ActionState<{ changed: boolean }> | null>(null);
  const [pending, startTransition] = useTransition();
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const router = useRouter();
  if (verbs.length === 0) return null;
  const ask = (verb: AlertVerb) => {
    setOpen(verb);
    setText('');
    dialog.current?.showModal();
  };
  const confirm = () => {
    const verb = open!;
    dialog.current?.close();
    startTransition(async () => {
      setResult(await alertAction(alertId, verb, text));
      router.refresh();
    });
  };
  const needsText = open === 'resolve' || open === 'comment';
  return (
    <div>
      <div className="flex flex-wrap items-center gap-2">
        {verbs.map((verb) => (
          <button key={verb} type="button" className={buttonStyles.secondary} disabled={!allowed || pending} title={allowed ? undefined : reason} onClick={() => ask(verb)}>
            {pending && open === verb ? `${LABEL[verb]}…` : LABEL[verb]}
          </button>
        ))}
        {!allowed && <span className="text-xs text-zinc-500">{reason}</span>}
      </div>
      <p aria-live="polite" role="status" className="mt-1 text-sm">
        {result?.status === 'ok' && <span className="text-green-700 dark:text-green-400">{result.message}</span>}
        {result?.status === 'error' && (
          <span role="alert" className="text-red-700 dark:text-red-400">
            {result.message}
          </span>
        )}
      </p>
      <dialog ref={dialog} aria-labelledby={titleId} className="m-auto w-full max-w-md rounded-lg border border-zinc-300 bg-white p-5 text-zinc-900 backdrop:bg-black/40 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100">
        <h2 id={titleId} className="text-base font-semibold">
          {open ? `${LABEL[open]}: ${title}` : ''}
        </h2>
        <label className="mt-3 block text-xs font-medium">
          {open === 'resolve' ? 'What was done' : open === 'comment' ? 'Comment' : 'Comment (optional)'}
          <textarea className={inputStyles} rows={3} value={text} onChange={(e) => setText(e.target.value)} />
        </label>
        <div className="mt-4 flex justify-end gap-2">
          <button type="button" className={buttonStyles.secondary} onClick={() => dialog.current?.close()} autoFocus>
            Cancel
          </button>
          <button type="button" className={buttonStyles.primary} disabled={needsText && text.trim().length < (open === 'resolve' ? 3 : 1)} onClick={confirm}>
            {open ? LABEL[open] : ''}
          </button>
        </div>
      </dialog>
    </div>
  );
}
