#!/usr/bin/env python3
"""Reference values for the clustered statistics of corpora_long.csv, from statsmodels.

Reads tests/data/stats/fixture.csv (one row per claim: group, doc, score, and 0/1 columns
for the patterns `uncertain` and `anonymous`) and tests/data/stats/attributions.csv (one
row per document: its attributions; a document listed there and not in fixture.csv has
attributions but no claims) and writes tests/data/stats/reference.csv,
which tests/statistics.rs checks the Rust figures against to 1e-6, and
tests/data/stats/comparisons_reference.csv, the comparisons between its groups (each
against the rest, and every pair; groups of at least 2 documents). Run once after
changing the fixture or the method (docs/statistics.md):

    pip install statsmodels   # 0.15.0 made the committed reference
    python3 scripts/stats_fixtures.py

The ratio estimate and its cluster-robust variance come from an intercept-only OLS on the
claims with `cov_type="cluster"` and the documents as groups: its coefficient is
sum(y) / sum(m) and its sandwich variance, with statsmodels' default correction
G/(G-1) * (N-1)/(N-K) (K = 1, so just G/(G-1)), is exactly the linearisation variance of
the ratio estimator that onrecord computes from per-document sums. The same model's
non-robust variance is the floor (a design effect below 1 is not believed). The script
checks that a WLS of the per-document rates weighted by claims gives the same numbers.

Attributions per claim, sum(a) / sum(m) over documents, is the intercept-only Poisson GLM
with log link and exposure m_i, one row per document, `cov_type="cluster"`: its score
equation makes exp(b) = sum(a) / sum(m), its sandwich variance of b (statsmodels'
correction G/(G-1) * (N-1)/(N-K) with N = G rows and K = 1, so G/(G-1)) is the
linearisation variance of the ratio divided by R^2, which is the log-scale delta method,
and its non-robust variance 1/sum(a) is the Poisson floor R/sum(m) on that scale. A GLM
needs a positive exposure, so a document without claims gets 1e-12 claims (the estimate
moves by 1e-13 relative); the script checks the result against the formula summed
document by document.
"""

import csv
import math
import pathlib

import numpy as np
import statsmodels.api as sm
from scipy import stats

HERE = pathlib.Path(__file__).resolve().parent.parent
DATA = HERE / "tests" / "data" / "stats"
PATTERNS = ["anonymous", "uncertain"]


def t95(df):
    return stats.t.ppf(0.975, df)


def wilson(p, n, c):
    denom = 1 + c * c / n
    center = (p + c * c / (2 * n)) / denom
    half = c / denom * math.sqrt(p * (1 - p) / n + c * c / (4 * n * n))
    return max(center - half, 0.0), min(center + half, 1.0)


def share_interval(p, var, g, inside, at_bound_name):
    """The rule of docs/statistics.md on the 0..1 scale."""
    if g < 2:
        return None, None, "none_one_document"
    t = t95(g - 1)
    if p <= 0 or p >= 1 or var == 0:
        lo, hi = wilson(p, g, t)
        return lo, hi, at_bound_name
    logit = math.log(p / (1 - p))
    half = t * math.sqrt(var) / (p * (1 - p))
    expit = lambda x: 1 / (1 + math.exp(-x))
    return expit(logit - half), expit(logit + half), inside


def clustered(y, docs, unit):
    """Ratio sum(y)/sum(m) on the 0..1 scale (y divided by unit), with its interval."""
    y = np.asarray(y, dtype=float) / unit
    x = np.ones((len(y), 1))
    codes = np.unique(docs, return_inverse=True)[1]
    g = len(set(docs))
    iid = sm.OLS(y, x).fit()
    p = iid.params[0]
    se = float("nan")
    if g >= 2:  # statsmodels' correction G/(G-1) is undefined for one group
        robust = sm.OLS(y, x).fit(cov_type="cluster", cov_kwds={"groups": codes})
        p, se = robust.params[0], robust.bse[0]
    # The same estimator as a WLS of per-document rates weighted by their claims.
    ids = sorted(set(docs))
    m = np.array([sum(1 for d in docs if d == i) for i in ids], dtype=float)
    r = np.array([y[[k for k, d in enumerate(docs) if d == i]].mean() for i in ids])
    if g >= 2:
        wls = sm.WLS(r, np.ones((g, 1)), weights=m).fit(
            cov_type="cluster", cov_kwds={"groups": np.arange(g)}
        )
        assert abs(wls.params[0] - p) < 1e-12
        # HC-style cluster variance of the WLS over documents: scores m_i (r_i - R); its
        # correction is G/(G-1) * (G-1)/(G-1), the same factor.
        assert abs(wls.bse[0] - se) < 1e-12 * max(1.0, se), (wls.bse[0], se)
    if y.sum() == 0:
        p = 0.0
    elif y.sum() == len(y):
        p = 1.0
    var = max(se * se, iid.bse[0] ** 2) if g >= 2 else None
    lo, hi, name = share_interval(p, var, g, "cluster_logit_t95", "cluster_wilson_t95")
    return p * unit, se * unit, lo, hi, name


def doc_mean(values, unit):
    v = np.asarray(values, dtype=float) / unit
    n = len(v)
    p = v.mean()
    var = v.var(ddof=1) / n if n >= 2 else None
    if np.all(v == 0):
        p = 0.0
    elif np.all(v == 1):
        p = 1.0
    se = math.sqrt(var) if var is not None else float("nan")
    lo, hi, name = share_interval(p, var, n, "doc_logit_t95", "doc_wilson_t95")
    return p * unit, se * unit, lo, hi, name


def main():
    with open(DATA / "fixture.csv", newline="") as f:
        claims = list(csv.DictReader(f))
    out = []
    for group in sorted({c["group"] for c in claims}):
        mine = [c for c in claims if c["group"] == group]
        docs = [c["doc"] for c in mine]
        ids = sorted(set(docs))
        scores = [float(c["score"]) for c in mine]
        figures = [("score_mean", "", clustered(scores, docs, 100.0), 100.0)]
        per_doc = [np.mean([s for s, d in zip(scores, docs) if d == i]) for i in ids]
        figures.append(("doc_score_mean", "", doc_mean(per_doc, 100.0), 100.0))
        for p in PATTERNS:
            y = [int(c[p]) for c in mine]
            figures.append(("pattern_rate", p, clustered(y, docs, 1.0), 1.0))
            rates = [np.mean([v for v, d in zip(y, docs) if d == i]) for i in ids]
            figures.append(("doc_pattern_rate", p, doc_mean(rates, 1.0), 1.0))
        for metric, key, (est, se, lo, hi, name), unit in figures:
            scale = lambda x: "" if x is None or math.isnan(x) else repr(float(x))
            out.append(
                [group, metric, key, repr(float(est)), scale(se),
                 scale(None if lo is None else lo * unit),
                 scale(None if hi is None else hi * unit), name]
            )
    out.extend(attributions_per_claim(claims))
    with open(DATA / "reference.csv", "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["group", "metric", "key", "estimate", "se", "ci_low", "ci_high", "interval"])
        w.writerows(out)
    print(f"wrote {len(out)} reference rows to {DATA / 'reference.csv'}")
    write_comparisons(claims)


def attributions_per_claim(claims):
    """Reference rows of attributions per claim, documents with claims or attributions as
    the clusters (docs/statistics.md, `cluster_log_t95`)."""
    with open(DATA / "attributions.csv", newline="") as f:
        docs = list(csv.DictReader(f))
    rows = []
    for group in sorted({d["group"] for d in docs}):
        mine = [d for d in docs if d["group"] == group]
        a = np.array([float(d["attributions"]) for d in mine])
        m = np.array([float(sum(1 for c in claims if c["doc"] == d["doc"])) for d in mine])
        keep = (a > 0) | (m > 0)
        a, m = a[keep], m[keep]
        g, r = len(a), a.sum() / m.sum()
        lo = hi = se = None
        if g < 2:
            name = "none_one_document"
        elif a.sum() == 0:
            # Poisson score interval of 0 events over an exposure of G documents.
            lo, hi, name = 0.0, t95(g - 1) ** 2 / g, "cluster_poisson_t95"
        else:
            exposure = np.where(m > 0, m, 1e-12)
            model = lambda: sm.GLM(a, np.ones((g, 1)), family=sm.families.Poisson(),
                                   exposure=exposure)
            fit = model().fit(tol=1e-14, maxiter=500, cov_type="cluster",
                              cov_kwds={"groups": np.arange(g)})
            iid = model().fit(tol=1e-14, maxiter=500)
            b, se_b = fit.params[0], fit.bse[0]
            by_hand = math.sqrt(g / (g - 1) * np.sum((a - r * m) ** 2)) / m.sum() / r
            assert abs(math.exp(b) - r) < 1e-12 and abs(se_b - by_hand) < 1e-9, (b, se_b)
            se_log = max(se_b, iid.bse[0])
            half = t95(g - 1) * se_log
            r = math.exp(b)
            lo, hi, name = r * math.exp(-half), r * math.exp(half), "cluster_log_t95"
            se = se_b * r
        cell = lambda x: "" if x is None else repr(float(x))
        rows.append([group, "attributions_per_claim", "", repr(float(r)), cell(se), cell(lo),
                     cell(hi), name])
    return rows


MIN_DOCS = 2


def side(claims, metric, key):
    """A side's claim values (score points, or 0/1 for the pattern), documents, estimate and
    clustered interval (corpora_long.csv's)."""
    docs = [c["doc"] for c in claims]
    if metric == "score_mean":
        y, unit = [float(c["score"]) for c in claims], 100.0
    else:
        y, unit = [int(c[key]) for c in claims], 1.0
    est, _, lo, hi, _ = clustered(y, docs, unit)
    if metric == "score_mean":
        est = float(np.mean(y))
    ci = None if lo is None else (lo * unit, hi * unit)
    return np.asarray(y, dtype=float), docs, est, ci


def null_var(y, docs, r0):
    """Cluster-robust variance of a side's ratio with residuals about the common ratio r0,
    summed claim by claim within each document (not from the expanded sums onrecord uses)."""
    ids = sorted(set(docs))
    g = len(ids)
    e = np.array([sum(v - r0 for v, d in zip(y, docs) if d == i) for i in ids])
    return g / (g - 1) * float(np.sum(e * e)) / len(y) ** 2


def compare_sides(a, b, metric, key):
    ya, da, ea, ca = side(a, metric, key)
    yb, db, eb, cb = side(b, metric, key)
    r0 = (ya.sum() + yb.sum()) / (len(ya) + len(yb))
    var = null_var(ya, da, r0) + null_var(yb, db, r0)
    d = ea - eb
    ga, gb = len(set(da)), len(set(db))
    row = dict(n_a=ga, n_b=gb, estimate_a=ea, estimate_b=eb, diff=d,
               diff_ci_low=None, diff_ci_high=None, statistic=None, df=None, p=None)
    if ca is not None and cb is not None:
        # MOVER (Zou and Donner 2008) from the two clustered intervals.
        row["diff_ci_low"] = d - math.sqrt((ea - ca[0]) ** 2 + (cb[1] - eb) ** 2)
        row["diff_ci_high"] = d + math.sqrt((ca[1] - ea) ** 2 + (eb - cb[0]) ** 2)
    if var > 0:
        z = d / math.sqrt(var)
        df = min(ga, gb) - 1
        row.update(statistic=z, df=float(df), p=float(2 * stats.t.sf(abs(z), df)))
    return row


def write_comparisons(claims):
    from statsmodels.stats.multitest import multipletests

    groups = sorted({c["group"] for c in claims})
    size = {g: len({c["doc"] for c in claims if c["group"] == g}) for g in groups}
    tested = [g for g in groups if size[g] >= MIN_DOCS]
    metrics = [("score_mean", "")] + [("pattern_rate", p) for p in PATTERNS]
    rows = []
    for scope in ["rest", "pairs"]:
        if scope == "rest":
            sides = [(g, "rest", "vs_rest") for g in tested]
        else:
            sides = [(a, b, "pair") for i, a in enumerate(tested) for b in tested[i + 1:]]
        for metric, key in metrics:
            family = []
            for ga, gb, kind in sides:
                a = [c for c in claims if c["group"] == ga]
                b = [c for c in claims if c["group"] != ga and (gb == "rest" or c["group"] == gb)]
                r = compare_sides(a, b, metric, key)
                r.update(scope=scope, comparison=kind, group_a=ga, group_b=gb, metric=metric,
                         key=key, p_holm=None)
                family.append(r)
            tested_rows = [r for r in family if r["p"] is not None]
            if tested_rows:
                adj = multipletests([r["p"] for r in tested_rows], method="holm")[1]
                for r, h in zip(tested_rows, adj):
                    r["p_holm"] = float(h)
            rows.extend(family)
    cols = ["scope", "comparison", "group_a", "group_b", "metric", "key", "n_a", "n_b",
            "estimate_a", "estimate_b", "diff", "diff_ci_low", "diff_ci_high", "statistic",
            "df", "p", "p_holm"]
    cell = lambda v: "" if v is None else (repr(float(v)) if isinstance(v, float) else str(v))
    with open(DATA / "comparisons_reference.csv", "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(cols)
        w.writerows([[cell(r[c]) for c in cols] for r in rows])
    print(f"wrote {len(rows)} comparisons to {DATA / 'comparisons_reference.csv'}")


if __name__ == "__main__":
    main()
