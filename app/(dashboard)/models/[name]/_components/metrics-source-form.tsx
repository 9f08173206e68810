'use client';

import { useState } from 'react';
import { buttonStyles } from '@/components/ui/button-styles';
import { Field, FormMessage, inputStyles } from '@/components/ui/field';
import { useFormAction } from '@/components/ui/use-form-action';
import { METRICS_PRESETS, MetricsSource, PRESET_DEFINITIONS, presetSource, type MetricsPreset } from '@/lib/domain/metrics-presets';
import { updateMetricsSourceAction } from '../actions';

type Props = { model: string; service: string; source: MetricsSource | null; prometheusConfigured: boolean; allowed: boolean; reason: string };

/**
 * Which model server's Prometheus metrics judge this model's canaries. The PromQL preview is
 * computed here from the same pure function the controller uses, so what you see is what runs.
 */
export function MetricsSourceForm({ model, service, source, prometheusConfigured, allowed, reason }: Props) {
  const { state, pending, formRef, onSubmit } = useFormAction(updateMetricsSourceAction.bind(null, model));
  // Text fields as typed: '' is "the preset's default" and is dropped before parsing.
  type Draft = Partial<Record<Exclude<keyof MetricsSource, 'preset'>, string>> & { preset: MetricsPreset | '' };
  const [draft, setDraft] = useState<Draft>(source ?? { preset: '' });
  const errors = state.fieldErrors ?? {};
  const fieldErrors = (field: string) => errors[`source.${field}`];
  const preset = draft.preset || null;
  const def = preset ? PRESET_DEFINITIONS[preset] : null;
  const parsed = preset ? MetricsSource.safeParse(Object.fromEntries(Object.entries(draft).filter(([, v]) => v !== '' && v !== undefined))) : null;
  const queries = parsed?.success ? presetSource(parsed.data) : null;
  const set = (key: keyof MetricsSource) => (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [key]: e.target.value }));

  return (
    <form ref={formRef} onSubmit={onSubmit} aria-label="Canary metrics source" noValidate className="space-y-3">
      {!prometheusConfigured && (
        <p className="rounded-md bg-amber-50 px-3 py-2 text-xs text-amber-900 dark:bg-amber-950 dark:text-amber-200">
          FLIGHTDECK_PROMETHEUS_URL is not set on this server: the controller judges canaries from pushed samples (<code>POST /api/v1/metrics</code>) until it is.
        </p>
      )}
      <Field id="metrics-preset" label="Model server" hint={def?.notes ?? 'None: the environment’s Prometheus templates, or samples pushed to /api/v1/metrics.'} errors={fieldErrors('preset')}>
        <select id="metrics-preset" name="preset" value={draft.preset ?? ''} onChange={set('preset')} disabled={!allowed} className={inputStyles}>
          <option value="">None (environment templates or pushed samples)</option>
          {METRICS_PRESETS.map((p) => (
            <option key={p} value={p}>
              {PRESET_DEFINITIONS[p].label}
            </option>
          ))}
        </select>
      </Field>
      {def && (
        <>
          <div className="grid gap-3 sm:grid-cols-3">
            <Field id="metrics-model-label" label="Model label" hint={`Default ${def.modelLabel}`} errors={fieldErrors('modelLabel')}>
              <input id="metrics-model-label" name="modelLabel" value={draft.modelLabel ?? ''} onChange={set('modelLabel')} placeholder={def.modelLabel} disabled={!allowed} className={inputStyles} aria-invalid={!!fieldErrors('modelLabel')} />
            </Field>
            <Field id="metrics-model-value" label="Model label value" hint={`Default ${preset === 'kserve' ? `${service}-predictor` : service}`} errors={fieldErrors('modelLabelValue')}>
              <input id="metrics-model-value" name="modelLabelValue" value={draft.modelLabelValue ?? ''} onChange={set('modelLabelValue')} placeholder={preset === 'kserve' ? `${service}-predictor` : service} disabled={!allowed} className={inputStyles} aria-invalid={!!fieldErrors('modelLabelValue')} />
            </Field>
            <Field id="metrics-version-label" label="Version label" hint={`Default ${def.versionLabel}; must hold the Flightdeck version`} errors={fieldErrors('versionLabel')}>
              <input id="metrics-version-label" name="versionLabel" value={draft.versionLabel ?? ''} onChange={set('versionLabel')} placeholder={def.versionLabel} disabled={!allowed} className={inputStyles} aria-invalid={!!fieldErrors('versionLabel')} />
            </Field>
          </div>
          <div className="grid gap-3 sm:grid-cols-[1fr_10rem]">
            <Field id="metrics-latency" label="Latency buckets query (optional)" hint="A cumulative histogram by le, e.g. from the mesh; replaces the preset’s" errors={fieldErrors('latencyBuckets')}>
              <textarea id="metrics-latency" name="latencyBuckets" rows={2} value={draft.latencyBuckets ?? ''} onChange={set('latencyBuckets')} disabled={!allowed} className={`${inputStyles} font-mono text-xs`} aria-invalid={!!fieldErrors('latencyBuckets')} />
            </Field>
            <Field id="metrics-latency-unit" label="Its le unit" errors={fieldErrors('latencyUnit')}>
              <select id="metrics-latency-unit" name="latencyUnit" value={draft.latencyUnit ?? 'seconds'} onChange={set('latencyUnit')} disabled={!allowed} className={inputStyles}>
                <option value="seconds">seconds</option>
                <option value="milliseconds">milliseconds</option>
              </select>
            </Field>
          </div>
          <section aria-label="PromQL the controller runs" className="rounded-md bg-zinc-50 p-3 text-xs dark:bg-zinc-900">
            <h3 className="mb-1 font-medium">PromQL per version, at the end of each analysis interval ({'{{version}}'} is the baseline’s or the canary’s)</h3>
            {queries ? (
              <dl className="space-y-1 font-mono">
                {(['requests', 'errors', 'latencyBuckets'] as const).map((k) => (
                  <div key={k}>
                    <dt className="font-sans text-zinc-500">{k === 'latencyBuckets' ? `latency buckets (le in ${queries.latencyUnit})` : k}</dt>
                    <dd className="break-all">{queries[k]?.replaceAll('{{service}}', service) ?? <span className="font-sans text-zinc-500">none: latency is not compared</span>}</dd>
                  </div>
                ))}
              </dl>
            ) : (
              <p className="text-red-700 dark:text-red-400">{parsed && !parsed.success ? parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') : ''}</p>
            )}
          </section>
        </>
      )}
      <FormMessage state={state} />
      {allowed ? (
        <button type="submit" className={buttonStyles.primary} disabled={pending}>
          {pending ? 'Saving…' : 'Save metrics source'}
        </button>
      ) : (
        <p className="text-xs text-zinc-500">{reason}</p>
      )}
    </form>
  );
}
