"""Reference values for the drift unit tests (tests/unit/drift-bins, drift-ks-test, drift-scores,
drift-validation .test.ts; lib/domain/drift-bins.ts, ks-test.ts, drift-scores.ts).

Run: python3 tests/unit/reference/drift-scores.py   (scipy 1.17.1, numpy 2.4.6; about 10 s)

Every printed line is a JSON value pasted verbatim into tests/support/drift-fixtures.ts. Sources:

- reference edges: numpy.quantile(values, [i/bins for i in 1..bins-1]) with the default 'linear'
  method (Hyndman & Fan type 7), duplicates merged with numpy.unique; binning of raw values:
  numpy.searchsorted(edges, values, side='left') (right-closed bins: x <= e1 is bin 0).
- PSI: written out with numpy on the bin proportions, sum((r - c) * ln(r / c)), a zero proportion
  replaced by epsilon on its own side only (no renormalisation); categories are bins, a category
  unseen in the reference is a bin with reference proportion 0 -> epsilon.
- Jensen-Shannon distance: scipy.spatial.distance.jensenshannon(p, q, base=2) on the count
  vectors over the union of categories (scipy normalises them; no smoothing).
- chi-square homogeneity: scipy.stats.chi2_contingency([ref, cur], correction=False) after
  dropping the columns that are zero in both rows (scipy refuses zero expected frequencies).
- KS: scipy.stats.ks_2samp(a, b, method='exact' / 'asymp' / 'auto'), two-sided, and the
  distribution behind 'asymp', scipy.stats.kstwo.sf(d, n), on a grid that visits every branch of
  scipy's kolmogn (Ruben-Gambino, Durbin/MTW, Pomeranz, Pelz-Good, Smirnov, Miller).
- Wasserstein: scipy.stats.wasserstein_distance(a, b) / max(numpy.std(a), 0.001) (Evidently's
  wasserstein_distance_norm), and its binned approximation: scipy.stats.wasserstein_distance on
  the bin midpoints weighted by the counts, midpoints as lib/domain/drift-scores.ts documents.

Samples come from a Park-Miller generator (Lehmer, multiplier 48271, modulus 2^31 - 1) and only
exactly rounded operations (+, -, *, /, floor), so the test regenerates bit-identical samples in
TypeScript from the printed specs instead of pasting thousands of numbers.
"""
import json
import math

import numpy as np
from scipy import stats
from scipy.spatial.distance import jensenshannon


def out(name, value):
    print(f"{name} = {json.dumps(value)}")


# --- deterministic samples (mirrored in the test) ---------------------------------------------
class Lehmer:
    def __init__(self, seed):
        self.state = seed

    def next(self):
        self.state = self.state * 48271 % 2147483647
        return self.state / 2147483647


SQRT3 = 1.7320508075688772


def sample(spec):
    """spec = [kind, seed, n, p1, p2]:
    'normal'   p1 + p2 * (u1 + u2 + u3 + u4 - 2) * sqrt(3)   (Irwin-Hall, mean p1, sd p2)
    'skewed'   p1 + p2 * u1 * u2
    'discrete' floor(u * p2) + p1                          (ties: p2 levels starting at p1)
    'rounded'  floor((normal(0, 1) + p1) * p2) / p2        (ties on a 1/p2 grid)
    'constant' p1                                          (n copies, still draws nothing)
    """
    kind, seed, n, p1, p2 = spec
    rng = Lehmer(seed)
    values = []
    for _ in range(n):
        if kind == "normal":
            s = rng.next() + rng.next()
            s = s + rng.next()
            s = s + rng.next()
            values.append(p1 + p2 * (s - 2.0) * SQRT3)
        elif kind == "skewed":
            values.append(p1 + p2 * rng.next() * rng.next())
        elif kind == "discrete":
            values.append(math.floor(rng.next() * p2) + p1)
        elif kind == "rounded":
            s = rng.next() + rng.next()
            s = s + rng.next()
            s = s + rng.next()
            values.append(math.floor(((s - 2.0) * SQRT3 + p1) * p2) / p2)
        elif kind == "constant":
            values.append(float(p1))
        else:
            raise ValueError(kind)
    return np.array(values, dtype=np.float64)


# Fingerprints so the test can prove it regenerated the same samples.
FINGERPRINT_SPECS = [["normal", 11, 5, 0, 1], ["skewed", 3, 4, 1, 10], ["discrete", 5, 6, 0, 4], ["rounded", 7, 5, 0, 4]]
out("SAMPLE_FINGERPRINTS", [[spec, sample(spec).tolist()] for spec in FINGERPRINT_SPECS])


# --- reference edges and binning ----------------------------------------------------------------
def reference_edges(values, bins=10):
    return np.unique(np.quantile(values, [i / bins for i in range(1, bins)])).tolist()


def bin_values(values, edges):
    idx = np.searchsorted(np.array(edges, dtype=np.float64), values, side="left")
    return np.bincount(idx, minlength=len(edges) + 1).tolist()


edge_cases = [
    (["normal", 101, 1000, 0, 1], 10),
    (["normal", 102, 37, 5, 2], 10),
    (["skewed", 103, 500, 0, 100], 4),
    (["skewed", 104, 250, -3, 1], 5),
    (["discrete", 105, 300, 0, 4], 10),     # 4 levels: deciles collapse, duplicates merged
    (["rounded", 106, 400, 0, 2], 10),      # many ties
    (["normal", 107, 3, 0, 1], 10),         # fewer values than bins
    (["constant", 108, 50, 7, 0], 10),      # one distinct value: one edge, two bins
    (["normal", 109, 1, 0, 1], 10),         # a single value
    (["normal", 110, 200, 0, 1], 1),        # one bin: no edges
    (["normal", 111, 200, 0, 1], 3),
]
EDGES = []
for spec, bins in edge_cases:
    x = sample(spec)
    e = reference_edges(x, bins)
    other = sample(["normal", spec[1] + 1000, 300, 0.3, 1.5])
    EDGES.append({"spec": spec, "bins": bins, "edges": e, "counts": bin_values(x, e), "otherCounts": bin_values(other, e)})
out("EDGES", EDGES)


# --- PSI, JS, chi-square on counts --------------------------------------------------------------
def align(ref, cur):
    if isinstance(ref, dict):
        keys = list(ref.keys()) + [k for k in cur.keys() if k not in ref]
        return keys, np.array([ref.get(k, 0) for k in keys], float), np.array([cur.get(k, 0) for k in keys], float)
    assert len(ref) == len(cur)
    return list(range(len(ref))), np.array(ref, float), np.array(cur, float)


def psi(ref, cur, eps=1e-4):
    _, r, c = align(ref, cur)
    rp, cp = r / r.sum(), c / c.sum()
    rp = np.where(rp == 0, eps, rp)
    cp = np.where(cp == 0, eps, cp)
    contrib = (rp - cp) * np.log(rp / cp)
    return float(contrib.sum()), contrib.tolist()


def chi_square(ref, cur):
    _, r, c = align(ref, cur)
    keep = (r + c) > 0
    table = np.array([r[keep], c[keep]])
    res = stats.chi2_contingency(table, correction=False)
    return [float(res.statistic), int(res.dof), float(res.pvalue)]


count_cases = {
    "decileShift": ([100] * 10, [50, 60, 80, 90, 100, 110, 120, 130, 130, 130], 1e-4),
    "emptyCurrentBin": ([100] * 10, [0, 120, 110, 100, 100, 100, 100, 100, 100, 170], 1e-4),
    "emptyCurrentBinEps1e6": ([100] * 10, [0, 120, 110, 100, 100, 100, 100, 100, 100, 170], 1e-6),
    "emptyReferenceBin": ([0, 10, 20, 30, 40], [5, 10, 20, 30, 35], 1e-4),
    "emptyBothSides": ([10, 0, 30, 0], [20, 0, 10, 5], 1e-4),
    "identicalProportions": ([5, 7, 9], [10, 14, 18], 1e-4),
    "identical": ([120, 80, 40, 10], [120, 80, 40, 10], 1e-4),
    "allMassOneBin": ([0, 0, 100, 0], [0, 0, 0, 50], 1e-4),
    "allMassSameBin": ([0, 0, 100, 0], [0, 0, 7, 0], 1e-4),
    "fractionalCounts": ([10.5, 20.25, 30.125], [11.0, 19.5, 33.75], 1e-4),
    "largeCounts": ([1_000_000, 2_500_000, 4_000_000, 2_500_000], [1_010_000, 2_480_000, 4_030_000, 2_480_000], 1e-4),
    "categoricalUnseen": ({"a": 500, "b": 300, "c": 200}, {"a": 450, "b": 250, "c": 250, "d": 50}, 1e-4),
    "categoricalVanished": ({"a": 500, "b": 300, "c": 200}, {"a": 600, "b": 400}, 1e-4),
    "categoricalSingle": ({"x": 100}, {"x": 40}, 1e-4),
    "categoricalSingleVsUnseen": ({"x": 100}, {"x": 40, "y": 10}, 1e-4),
    "categoricalBinary": ({"yes": 420, "no": 580}, {"yes": 465, "no": 535}, 1e-4),
    "categoricalZeroInBoth": ({"a": 10, "b": 0, "c": 5}, {"a": 3, "b": 0, "c": 9}, 1e-4),
    "categoricalDisjoint": ({"a": 10}, {"b": 10}, 1e-4),
}
COUNTS = {}
for name, (ref, cur, eps) in count_cases.items():
    keys, r, c = align(ref, cur)
    value, contrib = psi(ref, cur, eps)
    COUNTS[name] = {
        "reference": ref,
        "current": cur,
        "epsilon": eps,
        "psi": value,
        "contributions": contrib,
        "js": float(jensenshannon(r, c, base=2)),
        "chiSquare": chi_square(ref, cur),
    }
# binary categories: chi-square without correction = two-proportion z-test squared
b = COUNTS["categoricalBinary"]["chiSquare"]
z = stats.norm.isf(b[2] / 2)
assert math.isclose(z * z, b[0], rel_tol=1e-9)
out("COUNTS", COUNTS)


# --- Kolmogorov-Smirnov ---------------------------------------------------------------------------
ks_pairs = {
    "equalN20": (["normal", 11, 20, 0, 1], ["normal", 12, 20, 0.8, 1]),
    "unequal20x30": (["normal", 13, 20, 0, 1], ["normal", 14, 30, 0.5, 1]),
    "unequal120x97": (["normal", 15, 120, 0, 1], ["normal", 16, 97, 0.2, 1.3]),
    "unequal300x250": (["normal", 17, 300, 0, 1], ["normal", 18, 250, 0.15, 1]),
    "equalN300": (["normal", 19, 300, 0, 1], ["skewed", 20, 300, -1.2, 3]),
    "sameDistribution200x180": (["normal", 21, 200, 0, 1], ["normal", 22, 180, 0, 1]),
    "identicalSamples": (["normal", 23, 50, 0, 1], ["normal", 23, 50, 0, 1]),
    "tiesDiscrete40x60": (["discrete", 24, 40, 0, 6], ["discrete", 25, 60, 1, 6]),
    "tiesRounded150x110": (["rounded", 26, 150, 0, 2], ["rounded", 27, 110, 0.4, 2]),
    "tinySamples3x4": (["normal", 28, 3, 0, 1], ["normal", 29, 4, 2, 1]),
    "single1x5": (["normal", 30, 1, 0, 1], ["normal", 31, 5, 0, 1]),
    "autoExact10000x10000": (["normal", 32, 10000, 0, 1], ["normal", 33, 10000, 0.03, 1]),
    "autoExact10000x9000": (["normal", 34, 10000, 0, 1], ["normal", 35, 9000, 0.02, 1]),
    "autoExact10000x9999": (["normal", 36, 10000, 0, 1], ["normal", 37, 9999, 0.05, 1]),
    "large20000Same": (["normal", 38, 20000, 0, 1], ["normal", 39, 20000, 0, 1]),
    "large20000Small": (["normal", 40, 20000, 0, 1], ["normal", 41, 20000, 0.03, 1]),
    "large20000Shift": (["normal", 42, 20000, 0, 1], ["normal", 43, 20000, 0.06, 1]),
    "large20001HalfEven": (["normal", 44, 20001, 0, 1], ["normal", 45, 20001, 0.02, 1]),
    "large15000x12000": (["normal", 46, 15000, 0, 1], ["skewed", 47, 12000, -1.3, 3.6]),
    "large12000x100": (["normal", 48, 12000, 0, 1], ["normal", 49, 100, 0.3, 1]),
    "large12000x100Same": (["normal", 50, 12000, 0, 1], ["normal", 51, 100, 0, 1]),
    "large15000x8": (["normal", 52, 15000, 0, 1], ["normal", 53, 8, 1.5, 1]),
    "large30000x3": (["normal", 54, 30000, 0, 1], ["normal", 55, 3, 3, 0.1]),
}
KS = {}
for name, (sa, sb) in ks_pairs.items():
    a, b = sample(sa), sample(sb)
    row = {"a": sa, "b": sb}
    for method in ["auto", "exact", "asymp"]:
        if method == "exact" and max(len(a), len(b)) > 12000:
            continue  # 'auto' never picks exact above 10 000; forced exact is covered by large12000x100
        r = stats.ks_2samp(a, b, method=method)
        row[method] = [float(r.statistic), float(r.pvalue)]
    KS[name] = row
out("KS", KS)

grid = []
for n in [1, 2, 3, 5, 10, 50, 100, 140, 141, 500, 1000, 10000, 100000, 100001, 1000000, 2000000]:
    xs = {0.3 / n, 0.5 / n, 0.75 / n, 1 / n, 1.5 / n, 0.5, 0.6, 0.9, 0.99, 1 - 1 / (2 * n) if n > 1 else 0.7}
    xs |= {c / math.sqrt(n) for c in [0.05, 0.3, 0.6, 0.87, 1.0, 1.2, 1.49, 1.6, 2.0, 2.5, 4.3, 5.0, 19.3]}
    for x in sorted(xs):
        if 0 < x < 1:
            grid.append([n, x, float(stats.kstwo.sf(x, n))])
out("KSTWO_SF", grid)


# --- Wasserstein ------------------------------------------------------------------------------------
def w_norm(a, b):
    w = float(stats.wasserstein_distance(a, b))
    sd = float(np.std(a))
    return [w / max(sd, 0.001), w, sd]


w_pairs = {
    "normalShift": (["normal", 61, 500, 0, 1], ["normal", 62, 400, 0.25, 1]),
    "scaleChange": (["normal", 63, 300, 10, 2], ["normal", 64, 350, 10, 3]),
    "skewed": (["skewed", 65, 200, 0, 50], ["skewed", 66, 260, 5, 50]),
    "ties": (["discrete", 67, 100, 0, 5], ["discrete", 68, 90, 1, 5]),
    "identical": (["normal", 69, 120, 0, 1], ["normal", 69, 120, 0, 1]),
    "constantReference": (["constant", 70, 40, 3, 0], ["normal", 71, 40, 3, 0.01]),
    "tinyStdReference": (["normal", 72, 30, 1, 0.0001], ["normal", 73, 30, 1.001, 0.0001]),
    "single": (["normal", 74, 1, 0, 1], ["normal", 75, 7, 0, 1]),
    "large": (["normal", 76, 20000, 0, 1], ["normal", 77, 15000, 0.05, 1.1]),
}
WASSERSTEIN = {name: {"a": sa, "b": sb, "expected": w_norm(sample(sa), sample(sb))} for name, (sa, sb) in w_pairs.items()}
# scipy's own weighted examples (docstring) as a check of the weighted form
WASSERSTEIN_WEIGHTED = [
    [[0, 1], [0, 1], [3, 1], [2, 2], float(stats.wasserstein_distance([0, 1], [0, 1], [3, 1], [2, 2]))],
    [[3.4, 3.9, 7.5, 7.8], [4.5, 1.4], [1.4, 0.9, 3.1, 7.2], [3.2, 3.5],
     float(stats.wasserstein_distance([3.4, 3.9, 7.5, 7.8], [4.5, 1.4], [1.4, 0.9, 3.1, 7.2], [3.2, 3.5]))],
    [[0, 1, 2, 3], [0, 1, 2, 3], [0, 5, 0, 5], [1, 0, 0, 1],
     float(stats.wasserstein_distance([0, 1, 2, 3], [0, 1, 2, 3], [0, 5, 0, 5], [1, 0, 0, 1]))],
]
out("WASSERSTEIN", WASSERSTEIN)
out("WASSERSTEIN_WEIGHTED", WASSERSTEIN_WEIGHTED)


def summary(x):
    return {"mean": float(np.mean(x)), "std": float(np.std(x)), "min": float(np.min(x)), "max": float(np.max(x)), "n": int(len(x))}


def midpoints(edges, s):
    """Bin midpoints as drift-scores.ts wassersteinFromBins documents."""
    k = len(edges) + 1
    if k == 1:
        return [(s["min"] + s["max"]) / 2 if s else 0.0]
    mids = [(edges[i - 1] + edges[i]) / 2 for i in range(1, k - 1)]
    if s:
        lo = (min(s["min"], edges[0]) + edges[0]) / 2
        hi = (edges[-1] + max(s["max"], edges[-1])) / 2
    else:
        lo = edges[0] - (edges[1] - edges[0]) / 2
        hi = edges[-1] + (edges[-1] - edges[-2]) / 2
    return [lo] + mids + [hi]


def binned(ref_counts, cur_counts, edges, ref_summary, cur_summary):
    mr, mc = midpoints(edges, ref_summary), midpoints(edges, cur_summary)
    w = float(stats.wasserstein_distance(mr, mc, ref_counts, cur_counts))
    if ref_summary:
        sd = ref_summary["std"]
    else:
        mu = np.average(mr, weights=ref_counts)
        sd = float(np.sqrt(np.average((np.array(mr) - mu) ** 2, weights=ref_counts)))
    return [w / max(sd, 0.001), w, sd]


binned_cases = {
    "shiftWithSummary": (["normal", 81, 2000, 0, 1], ["normal", 82, 1500, 0.3, 1], 10, True),
    "shiftWithoutSummary": (["normal", 81, 2000, 0, 1], ["normal", 82, 1500, 0.3, 1], 10, False),
    "sameWithSummary": (["normal", 83, 2000, 5, 2], ["normal", 84, 1800, 5, 2], 10, True),
    "skewedQuartiles": (["skewed", 85, 1000, 0, 10], ["skewed", 86, 900, 1, 12], 4, True),
    "tiesMergedEdges": (["discrete", 87, 600, 0, 4], ["discrete", 88, 500, 1, 4], 10, True),
    "threeBinsNoSummary": (["normal", 89, 500, 0, 1], ["normal", 90, 500, 1, 1], 3, False),
}
BINNED = {}
for name, (sa, sb, bins, with_summary) in binned_cases.items():
    a, b = sample(sa), sample(sb)
    e = reference_edges(a, bins)
    ra, rb = bin_values(a, e), bin_values(b, e)
    sa_, sb_ = (summary(a), summary(b)) if with_summary else (None, None)
    ref = {"type": "numeric", "edges": e, "counts": ra}
    cur = {"type": "numeric", "counts": rb}
    if with_summary:
        ref["summary"], cur["summary"] = sa_, sb_
    BINNED[name] = {"reference": ref, "current": cur, "expected": binned(ra, rb, e, sa_, sb_),
                    "exactFromSamples": w_norm(a, b), "psi": psi(ra, rb)[0]}
out("BINNED", BINNED)
