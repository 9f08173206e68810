'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { writePostmortemAction } from '@/app/(dashboard)/incidents/actions';
import { buttonStyles } from '@/components/ui/button-styles';
import { Field, FormMessage, inputStyles } from '@/components/ui/field';
import type { ActionState } from '@/lib/server/action-state';

type Item = { text: string; owner?: string; done: boolean };

/** Markdown postmortem, its owner and action items; saved as a whole, each save audited. */
export function PostmortemEditor({ incidentId, initial, allowed, reason }: { incidentId: string; initial: { postmortem: string; owner: string | null; actionItems: Item[]; state: string }; allowed: boolean; reason: string }) {
  const [postmortem, setPostmortem] = useState(initial.postmortem || TEMPLATE);
  const [owner, setOwner] = useState(initial.owner ?? '');
  const [items, setItems] = useState<Item[]>(initial.actionItems);
  const [close, setClose] = useState(initial.state === 'closed');
  const [state, setState] = useState<ActionState<unknown>>({ status: 'idle' });
  const [pending, startTransition] = useTransition();
  const router = useRouter();
  const errors = state.fieldErrors ?? {};
  const save = () =>
    startTransition(async () => {
      const result = await writePostmortemAction({ incidentId, postmortem, owner: owner || undefined, actionItems: items.filter((i) => i.text.trim()), close });
      setState(result);
      router.refresh();
    });
  return (
    <form
      aria-label="Postmortem"
      noValidate
      className="space-y-3"
      onSubmit={(e) => {
        e.preventDefault();
        save();
      }}
    >
      <fieldset disabled={!allowed || pending} className="space-y-3">
        <Field id="pm-text" label="Postmortem (markdown)" errors={errors.postmortem}>
          <textarea id="pm-text" rows={12} value={postmortem} onChange={(e) => setPostmortem(e.target.value)} className={`${inputStyles} font-mono text-xs`} />
        </Field>
        <Field id="pm-owner" label="Owner" errors={errors.owner}>
          <input id="pm-owner" value={owner} onChange={(e) => setOwner(e.target.value)} className={inputStyles} placeholder="who drives the action items" />
        </Field>
        <div className="space-y-2">
          <p className="text-xs font-medium text-zinc-700 dark:text-zinc-300">Action items</p>
          {items.map((item, i) => (
            <div key={i} className="grid grid-cols-[auto_1fr_12rem_auto] items-center gap-2">
              <input type="checkbox" aria-label={`Action item ${i + 1} done`} checked={item.done} onChange={(e) => setItems(items.map((x, j) => (j === i ? { ...x, done: e.target.checked } : x)))} />
              <input aria-label={`Action item ${i + 1}`} value={item.text} onChange={(e) => setItems(items.map((x, j) => (j === i ? { ...x, text: e.target.value } : x)))} className={inputStyles} />
              <input aria-label={`Action item ${i + 1} owner`} value={item.owner ?? ''} placeholder="owner" onChange={(e) => setItems(items.map((x, j) => (j === i ? { ...x, owner: e.target.value || undefined } : x)))} className={inputStyles} />
              <button type="button" className={buttonStyles.secondary} onClick={() => setItems(items.filter((_, j) => j !== i))} aria-label={`Remove action item ${i + 1}`}>
                Remove
              </button>
              {errors[`actionItems.${i}.text`] && <p className="col-span-4 text-xs text-red-700">{errors[`actionItems.${i}.text`]!.join(' ')}</p>}
            </div>
          ))}
          <button type="button" className={buttonStyles.secondary} onClick={() => setItems([...items, { text: '', done: false }])}>
            Add action item
          </button>
        </div>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={close} onChange={(e) => setClose(e.target.checked)} /> Close the incident
        </label>
      </fieldset>
      <FormMessage state={state} />
      {allowed ? (
        <button type="submit" className={buttonStyles.primary} disabled={pending}>
          {pending ? 'Saving…' : 'Save postmortem'}
        </button>
      ) : (
        <p className="text-xs text-zinc-500">{reason}</p>
      )}
    </form>
  );
}

const TEMPLATE = `## Summary

## Impact

## Root cause

## What went well

## What went badly
`;
