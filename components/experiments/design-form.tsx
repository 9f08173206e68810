'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useMemo, useState, useTransition } from 'react';
import { createExperimentAction } from '@/app/(dashboard)/experiments/actions';
import { buttonStyles } from '@/components/ui/button-styles';
import { Field, inputStyles } from '@/components/ui/field';
import { apiFetch } from '@/lib/api-client';
import { sampleSizePerArm } from '@/lib/domain/sample-size';
import type { ActionState } from '@/lib/server/action-state';
import type { ExperimentTarget } from '@/lib/queries/experiments';

type MetricRow = { name: string; type: 'binomial' | 'continuous'; higherIsBetter: boolean };
type ArmRow = { version: string; allocation: number };

const num = (s: string) => (s.trim() === '' ? Number.NaN : Number(s));

/**
 * The experiment design form. The control is the version live in the chosen environment; the
 * sample-size calculator answers as you type (units per arm, and days at the traffic the model
 * sees there now). The server validates everything again and names any field it refuses.
 */
export function DesignForm({ targets }: { targets: ExperimentTarget[] }) {
  const router = useRouter();
  const [model, setModel] = useState(targets[0]?.model ?? '');
  const target = targets.find((t) => t.model === model);
  const envs = Object.keys(target?.live ?? {});
  const [environment, setEnvironment] = useState(envs[0] ?? '');
  const control = target?.live[environment] ?? '';
  const candidates = (target?.versions ?? []).filter((v) => v !== control);
  const [controlAllocation, setControlAllocation] = useState(50);
  const [treatments, setTreatments] = useState<ArmRow[]>([{ version: candidates[0] ?? '', allocation: 50 }]);
  const [name, setName] = useState('');
  const [hypothesis, setHypothesis] = useState('');
  const [unit, setUnit] = useState('user');
  const [primary, setPrimary] = useState<MetricRow & { margin: string }>({ name: 'conversion', type: 'binomial', higherIsBetter: true, margin: '' });
  const [secondary, setSecondary] = useState<MetricRow[]>([]);
  const [guardrails, setGuardrails] = useState<MetricRow[]>([{ name: 'latency_ms', type: 'continuous', higherIsBetter: false }]);
  const [mde, setMde] = useState('2');
  const [alpha, setAlpha] = useState('0.05');
  const [power, setPower] = useState('0.8');
  const [rate, setRate] = useState('10');
  const [meanValue, setMeanValue] = useState('');
  const [variance, setVariance] = useState('');
  const [sequential, setSequential] = useState(true);
  const [nStar, setNStar] = useState('5000');
  const [correction, setCorrection] = useState('holm');
  const [state, setState] = useState<ActionState<{ id: string }> | null>(null);
  const [pending, startTransition] = useTransition();
  const [unitsPerDay, setUnitsPerDay] = useState<number | null>(null);

  // Choosing a model or an environment offers its control and treatments afresh (in the same
  // event, so a quick second choice is never overwritten by a late effect).
  const chooseTarget = (nextModel: string, nextEnvironment?: string) => {
    const t = targets.find((x) => x.model === nextModel);
    const env = nextEnvironment ?? Object.keys(t?.live ?? {})[0] ?? '';
    const live = t?.live[env];
    setModel(nextModel);
    setEnvironment(env);
    setTreatments([{ version: (t?.versions ?? []).find((v) => v !== live) ?? '', allocation: 50 }]);
    setControlAllocation(50);
  };

  // Current traffic: asked once per model and environment.
  useEffect(() => {
    if (!model || !environment) return;
    let stale = false;
    apiFetch<{ unitsPerDay: number | null }>('/api/v1/experiments/sample-size', { method: 'POST', body: JSON.stringify({ baseline: { rate: 0.1 }, minimumDetectableEffect: 0.1, model, environment }) })
      .then((r) => !stale && setUnitsPerDay(r.unitsPerDay))
      .catch(() => !stale && setUnitsPerDay(null));
    return () => {
      stale = true;
    };
  }, [model, environment]);

  const baseline: { rate: number } | { mean: number; variance: number } = primary.type === 'binomial' ? { rate: num(rate) / 100 } : { mean: num(meanValue), variance: num(variance) };
  const arms: ArmRow[] = [{ version: control, allocation: controlAllocation }, ...treatments];
  const allocationTotal = arms.reduce((s, a) => s + a.allocation, 0);
  const perArm = useMemo(() => {
    try {
      const common = { mde: (primary.higherIsBetter ? 1 : -1) * (num(mde) / 100), alpha: num(alpha), power: num(power), arms: arms.length };
      return sampleSizePerArm('rate' in baseline ? { baselineRate: baseline.rate, ...common } : { mean: baseline.mean, variance: baseline.variance, ...common });
    } catch (error) {
      return (error as Error).message;
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [rate, meanValue, variance, mde, alpha, power, arms.length, primary.type, primary.higherIsBetter]);
  // The slowest arm (smallest allocation) decides how long it takes.
  const days = typeof perArm === 'number' && unitsPerDay ? Math.ceil(perArm / ((unitsPerDay * Math.min(...arms.map((a) => a.allocation))) / 100)) : null;

  const errors = (field: string) => state?.fieldErrors?.[field];
  const submit = () => {
    const metric = (m: MetricRow) => ({ name: m.name.trim(), type: m.type, higherIsBetter: m.higherIsBetter });
    const input = {
      model,
      environment,
      name,
      hypothesis,
      arms,
      randomisationUnit: unit,
      primaryMetric: { ...metric(primary), ...(primary.margin.trim() ? { nonInferiorityMargin: num(primary.margin) / 100 } : {}) },
      secondaryMetrics: secondary.map(metric),
      guardrailMetrics: guardrails.map(metric),
      minimumDetectableEffect: num(mde) / 100,
      alpha: num(alpha),
      power: num(power),
      baseline,
      sequential: { enabled: sequential, nStar: num(nStar) },
      correction,
    };
    startTransition(async () => {
      const result = await createExperimentAction(input);
      setState(result);
      if (result.status === 'ok' && result.result) router.push(`/experiments/${result.result.id}`);
    });
  };

  if (targets.length === 0) return <p className="text-sm text-zinc-500">No model has a live version anywhere yet: an experiment compares a candidate with what is live. Release a first version, then come back.</p>;

  return (
    <form
      aria-label="Design an experiment"
      noValidate
      className="space-y-6"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <fieldset className="grid gap-3 sm:grid-cols-2">
        <legend className="mb-2 text-sm font-semibold">What and where</legend>
        <Field id="ex-name" label="Experiment name" errors={errors('name')}>
          <input id="ex-name" className={inputStyles} value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. Ranker 2.6 vs 2.4" aria-invalid={!!errors('name')} />
        </Field>
        <Field id="ex-unit" label="Randomisation unit" hint="A unit stays in one arm for the whole experiment">
          <select id="ex-unit" className={inputStyles} value={unit} onChange={(e) => setUnit(e.target.value)}>
            <option value="user">user</option>
            <option value="session">session</option>
            <option value="request">request</option>
          </select>
        </Field>
        <div className="sm:col-span-2">
          <Field id="ex-hypothesis" label="Hypothesis" hint="What you expect to change, by how much, and why" errors={errors('hypothesis')}>
            <textarea id="ex-hypothesis" rows={2} className={inputStyles} value={hypothesis} onChange={(e) => setHypothesis(e.target.value)} aria-invalid={!!errors('hypothesis')} />
          </Field>
        </div>
        <Field id="ex-model" label="Model" errors={errors('model')}>
          <select id="ex-model" className={inputStyles} value={model} onChange={(e) => chooseTarget(e.target.value)}>
            {targets.map((t) => (
              <option key={t.model} value={t.model}>{t.model}</option>
            ))}
          </select>
        </Field>
        <Field id="ex-environment" label="Environment" hint={control ? `Control: ${control}, live there now` : undefined} errors={errors('environment')}>
          <select id="ex-environment" className={inputStyles} value={environment} onChange={(e) => chooseTarget(model, e.target.value)}>
            {envs.map((env) => (
              <option key={env} value={env}>{env}</option>
            ))}
          </select>
        </Field>
      </fieldset>

      <fieldset className="space-y-2">
        <legend className="mb-2 text-sm font-semibold">Arms and allocation ({allocationTotal} % of 100 %)</legend>
        <div className="grid grid-cols-[1fr_8rem_auto] items-end gap-2">
          <Field id="ex-control" label="Control (live version)">
            <input id="ex-control" className={inputStyles} value={control} readOnly />
          </Field>
          <Field id="ex-control-allocation" label="Allocation %" errors={errors('arms.0.allocation')}>
            <input id="ex-control-allocation" type="number" min={1} max={99} className={inputStyles} value={controlAllocation} onChange={(e) => setControlAllocation(Number(e.target.value))} />
          </Field>
          <span />
          {treatments.map((t, i) => (
            <TreatmentRow
              key={i}
              index={i}
              row={t}
              candidates={candidates}
              errors={[...(errors(`arms.${i + 1}.version`) ?? []), ...(errors(`arms.${i + 1}.allocation`) ?? [])]}
              onChange={(row) => setTreatments(treatments.map((x, j) => (j === i ? row : x)))}
              onRemove={treatments.length > 1 ? () => setTreatments(treatments.filter((_, j) => j !== i)) : undefined}
            />
          ))}
        </div>
        {errors('arms')?.map((m) => (
          <p key={m} className="text-xs text-red-700" role="alert">{m}</p>
        ))}
        {treatments.length < 4 && (
          <button type="button" className={buttonStyles.secondary} onClick={() => setTreatments([...treatments, { version: candidates[0] ?? '', allocation: 0 }])}>
            Add a treatment
          </button>
        )}
      </fieldset>

      <fieldset className="space-y-3">
        <legend className="mb-2 text-sm font-semibold">Metrics</legend>
        <div className="grid gap-2 sm:grid-cols-4">
          <Field id="ex-primary-name" label="Primary metric" errors={errors('primaryMetric.name')}>
            <input id="ex-primary-name" className={inputStyles} value={primary.name} onChange={(e) => setPrimary({ ...primary, name: e.target.value })} />
          </Field>
          <Field id="ex-primary-type" label="Primary metric type">
            <select id="ex-primary-type" className={inputStyles} value={primary.type} onChange={(e) => setPrimary({ ...primary, type: e.target.value as MetricRow['type'] })}>
              <option value="binomial">binomial (converted or not)</option>
              <option value="continuous">continuous (a mean)</option>
            </select>
          </Field>
          <Field id="ex-primary-direction" label="Primary metric good direction">
            <select id="ex-primary-direction" className={inputStyles} value={String(primary.higherIsBetter)} onChange={(e) => setPrimary({ ...primary, higherIsBetter: e.target.value === 'true' })}>
              <option value="true">higher is better</option>
              <option value="false">lower is better</option>
            </select>
          </Field>
          <Field id="ex-primary-margin" label="Non-inferiority margin % (optional)" errors={errors('primaryMetric.nonInferiorityMargin')}>
            <input id="ex-primary-margin" type="number" step="0.1" className={inputStyles} value={primary.margin} onChange={(e) => setPrimary({ ...primary, margin: e.target.value })} placeholder="e.g. 1" />
          </Field>
        </div>
        <MetricRows title="Secondary metrics" noun="Secondary metric" prefix="secondaryMetrics" rows={secondary} setRows={setSecondary} errors={errors} directionLabel="good direction" />
        <MetricRows title="Guardrail metrics (must not get worse)" noun="Guardrail" prefix="guardrailMetrics" rows={guardrails} setRows={setGuardrails} errors={errors} directionLabel="good direction (the other is bad)" />
      </fieldset>

      <fieldset className="space-y-3">
        <legend className="mb-2 text-sm font-semibold">Statistics and sample size</legend>
        <div className="grid gap-2 sm:grid-cols-4">
          <Field id="ex-mde" label="Minimum detectable effect %" hint="relative, e.g. 2 = a 2 % lift" errors={errors('minimumDetectableEffect')}>
            <input id="ex-mde" type="number" step="0.1" className={inputStyles} value={mde} onChange={(e) => setMde(e.target.value)} />
          </Field>
          <Field id="ex-alpha" label="Alpha" errors={errors('alpha')}>
            <input id="ex-alpha" type="number" step="0.01" className={inputStyles} value={alpha} onChange={(e) => setAlpha(e.target.value)} />
          </Field>
          <Field id="ex-power" label="Power" errors={errors('power')}>
            <input id="ex-power" type="number" step="0.05" className={inputStyles} value={power} onChange={(e) => setPower(e.target.value)} />
          </Field>
          {primary.type === 'binomial' ? (
            <Field id="ex-rate" label="Baseline rate %" hint="the control's conversion rate" errors={errors('baseline.rate') ?? errors('baseline')}>
              <input id="ex-rate" type="number" step="0.1" className={inputStyles} value={rate} onChange={(e) => setRate(e.target.value)} />
            </Field>
          ) : (
            <div className="grid grid-cols-2 gap-2">
              <Field id="ex-mean" label="Baseline mean" errors={errors('baseline.mean') ?? errors('baseline')}>
                <input id="ex-mean" type="number" className={inputStyles} value={meanValue} onChange={(e) => setMeanValue(e.target.value)} />
              </Field>
              <Field id="ex-variance" label="Variance" errors={errors('baseline.variance')}>
                <input id="ex-variance" type="number" className={inputStyles} value={variance} onChange={(e) => setVariance(e.target.value)} />
              </Field>
            </div>
          )}
        </div>
        <div className="grid gap-2 sm:grid-cols-4">
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" checked={sequential} onChange={(e) => setSequential(e.target.checked)} /> Sequential testing (safe to watch)
          </label>
          <Field id="ex-nstar" label="Tuning N* (units)" hint="where the confidence sequence is tightest" errors={errors('sequential.nStar')}>
            <input id="ex-nstar" type="number" className={inputStyles} value={nStar} disabled={!sequential} onChange={(e) => setNStar(e.target.value)} />
          </Field>
          <Field id="ex-correction" label="Multiple comparisons">
            <select id="ex-correction" className={inputStyles} value={correction} onChange={(e) => setCorrection(e.target.value)}>
              <option value="holm">Holm–Bonferroni</option>
              <option value="benjamini_hochberg">Benjamini–Hochberg</option>
              <option value="none">none</option>
            </select>
          </Field>
        </div>
        <p className="rounded-md bg-zinc-50 p-3 text-sm dark:bg-zinc-800" data-testid="sample-size" aria-live="polite">
          {typeof perArm === 'number' ? (
            <>
              Needs <strong>{perArm.toLocaleString('en')}</strong> units per arm ({(perArm * arms.length).toLocaleString('en')} in all)
              {days !== null ? (
                <>
                  , about <strong>{days} day{days === 1 ? '' : 's'}</strong> at the {Math.round(unitsPerDay!).toLocaleString('en')} units/day {model} sees in {environment} now.
                </>
              ) : (
                '; no current traffic is reported for this model there, so no duration.'
              )}
            </>
          ) : (
            <>Sample size: {perArm}</>
          )}
        </p>
      </fieldset>

      {state?.status === 'error' && (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          {state.message}
        </p>
      )}
      <button type="submit" className={buttonStyles.primary} disabled={pending}>
        {pending ? 'Creating…' : 'Create experiment'}
      </button>
    </form>
  );
}

function TreatmentRow({ index, row, candidates, errors, onChange, onRemove }: { index: number; row: ArmRow; candidates: string[]; errors: string[]; onChange: (row: ArmRow) => void; onRemove?: () => void }) {
  const id = `ex-treatment-${index}`;
  return (
    <>
      <Field id={id} label={`Treatment ${index + 1}`} errors={errors.length ? errors : undefined}>
        <select id={id} className={inputStyles} value={row.version} onChange={(e) => onChange({ ...row, version: e.target.value })}>
          {candidates.length === 0 && <option value="">no other version registered</option>}
          {candidates.map((v) => (
            <option key={v} value={v}>{v}</option>
          ))}
        </select>
      </Field>
      <Field id={`${id}-allocation`} label="Allocation %">
        <input id={`${id}-allocation`} type="number" min={1} max={99} className={inputStyles} value={row.allocation} onChange={(e) => onChange({ ...row, allocation: Number(e.target.value) })} />
      </Field>
      {onRemove ? (
        <button type="button" className={buttonStyles.secondary} onClick={onRemove} aria-label={`Remove treatment ${index + 1}`}>
          Remove
        </button>
      ) : (
        <span />
      )}
    </>
  );
}

function MetricRows({ title, noun, prefix, rows, setRows, errors, directionLabel }: { title: string; noun: string; prefix: string; rows: MetricRow[]; setRows: (rows: MetricRow[]) => void; errors: (f: string) => string[] | undefined; directionLabel: string }) {
  return (
    <div className="space-y-2">
      <p className="text-xs font-medium text-zinc-700 dark:text-zinc-300">{title}</p>
      {rows.map((row, i) => (
        <div key={i} className="grid items-end gap-2 sm:grid-cols-[1fr_1fr_1fr_auto]">
          <Field id={`${prefix}-${i}-name`} label={`${noun} ${i + 1} name`} errors={errors(`${prefix}.${i}.name`)}>
            <input id={`${prefix}-${i}-name`} className={inputStyles} value={row.name} onChange={(e) => setRows(rows.map((r, j) => (j === i ? { ...r, name: e.target.value } : r)))} />
          </Field>
          <Field id={`${prefix}-${i}-type`} label={`${noun} ${i + 1} type`}>
            <select id={`${prefix}-${i}-type`} className={inputStyles} value={row.type} onChange={(e) => setRows(rows.map((r, j) => (j === i ? { ...r, type: e.target.value as MetricRow['type'] } : r)))}>
              <option value="binomial">binomial</option>
              <option value="continuous">continuous</option>
            </select>
          </Field>
          <Field id={`${prefix}-${i}-direction`} label={`${noun} ${i + 1} ${directionLabel}`}>
            <select id={`${prefix}-${i}-direction`} className={inputStyles} value={String(row.higherIsBetter)} onChange={(e) => setRows(rows.map((r, j) => (j === i ? { ...r, higherIsBetter: e.target.value === 'true' } : r)))}>
              <option value="true">higher is better</option>
              <option value="false">lower is better</option>
            </select>
          </Field>
          <button type="button" className={buttonStyles.secondary} onClick={() => setRows(rows.filter((_, j) => j !== i))} aria-label={`Remove ${row.name || 'metric'}`}>
            Remove
          </button>
        </div>
      ))}
      <button type="button" className={buttonStyles.secondary} onClick={() => setRows([...rows, { name: '', type: 'continuous', higherIsBetter: true }])}>
        Add {noun.toLowerCase()}
      </button>
    </div>
  );
}
