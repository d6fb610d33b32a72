"""Variance-based (Sobol') sensitivity indices and the sample design they need.

First-order index ``S_i = V(E[Y|X_i]) / V(Y)``: the share of the output variance explained by
``X_i`` alone. Total index ``ST_i = E(V(Y|X_~i)) / V(Y)``: the share that involves ``X_i`` at all,
interactions included; ``ST_i - S_i`` measures its interactions, ``ST_i ~ 0`` means it can be fixed.

Estimators (Saltelli et al. 2010, "Variance based sensitivity analysis of model output", Table 2):
two independent N x k sample matrices A and B, and for each factor i the matrix ``AB_i`` (A with
column i taken from B), so N (k + 2) model evaluations:

* first order (Saltelli 2010): ``S_i = mean(f(B) (f(AB_i) - f(A))) / V``
* total (Jansen 1999):         ``ST_i = mean((f(A) - f(AB_i))^2) / (2 V)``

with V the variance of all f(A) and f(B) values, all outputs first centred on the mean of f(A) and
f(B) (which keeps the estimators unbiased and makes S1 insensitive to the output's mean). Confidence intervals come from a bootstrap over the
N sample rows (a row keeps its A, B and AB_i values together), percentile method.

``p3sim sweep``'s own ``sobol`` design is a single scrambled Sobol' sequence (docs/sweeps.md), not
this A/B/AB_i layout. :func:`saltelli_design` builds the layout; :mod:`.point_sweeps` turns it into a
sweep file. For a plain sampled sweep (sobol, lhs, random) :func:`first_order_given_data` gives
first-order indices only, from the sample as it is (a binned correlation ratio).
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import norm, qmc

BLOCK_A, BLOCK_B, BLOCK_AB = "A", "B", "AB"


def saltelli_design(k: int, n: int, seed: int = 0) -> pd.DataFrame:
    """The Saltelli sample in the unit cube, one row per model evaluation, N (k + 2) rows.

    A and B are the two halves of a scrambled Sobol' sequence in 2k dimensions (n a power of two
    keeps its balance). Rows are ordered sample by sample (A_j, B_j, AB_1j, ..., AB_kj), so that a
    sweep cut short still holds complete samples.

    Returns:
        columns ``block`` (A, B or AB), ``factor`` (i for AB_i, -1 otherwise), ``sample`` (j) and
        ``u0 .. u{k-1}`` (unit coordinates).
    """
    if k < 1 or n < 2:
        raise ValueError(f"need k >= 1 factors and n >= 2 samples, got k={k}, n={n}")
    engine = qmc.Sobol(d=2 * k, scramble=True, seed=seed)
    m = int(np.ceil(np.log2(n)))
    base = engine.random_base2(m)[:n]  # drawing a power of two keeps the sequence's balance properties
    a, b = base[:, :k], base[:, k:]
    rows, unit = [], []
    for j in range(n):
        rows.append((BLOCK_A, -1, j))
        unit.append(a[j])
        rows.append((BLOCK_B, -1, j))
        unit.append(b[j])
        for i in range(k):
            mixed = a[j].copy()
            mixed[i] = b[j, i]
            rows.append((BLOCK_AB, i, j))
            unit.append(mixed)
    table = pd.DataFrame(rows, columns=["block", "factor", "sample"])
    coords = pd.DataFrame(np.array(unit), columns=[f"u{i}" for i in range(k)])
    return pd.concat([table, coords], axis=1)


def split_outputs(design: pd.DataFrame, y, k: int):
    """(f_A [N], f_B [N], f_AB [k, N]) from outputs ``y`` aligned with the rows of ``design``
    (columns block, factor, sample). Samples with any non-finite output are dropped whole."""
    frame = design[["block", "factor", "sample"]].copy()
    frame["y"] = np.asarray(y, dtype=float)
    key = frame["block"].where(frame["block"] != BLOCK_AB, BLOCK_AB + frame["factor"].astype(str))
    wide = frame.assign(key=key).pivot_table(index="sample", columns="key", values="y", aggfunc="mean")
    wanted = [BLOCK_A, BLOCK_B] + [f"{BLOCK_AB}{i}" for i in range(k)]
    wide = wide.reindex(columns=wanted).dropna()
    f_ab = wide[[f"{BLOCK_AB}{i}" for i in range(k)]].to_numpy().T
    return wide[BLOCK_A].to_numpy(), wide[BLOCK_B].to_numpy(), f_ab


def _estimate(f_a, f_b, f_ab):
    """S1 and ST for index arrays whose last axis is the sample (broadcasts over bootstrap rows)."""
    both = np.concatenate([f_a, f_b], axis=-1)
    # Centring leaves both estimators unbiased but stops a large output mean from inflating the
    # variance of the first-order product f(B) (f(AB_i) - f(A)).
    centre = both.mean(axis=-1, keepdims=True)
    f_a, f_b, f_ab = f_a - centre, f_b - centre, f_ab - centre[..., None, :]
    variance = np.var(both, axis=-1, ddof=1)
    first = np.mean(f_b[..., None, :] * (f_ab - f_a[..., None, :]), axis=-1) / variance[..., None]
    total = 0.5 * np.mean((f_a[..., None, :] - f_ab) ** 2, axis=-1) / variance[..., None]
    return first, total


def sobol_indices(f_a, f_b, f_ab, names=None, n_boot: int = 500, level: float = 0.95, seed: int = 0) -> pd.DataFrame:
    """First-order (Saltelli 2010) and total (Jansen) indices with bootstrap intervals.

    Args:
        f_a, f_b: outputs at the rows of A and B, shape [N].
        f_ab: outputs at AB_i, shape [k, N].
        names: factor names (default x0, x1, ...).
        n_boot: bootstrap resamples of the N rows (0 for none).
    Returns:
        one row per factor: factor, S1, S1_lo, S1_hi, ST, ST_lo, ST_hi, and n (samples used).
    Raises:
        ValueError: fewer than 2 samples, or an output without variance.
    """
    f_a, f_b, f_ab = (np.asarray(v, dtype=float) for v in (f_a, f_b, f_ab))
    f_ab = np.atleast_2d(f_ab)
    k, n = f_ab.shape
    if n < 2 or len(f_a) != n or len(f_b) != n:
        raise ValueError(f"need matching f_A, f_B and f_AB with at least 2 samples, got {len(f_a)}, {len(f_b)}, {n}")
    if np.var(np.concatenate([f_a, f_b])) == 0:
        raise ValueError("the output does not vary over A and B: the indices are undefined")
    names = list(names) if names is not None else [f"x{i}" for i in range(k)]
    first, total = _estimate(f_a, f_b, f_ab)
    table = pd.DataFrame({"factor": names, "S1": first, "ST": total, "n": n})
    lo_q, hi_q = (1 - level) / 2, (1 + level) / 2
    if n_boot > 0:
        rng = np.random.default_rng(seed)
        boot_first = np.empty((n_boot, k))
        boot_total = np.empty((n_boot, k))
        for start in range(0, n_boot, 64):  # blocks bound memory at 64 x k x N values
            idx = rng.integers(0, n, size=(min(64, n_boot - start), n))
            boot_first[start:start + len(idx)], boot_total[start:start + len(idx)] = _estimate(
                f_a[idx], f_b[idx], np.moveaxis(f_ab[:, idx], 0, 1))
        for name, boot in (("S1", boot_first), ("ST", boot_total)):
            table[name + "_lo"] = np.nanquantile(boot, lo_q, axis=0)
            table[name + "_hi"] = np.nanquantile(boot, hi_q, axis=0)
    else:
        for name in ("S1_lo", "S1_hi", "ST_lo", "ST_hi"):
            table[name] = np.nan
    return table[["factor", "S1", "S1_lo", "S1_hi", "ST", "ST_lo", "ST_hi", "n"]]


def _correlation_ratio(x, y, bins: int, correct_bias: bool) -> float:
    """Share of V(y) explained by the bin means of y in quantile bins of x (each distinct value its
    own bin when there are few), optionally corrected for the bias of finite bins."""
    n = len(y)
    levels = np.unique(x)
    if len(levels) <= bins:
        codes = np.searchsorted(levels, x)
    else:
        edges = np.quantile(x, np.linspace(0, 1, bins + 1)[1:-1])
        codes = np.searchsorted(edges, x, side="right")
    counts = np.bincount(codes)
    used = counts > 0
    means = np.bincount(codes, weights=y)[used] / counts[used]
    total = np.var(y)
    if total == 0:
        return float("nan")
    eta2 = np.sum(counts[used] * (means - y.mean()) ** 2) / (n * total)
    if not correct_bias:
        return float(eta2)
    # For an iid sample, E[eta^2] = S + (M - 1) / (n - 1) (1 - S) for M bins; invert that.
    bias = (used.sum() - 1) / (n - 1)
    return float((eta2 - bias) / (1 - bias))


def first_order_given_data(x, y, names=None, bins: int | None = None, stratified: bool = True,
                           n_boot: int = 200, level: float = 0.95, seed: int = 0) -> pd.DataFrame:
    """First-order indices from any space-filling sample (the pragmatic route for a plain ``sobol``,
    ``lhs`` or ``random`` sweep): ``S_i`` is the variance of the mean of y within quantile bins of
    ``x_i`` over V(y) (a correlation ratio). Total indices cannot be estimated from such a sample;
    use a Saltelli design for them.

    Args:
        x: [n, k] inputs (categorical inputs as codes; each level is then its own bin).
        y: [n] outputs (non-finite values dropped with their rows).
        bins: bins per input (default: about sqrt(n), at least 4 and at most 50).
        stratified: True for Sobol' and Latin hypercube samples, whose bins hold nearly noise-free
            means; False for independent random points, whose finite-bin bias (about (M - 1)/(n - 1)
            of the unexplained variance) is then removed.
    Returns:
        factor, S1, S1_lo, S1_hi, n. The interval is S1 +/- z sd, with sd the standard deviation
        of bootstrap replicates over rows; it treats the sample as independent draws and is
        therefore conservative for stratified samples.
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    keep = np.isfinite(y) & np.all(np.isfinite(x), axis=1)
    x, y = x[keep], y[keep]
    n, k = x.shape
    if n < 8:
        raise ValueError(f"need at least 8 finite samples for given-data indices, got {n}")
    bins = bins or int(np.clip(round(np.sqrt(n)), 4, 50))
    names = list(names) if names is not None else [f"x{i}" for i in range(k)]
    estimate = np.array([_correlation_ratio(x[:, i], y, bins, not stratified) for i in range(k)])
    rng = np.random.default_rng(seed)
    boot = np.full((n_boot, k), np.nan)
    for b in range(n_boot):
        idx = rng.integers(0, n, n)
        boot[b] = [_correlation_ratio(x[idx, i], y[idx], bins, not stratified) for i in range(k)]
    # Resampling with replacement duplicates rows, which inflates every bin-mean variance, so the
    # bootstrap distribution is shifted; only its spread is used: a normal interval around S1.
    half = norm.ppf(0.5 + level / 2) * np.nanstd(boot, axis=0, ddof=1) if n_boot > 1 else np.nan
    return pd.DataFrame({"factor": names, "S1": estimate, "S1_lo": estimate - half, "S1_hi": estimate + half,
                         "n": n})


def ishigami(x, a: float = 7.0, b: float = 0.1) -> np.ndarray:
    """The Ishigami test function on [-pi, pi]^3: sin x1 + a sin^2 x2 + b x3^4 sin x1."""
    x = np.atleast_2d(x)
    return np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])


def ishigami_indices(a: float = 7.0, b: float = 0.1) -> pd.DataFrame:
    """Analytical first-order and total indices of :func:`ishigami` (Ishigami and Homma 1990)."""
    pi = np.pi
    v1 = 0.5 * (1 + b * pi ** 4 / 5) ** 2
    v2 = a ** 2 / 8
    v13 = b ** 2 * pi ** 8 * (1 / 18 - 1 / 50)
    v = v1 + v2 + v13
    return pd.DataFrame({"factor": ["x0", "x1", "x2"], "S1": [v1 / v, v2 / v, 0.0],
                         "ST": [(v1 + v13) / v, v2 / v, v13 / v]})
