'use client';

import { buttonStyles } from '@/components/ui/button-styles';
import { Field, FormMessage, inputStyles } from '@/components/ui/field';
import { useFormAction } from '@/components/ui/use-form-action';
import { CHECK_KINDS, type GatePolicy } from '@/lib/domain/gate-policy';
import { updatePolicyAction } from '../actions';

/**
 * One environment's gate policy: the check kinds it requires and the metric thresholds, in
 * MLflow's MetricThreshold terms (negative changes are tolerated regressions).
 */
export function PolicyForm({ environment, policy, policyVersion, canEdit, reason }: { environment: string; policy: GatePolicy; policyVersion: number; canEdit: boolean; reason: string }) {
  const { state, pending, formRef, onSubmit } = useFormAction(updatePolicyAction);
  const errors = state.fieldErrors ?? {};
  const thresholdErrors = Object.entries(errors).filter(([k]) => k.startsWith('policy.thresholds')).flatMap(([k, v]) => v.map((m) => `${k.replace('policy.thresholds', 'thresholds')}: ${m}`));
  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate aria-label={`Policy for ${environment}`} className="space-y-3 py-3">
      <input type="hidden" name="environment" value={environment} />
      <div className="flex items-baseline justify-between">
        <h3 className="font-semibold">{environment}</h3>
        <span className="text-xs text-zinc-500">policy version {policyVersion}</span>
      </div>
      <fieldset disabled={!canEdit || pending} className="flex flex-wrap gap-3">
        <legend className="mb-1 text-xs font-medium text-zinc-700 dark:text-zinc-300">Required checks</legend>
        {CHECK_KINDS.map((kind) => (
          <label key={kind} className="inline-flex items-center gap-1">
            <input type="checkbox" name="requiredChecks" value={kind} defaultChecked={policy.requiredChecks.includes(kind)} /> {kind.replace('_', ' ')}
          </label>
        ))}
      </fieldset>
      <Field id={`thresholds-${environment}`} label="Thresholds (JSON, per check kind)" hint='e.g. { "quality_regression": [{ "metric": "primary_metric", "minRelativeChange": -0.005, "greaterIsBetter": true }] }' errors={thresholdErrors.length ? thresholdErrors : undefined}>
        <textarea
          id={`thresholds-${environment}`}
          name="thresholds"
          rows={6}
          disabled={!canEdit || pending}
          defaultValue={JSON.stringify(policy.thresholds, null, 2)}
          className={`${inputStyles} font-mono text-xs`}
          aria-invalid={thresholdErrors.length > 0}
        />
      </Field>
      <FormMessage state={state} />
      <div className="flex items-center gap-2">
        <button type="submit" className={buttonStyles.secondary} disabled={!canEdit || pending}>
          {pending ? 'Saving…' : `Save ${environment} policy`}
        </button>
        {!canEdit && <span className="text-xs text-zinc-500">{reason}</span>}
      </div>
    </form>
  );
}
