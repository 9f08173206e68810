'use client';

import Link from 'next/link';
import { buttonStyles } from '@/components/ui/button-styles';
import { FormLauncher } from '@/components/ui/form-launcher';
import { Field, FormMessage, inputStyles } from '@/components/ui/field';
import { useFormAction } from '@/components/ui/use-form-action';
import { registerVersionAction } from '../actions';

const CONTRACT_EXAMPLE = '{\n  "inputs": [{ "name": "amount", "type": "float", "nullable": false, "required": true }],\n  "outputs": [{ "name": "score", "type": "float", "range": { "min": 0, "max": 1 } }]\n}';

/** Registration by hand, for ML leads; CI posts the same payload to the API. */
export function RegisterVersionForm({ model, allowed, reason }: { model: string; allowed: boolean; reason: string }) {
  return (
    <FormLauncher label="Register version" allowed={allowed} reason={reason}>
      {(close) => <RegisterVersionFormBody model={model} close={close} />}
    </FormLauncher>
  );
}

function RegisterVersionFormBody({ model, close }: { model: string; close: () => void }) {
  const { state, pending, formRef, onSubmit } = useFormAction(registerVersionAction);
  const errors = state.fieldErrors ?? {};
  const contractErrors = Object.entries(errors).filter(([k]) => k.startsWith('contract')).flatMap(([k, v]) => v.map((m) => `${k}: ${m}`));
  const text = (id: string, label: string, hint?: string) => (
    <Field id={id} label={label} hint={hint} errors={errors[id]}>
      <input id={id} name={id} className={inputStyles} aria-invalid={!!errors[id]} />
    </Field>
  );
  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate aria-label="Register version" className="w-full space-y-3 rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
      <input type="hidden" name="model" value={model} />
      <div className="grid gap-3 md:grid-cols-3">
        {text('version', 'Version', 'Semantic version, e.g. 1.3.0')}
        {text('artifactUri', 'Artifact URI', 's3://bucket/path/model.tar.gz')}
        {text('artifactDigest', 'Artifact digest', 'sha256:<64 hex>')}
        {text('gitCommit', 'Git commit')}
        {text('dataSnapshotId', 'Training data snapshot')}
        {text('dataSnapshotHash', 'Data snapshot hash', 'sha256:<64 hex>')}
        {text('parentVersion', 'Parent version')}
        {text('tags', 'Tags', 'Comma-separated')}
      </div>
      <div className="grid gap-3 md:grid-cols-3">
        <Field id="hyperparameters" label="Hyperparameters (JSON)" errors={errors.hyperparameters}>
          <textarea id="hyperparameters" name="hyperparameters" rows={5} className={`${inputStyles} font-mono text-xs`} placeholder='{ "max_depth": 6 }' />
        </Field>
        <Field id="offlineMetrics" label="Offline metrics (JSON)" errors={errors.offlineMetrics}>
          <textarea id="offlineMetrics" name="offlineMetrics" rows={5} className={`${inputStyles} font-mono text-xs`} placeholder='{ "auc": 0.93 }' />
        </Field>
        <Field id="contract" label="Contract (JSON)" errors={errors.contract ?? (contractErrors.length ? contractErrors : undefined)}>
          <textarea id="contract" name="contract" rows={5} className={`${inputStyles} font-mono text-xs`} placeholder={CONTRACT_EXAMPLE} />
        </Field>
      </div>
      <FormMessage state={state} />
      {state.status === 'ok' && state.result && (
        <Link className="underline" href={`/models/${model}/versions/${encodeURIComponent(state.result.version)}`}>
          Open {state.result.version}
        </Link>
      )}
      <div className="flex gap-2">
        <button type="submit" disabled={pending} className={buttonStyles.primary}>
          {pending ? 'Registering…' : 'Register'}
        </button>
        <button type="button" className={buttonStyles.secondary} onClick={close}>
          Close
        </button>
      </div>
    </form>
  );
}
