import { Badge } from '@/components/ui/badge';
import type { MetricResult } from '@/lib/domain/experiment-results';
import { bound, formatInterval, formatPercent, isControl, toPercent, versionOf } from './chart-rows';
import { mean, pValue } from './format';

const VERDICT = { better: { tone: 'green', label: 'better' }, worse: { tone: 'red', label: 'worse' }, inconclusive: { tone: 'neutral', label: 'not significant' } } as const;

/**
 * One metric, one row per arm: units, conversions or mean, then for each treatment the lift with
 * its interval, the p-value (adjusted where a correction applies), the verdict and — for goal
 * metrics — the chance of being better than control.
 */
export function MetricTable({ metric, adjusted }: { metric: MetricResult; adjusted: boolean }) {
  const binomial = metric.type === 'binomial';
  const guardrail = metric.role === 'guardrail';
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm" aria-label={`${metric.name} per arm`}>
        <thead className="text-xs text-zinc-500">
          <tr>
            <th className="py-1 pr-3 font-medium">Arm</th>
            <th className="py-1 pr-3 text-right font-medium">Units</th>
            {binomial && <th className="py-1 pr-3 text-right font-medium">Conversions</th>}
            <th className="py-1 pr-3 text-right font-medium">{binomial ? 'Rate' : 'Mean'}</th>
            <th className="py-1 pr-3 text-right font-medium">Lift</th>
            <th className="py-1 pr-3 font-medium">{guardrail ? 'One-sided interval' : `${adjusted ? 'Adjusted i' : 'I'}nterval`}</th>
            <th className="py-1 pr-3 text-right font-medium">{adjusted && !guardrail ? 'Adj. p-value' : 'p-value'}</th>
            <th className="py-1 pr-3 font-medium">Significance</th>
            {!guardrail && <th className="py-1 text-right font-medium">Chance to beat control</th>}
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
          {metric.arms.map((arm) => {
            const c = metric.comparisons.find((x) => x.arm === arm.key);
            return (
              <tr key={arm.key}>
                <th scope="row" className="py-1.5 pr-3 font-medium">{isControl(arm.key) ? 'control' : versionOf(arm.key)}</th>
                <td className="py-1.5 pr-3 text-right tabular-nums">{arm.units.toLocaleString('en')}</td>
                {binomial && <td className="py-1.5 pr-3 text-right tabular-nums">{arm.conversions?.toLocaleString('en') ?? '—'}</td>}
                <td className="py-1.5 pr-3 text-right tabular-nums">{mean(arm.mean, binomial)}</td>
                {!c ? (
                  <td colSpan={guardrail ? 4 : 5} className="py-1.5 text-xs text-zinc-500">baseline for the comparisons</td>
                ) : c.status !== 'ok' ? (
                  <td colSpan={guardrail ? 4 : 5} className="py-1.5 text-xs text-zinc-500">{c.message}</td>
                ) : (
                  <>
                    <td className="py-1.5 pr-3 text-right tabular-nums">{formatPercent(toPercent(c.lift))}</td>
                    <td className="py-1.5 pr-3 tabular-nums">{formatInterval(toPercent(bound(c.ci[0], 'lo')), toPercent(bound(c.ci[1], 'hi')))}</td>
                    <td className="py-1.5 pr-3 text-right tabular-nums">{pValue(c.adjustedPValue)}</td>
                    <td className="py-1.5 pr-3">
                      <Badge tone={VERDICT[c.verdict].tone}>{guardrail && c.verdict === 'inconclusive' ? 'not worse (so far)' : VERDICT[c.verdict].label}</Badge>
                      {c.nonInferior === true && <span className="ml-1 text-xs text-green-700">non-inferior</span>}
                    </td>
                    {!guardrail && <td className="py-1.5 text-right tabular-nums">{c.bayesian ? `${(c.bayesian.chanceToBeatControl * 100).toFixed(1)} %` : '—'}</td>}
                  </>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
