'use client';

import Link from 'next/link';
import { requestReleaseAction } from '@/app/(dashboard)/releases/actions';
import { buttonStyles } from '@/components/ui/button-styles';
import { FormLauncher } from '@/components/ui/form-launcher';
import { Field, FormMessage, inputStyles } from '@/components/ui/field';
import { useFormAction } from '@/components/ui/use-form-action';

const STRATEGIES = [
  ['canary', 'Canary (weighted steps)'],
  ['blue_green', 'Blue-green (preview, then switch)'],
  ['shadow', 'Shadow (mirror, 0 % user-facing)'],
  ['immediate', 'Immediate (100 % at once)'],
] as const;

/** Ask for this version to go to an environment; only offered where it is deployable. */
export function RequestReleaseForm({ model, version, environments, allowed, reason }: { model: string; version: string; environments: string[]; allowed: boolean; reason: string }) {
  return (
    <FormLauncher label="Request release" allowed={allowed} reason={reason} unavailable={environments.length === 0 ? 'Not deployable anywhere it does not already run.' : undefined}>
      {(close) => <RequestReleaseFormBody model={model} version={version} environments={environments} close={close} />}
    </FormLauncher>
  );
}

function RequestReleaseFormBody({ model, version, environments, close }: { model: string; version: string; environments: string[]; close: () => void }) {
  const { state, pending, formRef, onSubmit } = useFormAction(requestReleaseAction);
  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate aria-label="Request release" className="w-full max-w-xl space-y-3 rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
      <input type="hidden" name="model" value={model} />
      <input type="hidden" name="version" value={version} />
      <div className="grid gap-3 sm:grid-cols-2">
        <Field id="rr-environment" label="Environment">
          <select id="rr-environment" name="environment" className={inputStyles}>
            {environments.map((e) => (
              <option key={e} value={e}>{e}</option>
            ))}
          </select>
        </Field>
        <Field id="rr-strategy" label="Strategy" hint="The environment's default plan applies">
          <select id="rr-strategy" name="strategy" className={inputStyles} defaultValue="canary">
            {STRATEGIES.map(([value, label]) => (
              <option key={value} value={value}>{label}</option>
            ))}
          </select>
        </Field>
      </div>
      <Field id="rr-reason" label="Why" errors={state.fieldErrors?.reason}>
        <input id="rr-reason" name="reason" className={inputStyles} placeholder="e.g. +0.8 pt AUC on last month's fraud" />
      </Field>
      <FormMessage state={state} />
      {state.status === 'ok' && state.result && (
        <Link className="underline" href={`/releases/${state.result.id}`}>
          Open the release
        </Link>
      )}
      <div className="flex gap-2">
        <button type="submit" disabled={pending} className={buttonStyles.primary}>
          {pending ? 'Requesting…' : 'Request'}
        </button>
        <button type="button" className={buttonStyles.secondary} onClick={close}>
          Close
        </button>
      </div>
    </form>
  );
}
