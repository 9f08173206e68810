'use client';

import { setSloAction } from '@/app/(dashboard)/models/[name]/drift/actions';
import { buttonStyles } from '@/components/ui/button-styles';
import { Field, FormMessage, inputStyles } from '@/components/ui/field';
import { useFormAction } from '@/components/ui/use-form-action';
import { DriftSeverity } from './severity';

type Slo = {
  id: string;
  environment: string;
  kind: string;
  objective: number;
  latencyThresholdMs: number | null;
  severity: string;
  rules: { rule: string; factor: number; longWindowSeconds: number; shortWindowSeconds: number; long: number | null; short: number | null; firing: boolean }[];
};

const window = (s: number) => (s >= 86_400 ? `${s / 86_400} d` : s >= 3600 ? `${s / 3600} h` : `${s / 60} min`);
const burn = (b: number | null) => (b === null ? 'no traffic' : `${b.toFixed(2)}×`);

/** The model's SLOs with their burn per window (SRE workbook pairs), and a form to set one. */
export function SloPanel({ model, slos, environments, allowed, reason }: { model: string; slos: Slo[]; environments: string[]; allowed: boolean; reason: string }) {
  const { state, pending, formRef, onSubmit } = useFormAction(setSloAction.bind(null, model));
  const errors = state.fieldErrors ?? {};
  return (
    <div className="space-y-4">
      {slos.length === 0 ? (
        <p className="text-sm text-zinc-500">No SLOs yet. The serving side reports whole-service traffic to POST /api/v1/services/&lt;service&gt;/telemetry; an SLO turns it into burn-rate alerts.</p>
      ) : (
        <table className="w-full text-left text-sm">
          <thead className="text-xs text-zinc-500">
            <tr>
              <th className="py-1 font-medium">SLO</th>
              <th className="py-1 font-medium">Now</th>
              {slos[0]!.rules.map((r) => (
                <th key={r.rule} className="py-1 font-medium">
                  {r.rule}: &gt; {r.factor}× over {window(r.longWindowSeconds)} and {window(r.shortWindowSeconds)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
            {slos.map((s) => (
              <tr key={s.id} data-testid={`slo-${s.environment}-${s.kind}`}>
                <td className="py-2 pr-3">
                  {s.environment}: {s.kind === 'availability' ? 'availability' : `latency ≤ ${s.latencyThresholdMs} ms`} {(s.objective * 100).toFixed(2)} %
                </td>
                <td className="py-2 pr-3">
                  <DriftSeverity severity={s.severity} />
                </td>
                {s.rules.map((r) => (
                  <td key={r.rule} className={`py-2 pr-3 tabular-nums ${r.firing ? 'font-semibold text-red-700 dark:text-red-400' : ''}`}>
                    {burn(r.long)} / {burn(r.short)}
                    {r.firing && ' firing'}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {allowed ? (
        <form ref={formRef} onSubmit={onSubmit} aria-label="Set an SLO" noValidate className="grid items-end gap-2 sm:grid-cols-5">
          <Field id="slo-environment" label="Environment" errors={errors.environment}>
            <select id="slo-environment" name="environment" className={inputStyles}>
              {environments.map((e) => (
                <option key={e} value={e}>{e}</option>
              ))}
            </select>
          </Field>
          <Field id="slo-kind" label="Kind">
            <select id="slo-kind" name="kind" className={inputStyles} defaultValue="availability">
              <option value="availability">availability</option>
              <option value="latency">latency</option>
            </select>
          </Field>
          <Field id="slo-objective" label="Objective %" errors={errors.objective}>
            <input id="slo-objective" name="objective" type="number" step="0.01" defaultValue="99.9" className={inputStyles} />
          </Field>
          <Field id="slo-latency" label="Latency threshold ms (latency only)" errors={errors.latencyThresholdMs}>
            <input id="slo-latency" name="latencyThresholdMs" type="number" className={inputStyles} />
          </Field>
          <button type="submit" className={buttonStyles.primary} disabled={pending}>
            {pending ? 'Saving…' : 'Set SLO'}
          </button>
          <div className="sm:col-span-5">
            <FormMessage state={state} />
          </div>
        </form>
      ) : (
        <p className="text-xs text-zinc-500">{reason}</p>
      )}
    </div>
  );
}
