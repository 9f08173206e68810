'use client';

import { updateDriftPolicyAction } from '@/app/(dashboard)/models/[name]/drift/actions';
import { buttonStyles } from '@/components/ui/button-styles';
import { FormMessage, inputStyles } from '@/components/ui/field';
import { useFormAction } from '@/components/ui/use-form-action';
import { METHOD_LABEL } from './severity';

type Policy = { thresholds: Record<string, { warning: number; critical: number }>; methods: Record<string, string>; resolveAfterHealthy: number };

/** Warning and critical per method (distances alert at ≥, p-values at <), editable by the model's ML lead. */
export function DriftPolicyForm({ model, policy, allowed, reason }: { model: string; policy: Policy; allowed: boolean; reason: string }) {
  const { state, pending, formRef, onSubmit } = useFormAction(updateDriftPolicyAction.bind(null, model));
  const errors = state.fieldErrors ?? {};
  return (
    <form ref={formRef} onSubmit={onSubmit} aria-label="Drift thresholds" noValidate className="space-y-3">
      <input type="hidden" name="methods" value={JSON.stringify(policy.methods)} />
      <table className="w-full text-left text-sm">
        <thead className="text-xs text-zinc-500">
          <tr>
            <th className="py-1 font-medium">Method</th>
            <th className="py-1 font-medium">Drift when</th>
            <th className="py-1 font-medium">Warning</th>
            <th className="py-1 font-medium">Critical</th>
          </tr>
        </thead>
        <tbody>
          {Object.entries(policy.thresholds).map(([method, pair]) => {
            const pValue = method === 'chiSquare' || method === 'ks';
            const error = errors[`policy.thresholds.${method}`] ?? errors[`policy.thresholds.${method}.warning`] ?? errors[`policy.thresholds.${method}.critical`];
            return (
              <tr key={method}>
                <th scope="row" className="py-1 pr-2 font-normal">{METHOD_LABEL[method] ?? method}</th>
                <td className="py-1 pr-2 text-xs text-zinc-500">{pValue ? 'p < threshold' : 'value ≥ threshold'}</td>
                <td className="py-1 pr-2">
                  <input aria-label={`${METHOD_LABEL[method] ?? method} warning`} name={`${method}.warning`} type="number" step="any" defaultValue={pair.warning} disabled={!allowed} className={inputStyles} aria-invalid={!!error} />
                </td>
                <td className="py-1">
                  <input aria-label={`${METHOD_LABEL[method] ?? method} critical`} name={`${method}.critical`} type="number" step="any" defaultValue={pair.critical} disabled={!allowed} className={inputStyles} aria-invalid={!!error} />
                  {error && <p className="text-xs text-red-700 dark:text-red-400">{error.join(' ')}</p>}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <label className="block text-xs font-medium">
        Healthy windows in a row that resolve an alert
        <input name="resolveAfterHealthy" type="number" min={1} max={100} defaultValue={policy.resolveAfterHealthy} disabled={!allowed} className={inputStyles} />
      </label>
      <FormMessage state={state} />
      {allowed ? (
        <button type="submit" className={buttonStyles.primary} disabled={pending}>
          {pending ? 'Saving…' : 'Save thresholds'}
        </button>
      ) : (
        <p className="text-xs text-zinc-500">{reason}</p>
      )}
    </form>
  );
}
