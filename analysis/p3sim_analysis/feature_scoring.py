"""Feature scoring: which inputs carry information about an outcome, by mutual information.

For each input x_j, the runs are split into quantile bins of x_j (each level its own bin when there
are few distinct values, e.g. a categorical code or a pitfall flag), the outcome into its distinct
values (or quantile bins if it is continuous), and the plug-in mutual information
``I(x_j; y) = sum p(a, b) log2(p(a, b) / (p(a) p(b)))`` in bits is computed from the counts. Because
the plug-in estimate is biased upward with more bins, each score is compared with the same score
after shuffling y (``n_perm`` times): ``p_value`` is the share of shuffles scoring at least as
high, and ``excess`` the score minus the mean shuffled score. Inputs are ranked by ``excess``.
Mutual information sees non-monotone effects that a correlation misses, but not interactions
between inputs (PRIM boxes show those).
"""
from __future__ import annotations

import numpy as np
import pandas as pd


def _codes(values: np.ndarray, bins: int) -> np.ndarray:
    levels = np.unique(values)
    if len(levels) <= bins:
        return np.searchsorted(levels, values)
    edges = np.quantile(values, np.linspace(0, 1, bins + 1)[1:-1])
    return np.searchsorted(edges, values, side="right")


def mutual_information(a: np.ndarray, b: np.ndarray) -> float:
    """Plug-in mutual information, in bits, of two integer code arrays."""
    joint = np.zeros((a.max() + 1, b.max() + 1))
    np.add.at(joint, (a, b), 1.0)
    joint /= joint.sum()
    pa, pb = joint.sum(axis=1, keepdims=True), joint.sum(axis=0, keepdims=True)
    nz = joint > 0
    return float(np.sum(joint[nz] * np.log2(joint[nz] / (pa @ pb)[nz])))


def feature_scores(x: pd.DataFrame, y, bins: int = 10, n_perm: int = 200, seed: int = 0) -> pd.DataFrame:
    """Mutual information of each column of ``x`` with ``y``, with a permutation test.

    Returns:
        one row per input, best first: input, mi (bits), null_mean (mean over shuffles), excess
        (mi - null_mean), p_value.
    Raises:
        ValueError: x and y of different lengths, or fewer than 10 rows.
    """
    y = np.asarray(y, dtype=float)
    if len(y) != len(x) or len(y) < 10:
        raise ValueError(f"need matching x and y with at least 10 rows, got {len(x)} and {len(y)}")
    y_codes = _codes(y, bins)
    rng = np.random.default_rng(seed)
    shuffles = [rng.permutation(y_codes) for _ in range(n_perm)]
    rows = []
    for name in x.columns:
        codes = _codes(x[name].to_numpy(dtype=float), bins)
        score = mutual_information(codes, y_codes)
        null = np.array([mutual_information(codes, s) for s in shuffles]) if n_perm else np.array([np.nan])
        rows.append({"input": name, "mi": score, "null_mean": float(np.mean(null)),
                     "excess": score - float(np.mean(null)),
                     "p_value": float((1 + np.sum(null >= score - 1e-12)) / (1 + len(shuffles))) if n_perm else np.nan})
    return pd.DataFrame(rows).sort_values("excess", ascending=False, ignore_index=True)
