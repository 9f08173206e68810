'use client';

import { buttonStyles } from '@/components/ui/button-styles';
import { Field, FormMessage, inputStyles } from '@/components/ui/field';
import { useFormAction } from '@/components/ui/use-form-action';
import { updateAnalysisAction } from '../actions';

/** How the controller judges canaries here: the interval and the analysis config (metrics, allowances, limits). */
export function AnalysisForm({ environment, intervalSeconds, config, canEdit, reason }: { environment: string; intervalSeconds: number; config: unknown; canEdit: boolean; reason: string }) {
  const { state, pending, formRef, onSubmit } = useFormAction(updateAnalysisAction);
  const errors = state.fieldErrors ?? {};
  const configErrors = Object.entries(errors).filter(([k]) => k.startsWith('config')).flatMap(([k, v]) => v.map((m) => `${k}: ${m}`));
  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate aria-label={`Canary analysis for ${environment}`} className="space-y-3 pb-4">
      <input type="hidden" name="environment" value={environment} />
      <fieldset disabled={!canEdit || pending} className="grid gap-3 sm:grid-cols-[12rem_1fr]">
        <Field id={`interval-${environment}`} label="Analysis interval (s)" errors={errors.intervalSeconds}>
          <input id={`interval-${environment}`} name="intervalSeconds" type="number" min={1} max={3600} defaultValue={intervalSeconds} className={inputStyles} />
        </Field>
        <Field id={`analysis-${environment}`} label="Analysis config (JSON; empty for the defaults)" hint='{ "metrics": [{ "name": "error_rate", "kind": "rate", "critical": true, "allowedRelative": 0.2 }], "passScore": 95, "failureLimit": 1 }' errors={configErrors.length ? configErrors : undefined}>
          <textarea id={`analysis-${environment}`} name="config" rows={4} defaultValue={config && Object.keys(config as object).length ? JSON.stringify(config, null, 2) : ''} className={`${inputStyles} font-mono text-xs`} />
        </Field>
      </fieldset>
      <FormMessage state={state} />
      <div className="flex items-center gap-2">
        <button type="submit" className={buttonStyles.secondary} disabled={!canEdit || pending}>
          {pending ? 'Saving…' : `Save ${environment} analysis`}
        </button>
        {!canEdit && <span className="text-xs text-zinc-500">{reason}</span>}
      </div>
    </form>
  );
}
