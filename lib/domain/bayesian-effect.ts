import { normalCdf, normalQuantile } from './statistics';

/**
 * GrowthBook's Bayesian engine (gbstats `EffectBayesianABTest`, ANCHORS-ML §B.2) on top of the
 * frequentist estimate: the relative lift Δ and its standard error SE (from compareArms in
 * ./experiment-stats) are a Gaussian likelihood for the true lift δ, so
 * - flat (improper) prior, GrowthBook's default: δ | data ~ N(Δ, SE²);
 * - proper prior N(m₀, s₀²) (GrowthBook's default proper prior is m₀ = 0, s₀ = 0.3 on the relative
 *   lift): precision-weighted, 1/sd² = 1/SE² + 1/s₀², mean = (Δ/SE² + m₀/s₀²)·sd².
 * From the posterior N(μ, σ²):
 * - chanceToWin = P(δ > 0) = Φ(μ/σ);
 * - credibleInterval = [μ + Φ⁻¹(α/2)·σ, μ + Φ⁻¹(1 − α/2)·σ];
 * - risk.control = E[max(δ, 0)], the expected lift given up by keeping control ("risk of choosing
 *   control"); risk.treatment = E[max(−δ, 0)], the expected loss from shipping treatment. Closed
 *   form E[max(δ, 0)] = μΦ(μ/σ) + σφ(μ/σ) (gbstats computes the same as P·truncated-normal mean),
 *   so risk.control − risk.treatment = μ.
 *
 * Pure function on plain numbers. se ≤ 0 or any non-finite input throws a RangeError.
 */

export type BayesianEffectInput = {
  /** estimated relative lift Δ */
  lift: number;
  /** its standard error (> 0) */
  se: number;
  /** 1 − credibility of the interval; default 0.05 */
  alpha?: number;
  /** proper prior N(priorMean, priorSd²) on the lift; without priorSd the prior is flat */
  priorMean?: number;
  priorSd?: number;
};

export type BayesianEffect = {
  chanceToWin: number;
  credibleInterval: [number, number];
  risk: { control: number; treatment: number };
  posterior: { mean: number; sd: number };
};

const ONE_OVER_SQRT_2PI = 0.398942280401432677939946059934;

/** φ(z), with exp(−z²/2) split as in R's pnorm.c so that the square keeps its digits in the tails. */
function normalPdf(z: number): number {
  const x = Math.abs(z);
  const xsq = Math.trunc(x * 16) / 16;
  const del = (x - xsq) * (x + xsq);
  return ONE_OVER_SQRT_2PI * Math.exp(-xsq * xsq * 0.5) * Math.exp(-del * 0.5);
}

/**
 * E[max(δ, 0)] for δ ~ N(μ, σ²) = μΦ(z) + σφ(z), z = μ/σ. For z < 0 the two terms cancel to about
 * φ(z)/z² of their size φ(z), so the relative error grows like z²·1e-16: still below 1e-12 at
 * z = −37.5, where φ(z) underflows and the risk is 0 to double precision anyway.
 */
function positivePartMean(mu: number, sigma: number): number {
  const z = mu / sigma;
  return mu * normalCdf(z) + sigma * normalPdf(z);
}

function requireFinite(name: string, value: number): void {
  if (!Number.isFinite(value)) throw new RangeError(`${name} must be a finite number, got ${value}`);
}

export function bayesianEffect({ lift, se, alpha = 0.05, priorMean, priorSd }: BayesianEffectInput): BayesianEffect {
  requireFinite('lift', lift);
  if (!(se > 0 && Number.isFinite(se))) throw new RangeError(`se must be a finite number > 0, got ${se}`);
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be in (0, 1), got ${alpha}`);
  let mean = lift;
  let sd = se;
  if (priorSd !== undefined) {
    if (!(priorSd > 0 && Number.isFinite(priorSd))) throw new RangeError(`priorSd must be a finite number > 0, got ${priorSd}`);
    const m0 = priorMean ?? 0;
    requireFinite('priorMean', m0);
    const dataPrecision = 1 / (se * se);
    const priorPrecision = 1 / (priorSd * priorSd);
    const precision = dataPrecision + priorPrecision;
    mean = (lift * dataPrecision + m0 * priorPrecision) / precision;
    sd = Math.sqrt(1 / precision);
  } else if (priorMean !== undefined) {
    throw new RangeError('priorMean needs priorSd (without it the prior is flat)');
  }
  const z = -normalQuantile(alpha / 2);
  return {
    chanceToWin: normalCdf(mean / sd),
    credibleInterval: [mean - z * sd, mean + z * sd],
    risk: { control: positivePartMean(mean, sd), treatment: positivePartMean(-mean, sd) },
    posterior: { mean, sd },
  };
}
