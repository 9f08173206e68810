"""Reference values for tests/unit/experiment-stats.test.ts and tests/unit/sample-size.test.ts.

Run: python3 tests/unit/reference/experiment-stats.py   (scipy 1.17.1, numpy)

Everything distributional comes from scipy.stats (t.cdf/t.ppf, chi2.sf, chisquare, norm.ppf,
ttest_ind_from_stats); the GrowthBook-specific formulas (delta-method relative lift, the
Waudby-Smith asymptotic confidence sequence) are written out here exactly as ANCHORS-ML §B.2
describes gbstats, on top of scipy's distributions, so the TypeScript is checked against an
independent implementation.
"""
import json
import math

import numpy as np
from scipy import optimize, stats


def out(name, value):
    print(f"{name} = {json.dumps(value)}")


# --- Student t ---------------------------------------------------------------------------------
dfs = [1, 2, 3, 5.5, 10, 30, 100, 1000, 1e4, 1e5, 1e6, 1e7, 1e9]
ts = [-40.0, -8.0, -3.0, -1.5, -0.1, 0.0, 0.5, 2.0, 6.0]
out("T_CDF", [[d, t, float(stats.t.cdf(t, d))] for d in dfs for t in ts])
ps = [1e-10, 0.001, 0.025, 0.3, 0.9, 0.975, 0.9999]
out("T_PPF", [[d, p, float(stats.t.ppf(p, d))] for d in dfs for p in ps])

# --- chi-square survival ------------------------------------------------------------------------
out("CHI2_SF", [[x, k, float(stats.chi2.sf(x, k))] for k in [1, 2, 3, 5, 9] for x in [0.0, 0.01, 0.5, 1.0, 3.84, 7.0, 20.0, 45.0, 120.0]])


# --- compareArms ----------------------------------------------------------------------------------
def moments(arm, kind):
    if kind == "binomial":
        n, c = arm
        p = c / n
        return n, p, p * (1 - p)
    n, s, ss = arm
    return n, s / n, max(0.0, (ss - s * s / n) / (n - 1))


def compare(a, b, kind, alpha=0.05, sides=2, alternative="greater"):
    na, ma, va = moments(a, kind)
    nb, mb, vb = moments(b, kind)
    lift = (mb - ma) / abs(ma)
    rel_var = vb / nb / ma**2 + va / na * mb**2 / ma**4
    se = math.sqrt(rel_var)
    abs_se = math.sqrt(va / na + vb / nb)
    df = (va / na + vb / nb) ** 2 / ((vb / nb) ** 2 / (nb - 1) + (va / na) ** 2 / (na - 1))
    z = lift / se
    if sides == 2:
        p = 2 * stats.t.sf(abs(z), df)
        w = stats.t.ppf(1 - alpha / 2, df)
        rel_ci, abs_ci = [lift - w * se, lift + w * se], [mb - ma - w * abs_se, mb - ma + w * abs_se]
    else:
        w = stats.t.ppf(1 - alpha, df)
        if alternative == "greater":
            p = stats.t.sf(z, df)
            rel_ci, abs_ci = [lift - w * se, None], [mb - ma - w * abs_se, None]
        else:
            p = stats.t.cdf(z, df)
            rel_ci, abs_ci = [None, lift + w * se], [None, mb - ma + w * abs_se]
    # Cross-check the absolute Welch test against scipy's own implementation (same df).
    welch = stats.ttest_ind_from_stats(mb, math.sqrt(vb), nb, ma, math.sqrt(va), na, equal_var=False)
    abs_p = float(welch.pvalue)
    return dict(meanA=ma, meanB=mb, absoluteDiff=mb - ma, relativeLift=lift, relativeCi=rel_ci, absoluteCi=abs_ci,
                pValue=float(p), df=df, se=se, absoluteSe=abs_se, scipyWelchAbsoluteP=abs_p)


rng = np.random.default_rng(20240601)
xa = rng.gamma(2.0, 10.0, 500)
xb = rng.gamma(2.0, 10.6, 480)
ca = [500, float(xa.sum()), float((xa**2).sum())]
cb = [480, float(xb.sum()), float((xb**2).sum())]
const = [100, 500.0, 2500.0]  # every value 5: zero variance
cases = {
    "binomial": ("binomial", [10000, 1000], [10000, 1080], {}),
    "binomialGreater": ("binomial", [10000, 1000], [10000, 1080], {"sides": 1, "alternative": "greater"}),
    "binomialLess": ("binomial", [10000, 1000], [10000, 1080], {"sides": 1, "alternative": "less"}),
    "binomialTiny": ("binomial", [20, 3], [25, 7], {}),
    "binomialHuge": ("binomial", [5000000, 250000], [5000000, 251500], {}),
    "binomialAllConvertTreatment": ("binomial", [50, 25], [40, 40], {}),
    "binomialAllConvertControl": ("binomial", [40, 40], [50, 45], {"alpha": 0.1}),
    "continuous": ("continuous", ca, cb, {}),
    "continuousZeroVarianceControl": ("continuous", const, cb, {}),
}
res = {}
for name, (kind, a, b, opts) in cases.items():
    res[name] = {"kind": kind, "a": a, "b": b, "opts": opts, "expected": compare(a, b, kind, **opts)}
# The raw-data Welch test (scipy.stats.ttest_ind) must give the same df and absolute p-value.
raw = stats.ttest_ind(xb, xa, equal_var=False)
assert math.isclose(float(raw.df), res["continuous"]["expected"]["df"], rel_tol=1e-10)
assert math.isclose(float(raw.pvalue), res["continuous"]["expected"]["scipyWelchAbsoluteP"], rel_tol=1e-10)
out("COMPARE", res)


# --- sequential (Waudby-Smith et al. 2023 as in gbstats, ANCHORS-ML §B.2) -------------------------
def rho2(alpha, nstar):
    return (-2 * math.log(alpha) + math.log(1 - 2 * math.log(alpha))) / nstar


def multiplier(n, alpha, nstar, sides):
    r2 = rho2(alpha if sides == 2 else 2 * alpha, nstar)
    v = n * r2 + 1
    lg = math.log(math.sqrt(v) / alpha) if sides == 2 else math.log(1 + math.sqrt(v) / (2 * alpha))
    return math.sqrt(2 * v * lg / (n * r2))


def eppo_multiplier(t, alpha, ntune):  # eppo-docs statistical-nitty-gritty.md, c = 1 − alpha
    rho = ntune / (math.log(math.log(math.e / alpha**2)) - 2 * math.log(alpha))
    return math.sqrt((t + rho) * math.log((t + rho) / (rho * alpha**2)) / t)


out("SEQ_MULTIPLIERS", [[n, multiplier(n, 0.05, 5000, 2)] for n in [1000, 5000, 20000, 100000]])
out("EPPO_MULTIPLIERS", [[t, eppo_multiplier(t, 0.05, 10000)] for t in [1000, 10000, 100000]])
out("SEQ_ONE_SIDED_MULTIPLIERS", [[n, multiplier(n, 0.05, 5000, 1)] for n in [1000, 5000, 20000]])


def sequential(a, b, kind, alpha=0.05, sides=2, alternative="greater", nstar=5000):
    c = compare(a, b, kind, alpha, sides, alternative)
    n = a[0] + b[0]
    z = c["relativeLift"] / c["se"]
    m = multiplier(n, alpha, nstar, sides)
    if sides == 2:
        r2 = rho2(alpha, nstar)
        v = n * r2 + 1
        p = min(1.0, math.sqrt(v) * math.exp(-(r2 * n * z * z) / (2 * v)))
        ci = [c["relativeLift"] - m * c["se"], c["relativeLift"] + m * c["se"]]
    else:
        toward = z if alternative == "greater" else -z
        f = lambda al: toward - multiplier(n, al, nstar, 1)
        # The multiplier is not monotone in alpha (it rises again near 1/2): bracket below its minimum.
        best = optimize.minimize_scalar(lambda al: multiplier(n, al, nstar, 1), bounds=(1e-10, 0.4999), method="bounded",
                                        options={"xatol": 1e-12}).x
        p = 1.0 if f(best) <= 0 else (1e-10 if f(1e-10) > 0 else optimize.brentq(f, 1e-10, best, xtol=1e-15, rtol=1e-14))
        ci = [c["relativeLift"] - m * c["se"], None] if alternative == "greater" else [None, c["relativeLift"] + m * c["se"]]
    return dict(relativeLift=c["relativeLift"], relativeCi=ci, pValue=p, multiplier=m, se=c["se"], n=n)


seq_cases = {
    "binomial": ("binomial", [10000, 1000], [10000, 1080], {}),
    "binomialNStar10k": ("binomial", [10000, 1000], [10000, 1080], {"nstar": 10000}),
    "binomialGreater": ("binomial", [10000, 1000], [10000, 1080], {"sides": 1, "alternative": "greater"}),
    "binomialLessNotRejected": ("binomial", [10000, 1000], [10000, 1080], {"sides": 1, "alternative": "less"}),
    "binomialHuge": ("binomial", [5000000, 250000], [5000000, 251500], {}),
    "binomialStrong": ("binomial", [20000, 2000], [20000, 2250], {}),
    "binomialStrongGreater": ("binomial", [20000, 2000], [20000, 2250], {"sides": 1, "alternative": "greater"}),
    "binomialStrongLessAlpha10": ("binomial", [20000, 2250], [20000, 2000], {"sides": 1, "alternative": "less", "alpha": 0.1}),
    "continuous": ("continuous", ca, cb, {}),
}
out("SEQUENTIAL", {k: {"kind": kd, "a": a, "b": b, "opts": o, "expected": sequential(a, b, kd, **o)} for k, (kd, a, b, o) in seq_cases.items()})

# --- SRM: scipy.stats.chisquare(f_obs, f_exp) ------------------------------------------------------
srm = []
for obs, alloc in [([5000, 5000], [1, 1]), ([5100, 4900], [1, 1]), ([10000, 10350], [50, 50]), ([3300, 3350, 3400], [1, 1, 1]),
                   ([1000, 3100], [25, 75]), ([10000, 11000], [1, 1]), ([3, 9], [1, 1])]:
    exp = np.array(alloc, float) / sum(alloc) * sum(obs)
    r = stats.chisquare(obs, exp)
    srm.append([obs, alloc, float(r.statistic), float(r.pvalue)])
out("SRM", srm)


# --- sample size ------------------------------------------------------------------------------------
def sample_size(mde, baseline=None, mean=None, variance=None, alpha=0.05, power=0.8, arms=2, sides=2):
    if baseline is not None:
        m, treated = baseline, baseline * (1 + mde)
        vs = baseline * (1 - baseline) + treated * (1 - treated)
    else:
        m, vs = mean, 2 * variance
    z = stats.norm.ppf(1 - alpha / (sides * (arms - 1))) + stats.norm.ppf(power)
    exact = z**2 * vs / (mde * abs(m)) ** 2
    return exact, math.ceil(exact)


ss_cases = [
    dict(baseline=0.1, mde=0.05),
    dict(baseline=0.1, mde=-0.05),
    dict(baseline=0.02, mde=0.1, sides=1),
    dict(baseline=0.3, mde=0.02, alpha=0.01, power=0.9),
    dict(baseline=0.1, mde=0.05, arms=3),
    dict(mean=25.0, variance=400.0, mde=0.03),
    dict(mean=-4.0, variance=9.0, mde=0.1, power=0.95),
    dict(baseline=0.5, mde=0.9),
]
out("SAMPLE_SIZE", [[c, *sample_size(**c)] for c in ss_cases])
# Check of the formula's meaning: at that n, a two-sided unpooled z-test reaches the target power.
n = sample_size(0.05, baseline=0.1)[1]
se = math.sqrt((0.1 * 0.9 + 0.105 * 0.895) / n)
out("POWER_AT_N_BASELINE_0_1", float(stats.norm.sf(stats.norm.ppf(0.975) - 0.005 / se) + stats.norm.cdf(-stats.norm.ppf(0.975) - 0.005 / se)))
