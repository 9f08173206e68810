'use client';

import { buttonStyles } from '@/components/ui/button-styles';
import { Field, FormMessage, inputStyles } from '@/components/ui/field';
import { useFormAction } from '@/components/ui/use-form-action';
import { updateProtectionAction } from '../actions';

type Protection = { requiredApprovals: number; approvalTtlHours: number; defaultPlan: unknown; freezeWindows: unknown; alertGate?: string };

/** Who must approve, for how long an approval holds, the default rollout plan and the freeze windows. */
export function ProtectionForm({ environment, protection, canEdit, reason }: { environment: string; protection: Protection; canEdit: boolean; reason: string }) {
  const { state, pending, formRef, onSubmit } = useFormAction(updateProtectionAction);
  const errors = state.fieldErrors ?? {};
  const under = (prefix: string) => {
    const found = Object.entries(errors).filter(([k]) => k.startsWith(`protection.${prefix}`)).flatMap(([k, v]) => v.map((m) => `${k.replace('protection.', '')}: ${m}`));
    return found.length ? found : undefined;
  };
  const plan = Array.isArray(protection.defaultPlan) && protection.defaultPlan.length ? JSON.stringify(protection.defaultPlan, null, 2) : '';
  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate aria-label={`Protection rules for ${environment}`} className="space-y-3 pb-3">
      <input type="hidden" name="environment" value={environment} />
      <fieldset disabled={!canEdit || pending} className="grid gap-3 sm:grid-cols-2">
        <Field id={`approvals-${environment}`} label="Required approvals" hint="Distinct reviewers; the requester never counts" errors={under('requiredApprovals')}>
          <input id={`approvals-${environment}`} name="requiredApprovals" type="number" min={0} max={5} defaultValue={protection.requiredApprovals} className={inputStyles} />
        </Field>
        <Field id={`ttl-${environment}`} label="Approvals expire after (hours)" errors={under('approvalTtlHours')}>
          <input id={`ttl-${environment}`} name="approvalTtlHours" type="number" min={1} defaultValue={protection.approvalTtlHours} className={inputStyles} />
        </Field>
        <Field id={`gate-${environment}`} label="Critical drift or SLO alert on a release in flight" hint="What the controller does to a running release of that model here" errors={under('alertGate')}>
          <select id={`gate-${environment}`} name="alertGate" defaultValue={protection.alertGate ?? 'none'} className={inputStyles}>
            <option value="none">nothing (alert only)</option>
            <option value="pause">pause the release</option>
            <option value="rollback">roll the release back</option>
          </select>
        </Field>
        <Field id={`freeze-${environment}`} label="Freeze windows (JSON)" hint='[{ "start": "2026-12-20T00:00:00Z", "end": "2027-01-03T00:00:00Z", "reason": "holidays" }]' errors={under('freezeWindows')}>
          <textarea id={`freeze-${environment}`} name="freezeWindows" rows={3} defaultValue={JSON.stringify(protection.freezeWindows, null, 2)} className={`${inputStyles} font-mono text-xs`} />
        </Field>
        <Field id={`plan-${environment}`} label="Default canary plan (JSON)" hint='[{ "weight": 10, "holdSeconds": 300 }, { "weight": 100 }]' errors={under('defaultPlan')}>
          <textarea id={`plan-${environment}`} name="defaultPlan" rows={3} defaultValue={plan} className={`${inputStyles} font-mono text-xs`} />
        </Field>
      </fieldset>
      <FormMessage state={state} />
      <div className="flex items-center gap-2">
        <button type="submit" className={buttonStyles.secondary} disabled={!canEdit || pending}>
          {pending ? 'Saving…' : `Save ${environment} protection`}
        </button>
        {!canEdit && <span className="text-xs text-zinc-500">{reason}</span>}
      </div>
    </form>
  );
}
