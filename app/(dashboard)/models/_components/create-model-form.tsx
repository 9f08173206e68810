'use client';

import { useFormAction } from '@/components/ui/use-form-action';
import { buttonStyles } from '@/components/ui/button-styles';
import { FormLauncher } from '@/components/ui/form-launcher';
import { Field, FormMessage, inputStyles } from '@/components/ui/field';
import { createModelAction } from '../actions';

/** Shown to everyone; disabled with the reason for roles that may not create models. */
export function CreateModelForm({ allowed, reason }: { allowed: boolean; reason: string }) {
  return (
    <FormLauncher label="New model" allowed={allowed} reason={reason}>
      {(close) => <CreateModelFormBody  close={close} />}
    </FormLauncher>
  );
}

function CreateModelFormBody({ close }: { close: () => void }) {
  const { state, pending, formRef, onSubmit } = useFormAction(createModelAction);
  const errors = state.fieldErrors ?? {};
  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate className="w-full max-w-xl space-y-3 rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900" aria-label="New model">
      <div className="grid gap-3 sm:grid-cols-2">
        <Field id="name" label="Name" hint="e.g. fraud-detector" errors={errors.name}>
          <input id="name" name="name" required className={inputStyles} aria-invalid={!!errors.name} autoFocus />
        </Field>
        <Field id="ownerTeam" label="Owner team" errors={errors.ownerTeam}>
          <input id="ownerTeam" name="ownerTeam" required className={inputStyles} aria-invalid={!!errors.ownerTeam} />
        </Field>
        <Field id="servingService" label="Serving service" hint="Defaults to the name" errors={errors.servingService}>
          <input id="servingService" name="servingService" className={inputStyles} aria-invalid={!!errors.servingService} />
        </Field>
      </div>
      <Field id="description" label="Description" errors={errors.description}>
        <textarea id="description" name="description" rows={2} className={inputStyles} />
      </Field>
      <FormMessage state={state} />
      <div className="flex gap-2">
        <button type="submit" disabled={pending} className={buttonStyles.primary}>
          {pending ? 'Creating…' : 'Create model'}
        </button>
        <button type="button" className={buttonStyles.secondary} onClick={close}>
          Close
        </button>
      </div>
    </form>
  );
}
