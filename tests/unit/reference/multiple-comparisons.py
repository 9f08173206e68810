"""Reference values for tests/unit/multiple-comparisons.test.ts and tests/unit/bayesian-effect.test.ts.

Run: /usr/bin/python3 tests/unit/reference/multiple-comparisons.py
     (Debian's python3-statsmodels: `apt-get install -y python3-statsmodels`; statsmodels 0.13.5,
     scipy 1.10.1, numpy 1.24.2, mpmath 1.2.1 — the system Python, since apt installs statsmodels
     there and not into the scipy 1.17.1 Python that runs experiment-stats.py)

- Holm and Benjamini–Hochberg: statsmodels.stats.multitest.multipletests(method='holm' / 'fdr_bh').
  The script also runs GrowthBook's own procedure (adjustPValuesHolmBonferroni /
  adjustPValuesBenjaminiHochberg in packages/shared experiments.ts, ANCHORS-ML §B.2) written out in
  Python and asserts that it gives statsmodels' numbers.
- Adjusted CI (gbstats adjustedCI): sd_adj = |lift / Φ⁻¹(1 − p/2)|, CI = lift ± Φ⁻¹(1 − α/2)·sd_adj,
  with scipy.stats.norm. Φ⁻¹(1 − q) is taken as norm.isf(q): the same number, but 1 − q in floating
  point would drop the digits of a small q.
- Bayesian effect (gbstats EffectBayesianABTest): posterior N(μ, σ²) from the flat or the
  precision-weighted proper prior; chanceToWin = norm.sf(0, μ, σ), CI = norm.ppf([α/2, 1 − α/2], μ, σ),
  risk = [E[max(δ, 0)], E[max(−δ, 0)]] by the closed form μΦ(μ/σ) + σφ(μ/σ) in 50-digit mpmath (in
  doubles it cancels far in the left tail), checked against the same closed form with
  scipy.stats.norm and against gbstats' own route (P(δ > 0)·truncated-normal mean, scipy.stats.truncnorm).
"""
import json
import math

import mpmath
import numpy as np
from scipy import stats
from statsmodels.stats.multitest import multipletests


def out(name, value):
    print(f"const {name} = {json.dumps(value)};")


# --- p-value adjustments ---------------------------------------------------------------------------
def gb_holm(p):
    m = len(p)
    order = sorted(range(m), key=lambda i: p[i])  # stable, ascending
    adj = [0.0] * m
    running = 0.0
    for i, idx in enumerate(order):
        running = max(running, min(p[idx] * (m - i), 1.0))
        adj[idx] = running
    return adj


def gb_bh(p):
    m = len(p)
    order = sorted(range(m), key=lambda i: -p[i])  # stable, descending
    adj = [0.0] * m
    running = 1.0
    for i, idx in enumerate(order):
        running = min(running, min(p[idx] * m / (m - i), 1.0))
        adj[idx] = running
    return adj


rng = np.random.default_rng(20240601)
vectors = {
    "mixed": [0.01, 0.04, 0.03, 0.005, 0.2],
    "ties": [0.02, 0.02, 0.02, 0.5, 0.01, 0.01],
    "ones": [1.0, 0.3, 1.0, 0.04],
    "zeros": [0.0, 0.0, 0.03, 0.8],
    "single": [0.03],
    "allLarge": [0.6, 0.7, 0.9],
    "twenty": [float(x) for x in rng.uniform(size=20) ** 3],
}
adjusted = {}
for name, p in vectors.items():
    holm = [float(x) for x in multipletests(p, method="holm")[1]]
    bh = [float(x) for x in multipletests(p, method="fdr_bh")[1]]
    assert np.allclose(holm, gb_holm(p), rtol=1e-14, atol=0), name
    assert np.allclose(bh, gb_bh(p), rtol=1e-14, atol=0), name
    adjusted[name] = {"p": p, "holm": holm, "benjamini_hochberg": bh}
out("ADJUSTED", adjusted)


# --- adjusted confidence intervals -------------------------------------------------------------------
def adjusted_ci(lift, p, alpha):
    sd = abs(lift / stats.norm.isf(p / 2))
    w = stats.norm.isf(alpha / 2) * sd
    return [lift - w, lift + w]


ci_cases = [
    [0.08, 0.0745989365936749, 0.05],  # compareArms 'binomial' case: p unadjusted
    [0.08, 0.2, 0.05],
    [-0.05, 0.001, 0.05],
    [0.15, 0.0123, 0.1],
    [0.02, 1e-12, 0.05],
    [-0.3, 0.9, 0.05],
    [0.1, 0.0499, 0.05],
    [0.1, 0.0501, 0.05],
    [0.07, 0.5, 0.01],
    [-0.004, 0.999, 0.05],
]
out("ADJUSTED_CI", [[*c, adjusted_ci(*c)] for c in ci_cases])


# --- Bayesian effect ---------------------------------------------------------------------------------
def bayes(lift, se, alpha=0.05, prior_mean=None, prior_sd=None):
    if prior_sd is None:
        mu, sd = lift, se
    else:
        m0 = 0.0 if prior_mean is None else prior_mean
        prec = 1 / se**2 + 1 / prior_sd**2
        mu, sd = (lift / se**2 + m0 / prior_sd**2) / prec, math.sqrt(1 / prec)
    z = mu / sd
    ctw = float(stats.norm.sf(0, mu, sd))
    ci = [float(x) for x in stats.norm.ppf([alpha / 2, 1 - alpha / 2], mu, sd)]
    # 50 digits: E[max(δ, 0)] = μΦ(z) + σφ(z), where doubles lose digits to cancellation far in the
    # left tail (scipy's closed form is off by 5e-11 at z = −30); the printed risks are these.
    mpmath.mp.dps = 50
    mmu, msd = mpmath.mpf(mu), mpmath.mpf(sd)
    pos = lambda m: m * mpmath.ncdf(m / msd) + msd * mpmath.npdf(m / msd)
    risk_ctrl, risk_trt = float(pos(mmu)), float(pos(-mmu))
    assert math.isclose(float(mpmath.ncdf(mmu / msd)), ctw, rel_tol=1e-12)
    # The same with scipy.stats.norm in doubles ...
    assert math.isclose(float(mu * stats.norm.cdf(z) + sd * stats.norm.pdf(z)), risk_ctrl, rel_tol=1e-9), (lift, se)
    assert math.isclose(float(-mu * stats.norm.cdf(-z) + sd * stats.norm.pdf(z)), risk_trt, rel_tol=1e-9), (lift, se)
    # ... and by gbstats' route: P(δ > 0)·E[δ | δ > 0] and P(δ < 0)·(−E[δ | δ < 0]).
    if abs(z) < 5:
        p_ctrl_better = stats.norm.cdf(0, mu, sd)
        mn_pos = stats.truncnorm.mean((0 - mu) / sd, np.inf, loc=mu, scale=sd)
        mn_neg = stats.truncnorm.mean(-np.inf, (0 - mu) / sd, loc=mu, scale=sd)
        assert math.isclose((1 - p_ctrl_better) * mn_pos, risk_ctrl, rel_tol=1e-9)
        assert math.isclose(-p_ctrl_better * mn_neg, risk_trt, rel_tol=1e-9)
    return {"chanceToWin": ctw, "credibleInterval": ci, "risk": {"control": risk_ctrl, "treatment": risk_trt},
            "posterior": {"mean": mu, "sd": sd}}


# compareArms 'binomial' case of experiment-stats.py: 10,000 units per arm, 1000 vs 1080 conversions.
binomial_lift, binomial_se = 0.07999999999999993, 0.0448678058300158
bayes_cases = {
    "binomialFlat": {"lift": binomial_lift, "se": binomial_se},
    "binomialProperPrior": {"lift": binomial_lift, "se": binomial_se, "priorMean": 0.0, "priorSd": 0.3},
    "negative": {"lift": -0.02, "se": 0.01},
    "zero": {"lift": 0.0, "se": 0.05},
    "alpha10": {"lift": 0.15, "se": 0.051, "alpha": 0.1},
    "strongPriorAlpha10": {"lift": 0.5, "se": 0.4, "alpha": 0.1, "priorMean": 0.1, "priorSd": 0.2},
    "priorAgainst": {"lift": 0.12, "se": 0.03, "priorMean": -0.05, "priorSd": 0.02},
    "farTail": {"lift": 0.4, "se": 0.05},
    "veryFarTail": {"lift": -0.9, "se": 0.03},
    "hugeSe": {"lift": 0.01, "se": 1.0},
}
out("BAYES", {k: {"input": c, "expected": bayes(c["lift"], c["se"], c.get("alpha", 0.05), c.get("priorMean"), c.get("priorSd"))}
              for k, c in bayes_cases.items()})
