'use client';

import { Badge } from '@/components/ui/badge';
import { Panel } from '@/components/ui/panel';
import { formatHours } from '@/lib/domain/experiment-results';
import type { ExperimentResultsView } from '@/lib/queries/experiments';
import { DecisionPanel } from './decision-panel';
import { ForestPlot, LiftOverTime, UnitsPerArm } from '@/components/charts/lazy-charts';
import { MetricTable } from './metric-table';
import { useExperimentResults } from './use-experiment-results';

const CORRECTION = { none: 'no correction', holm: 'Holm–Bonferroni (family-wise error)', benjamini_hochberg: 'Benjamini–Hochberg (false discovery rate)' } as const;

/**
 * Everything the experiment page shows below its header, refreshed every 3 s while it runs: the
 * SRM banner, the recommendation with the decisions, per-metric tables and forest plots, the
 * lift over time and the units per arm against the plan.
 */
export function ExperimentView({ initial, canDecide, whyNot }: { initial: ExperimentResultsView; canDecide: boolean; whyNot: string }) {
  const e = initial.experiment;
  const live = e.status === 'running' || e.status === 'paused';
  const query = useExperimentResults(e.id, initial, live);
  const { results, series, simulated, experiment } = query.data;
  const { method, srm, progress } = results;
  const goals = results.metrics.filter((m) => m.role !== 'guardrail');
  const guardrails = results.metrics.filter((m) => m.role === 'guardrail');
  const adjusted = method.correction !== 'none';
  const open = experiment.status === 'running' || experiment.status === 'paused';
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center gap-2 text-xs text-zinc-500">
        {simulated && <Badge tone="amber">simulated traffic (demo simulator)</Badge>}
        {query.isError ? <span className="text-amber-700">● connection lost; showing the last data</span> : live && <span><span className="text-green-600">●</span> live, every 3 s</span>}
        <span data-testid="method">
          {method.description} · α = {method.alpha} · {CORRECTION[method.correction]}
          {method.comparisons > 1 && ` over ${method.comparisons} goal comparisons (guardrails excluded)`}
        </span>
      </div>

      {srm.status === 'ok' && srm.flagged && (
        <div role="alert" className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-200" data-testid="srm-banner">
          <strong>Sample ratio mismatch.</strong> Units per arm {srm.unitsPerArm.map((u) => u.toLocaleString('en')).join(' / ')} do not match the planned {srm.allocation.join(' / ')} split (χ² = {srm.statistic.toFixed(2)}, df = {srm.df}, p = {srm.pValue.toExponential(2)} &lt; 0.001). Assignment or logging is broken, so every comparison below is suspect; shipping is blocked until it is fixed.
        </div>
      )}

      <div className="grid gap-4 lg:grid-cols-3">
        <Panel title="Decision" className="lg:col-span-2">
          {experiment.decision ? (
            <p className="text-sm" data-testid="decided">
              Decided <strong>{experiment.decision === 'ship' ? `ship ${experiment.shippedVersion}` : 'roll back'}</strong> by {experiment.decidedBy}: “{experiment.decisionReason}”.
              {experiment.promotionReleaseId && (
                <>
                  {' '}
                  <a className="underline" href={`/releases/${experiment.promotionReleaseId}`}>
                    The promotion release
                  </a>{' '}
                  carries it from here.
                </>
              )}
            </p>
          ) : (
            <DecisionPanel experimentId={experiment.id} name={experiment.name} treatments={experiment.design.arms.slice(1).map((a) => a.version)} decision={results.decision} open={open} allowed={canDecide} whyNot={whyNot} />
          )}
        </Panel>
        <Panel title="Sample size">
          <dl className="grid grid-cols-2 gap-y-1 text-sm">
            <dt className="text-zinc-500">Planned per arm</dt>
            <dd className="text-right tabular-nums">{progress.plannedPerArm.toLocaleString('en')}</dd>
            <dt className="text-zinc-500">Smallest arm</dt>
            <dd className="text-right tabular-nums">{progress.minArmUnits.toLocaleString('en')}</dd>
            <dt className="text-zinc-500">Progress</dt>
            <dd className="text-right tabular-nums">{(progress.fraction * 100).toFixed(1)} %</dd>
            <dt className="text-zinc-500">Traffic</dt>
            <dd className="text-right tabular-nums">{progress.unitsPerHour === null ? '—' : `${Math.round(progress.unitsPerHour).toLocaleString('en')} units/h`}</dd>
            <dt className="text-zinc-500">Time to plan</dt>
            <dd className="text-right tabular-nums">{progress.remainingHours === null ? '—' : progress.remainingHours === 0 ? 'reached' : formatHours(progress.remainingHours)}</dd>
            <dt className="text-zinc-500">SRM check</dt>
            <dd className="text-right tabular-nums">{srm.status === 'ok' ? `p = ${srm.pValue.toPrecision(3)}` : 'no units yet'}</dd>
          </dl>
        </Panel>
      </div>

      {goals.map((metric) => (
        <Panel key={metric.name} title={`${metric.role === 'primary' ? 'Primary' : 'Secondary'} metric: ${metric.name} (${metric.higherIsBetter ? 'higher is better' : 'lower is better'})`}>
          <MetricTable metric={metric} adjusted={adjusted} />
          <div className="mt-3">
            <ForestPlot metric={metric} arms={results.arms} />
          </div>
        </Panel>
      ))}

      <Panel title="Guardrails (one-sided: is a treatment worse?)">
        {guardrails.length === 0 ? (
          <p className="text-sm text-zinc-500">No guardrail metrics were set for this experiment.</p>
        ) : (
          <div className="space-y-4">
            {guardrails.map((metric) => (
              <div key={metric.name}>
                <h3 className="mb-1 text-sm font-medium">
                  {metric.name} <span className="font-normal text-zinc-500">({metric.higherIsBetter ? 'a decrease is bad' : 'an increase is bad'})</span>
                </h3>
                <MetricTable metric={metric} adjusted={false} />
                <div className="mt-2">
                  <ForestPlot metric={metric} arms={results.arms} />
                </div>
              </div>
            ))}
          </div>
        )}
      </Panel>

      <div className="grid gap-4 lg:grid-cols-2">
        <Panel title={`Lift over time: ${experiment.design.primaryMetric.name}`}>
          <LiftOverTime series={series} arms={results.arms} alphaLabel={`${Math.round((1 - method.alpha) * 100)} % ${method.test === 'sequential' ? 'confidence sequence' : 'confidence interval'}`} />
        </Panel>
        <Panel title="Units per arm against the plan">
          <UnitsPerArm series={series} arms={results.arms} plannedPerArm={progress.plannedPerArm} />
        </Panel>
      </div>
    </div>
  );
}
