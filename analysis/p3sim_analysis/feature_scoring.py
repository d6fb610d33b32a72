"""Feature scoring: which inputs carry information about an outcome, by mutual information.

For each input x_j, the runs are split into bins of x_j: a numeric input into quantile bins (each
distinct value its own bin when there are few, e.g. a 0/1 flag), a categorical input (a pandas
categorical, strings or booleans, or a column named in ``categorical=``: a governance mode, the
pitfall set, a pitfall flag) into one bin per level, however many levels there are, so that levels
are never merged by their codes' order. The outcome is split into its distinct values (or quantile
bins if it is continuous), and the plug-in mutual information
``I(x_j; y) = sum p(a, b) log2(p(a, b) / (p(a) p(b)))`` in bits is computed from the counts. Because
the plug-in estimate is biased upward with more bins (a categorical input with many levels scores
higher by chance), each score is compared with the same score after shuffling y (``n_perm``
times): ``p_value`` is the share of shuffles scoring at least as high, and ``excess`` the score
minus the mean shuffled score. Inputs are ranked by ``excess``. For a categorical input,
``by_level`` names its levels with the mean outcome at each, highest first; ``one_hot=True`` also
scores each level's indicator (``mode = hierarchy``) as an input of its own.
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


def _is_categorical(column: pd.Series, name, extra) -> bool:
    dtype = column.dtype
    return (name in extra or isinstance(dtype, pd.CategoricalDtype) or pd.api.types.is_bool_dtype(dtype)
            or pd.api.types.is_object_dtype(dtype) or pd.api.types.is_string_dtype(dtype))


def _levels(column: pd.Series) -> tuple:
    """Level codes 0..L-1 of a categorical column and the level names (missing values are a level
    ``(none)``; levels that do not occur are dropped)."""
    labels = column.astype(object).where(column.notna(), "(none)").astype(str)
    if isinstance(column.dtype, pd.CategoricalDtype):
        order = [str(c) for c in column.cat.categories if (labels == str(c)).any()]
        order += [v for v in pd.unique(labels) if v not in order]
    else:
        order = sorted(pd.unique(labels))
    codes = pd.Categorical(labels, categories=order).codes.astype(int)
    return codes, order


def mutual_information(a: np.ndarray, b: np.ndarray) -> float:
    """Plug-in mutual information, in bits, of two integer code arrays."""
    joint = np.zeros((a.max() + 1, b.max() + 1))
    np.add.at(joint, (a, b), 1.0)
    joint /= joint.sum()
    pa, pb = joint.sum(axis=1, keepdims=True), joint.sum(axis=0, keepdims=True)
    nz = joint > 0
    return float(np.sum(joint[nz] * np.log2(joint[nz] / (pa @ pb)[nz])))


def feature_scores(x: pd.DataFrame, y, bins: int = 10, n_perm: int = 200, seed: int = 0,
                   categorical=None, one_hot: bool = False) -> pd.DataFrame:
    """Mutual information of each column of ``x`` with ``y``, with a permutation test.

    Args:
        x: inputs: numbers, or levels (categorical, strings, booleans) for a categorical input.
        y: the outcome per row.
        bins: quantile bins of a numeric input (and of a continuous y).
        n_perm: shuffles of y for the null distribution (0: none, p_value NaN).
        seed: of the shuffles.
        categorical: names of further columns to treat as categorical (e.g. integer codes).
        one_hot: also score each level of a categorical input as a 0/1 input ``NAME = LEVEL``.
    Returns:
        one row per input (and level, with ``one_hot``), best first: input, kind (numeric,
        categorical, or level), mi (bits), null_mean (mean over shuffles), excess (mi -
        null_mean), p_value, by_level (for a categorical input: ``level mean-y`` per level,
        highest first; else empty).
    Raises:
        ValueError: x and y of different lengths, or fewer than 10 rows.
    """
    y = np.asarray(y, dtype=float)
    if len(y) != len(x) or len(y) < 10:
        raise ValueError(f"need matching x and y with at least 10 rows, got {len(x)} and {len(y)}")
    extra = set(categorical or ())
    y_codes = _codes(y, bins)
    rng = np.random.default_rng(seed)
    shuffles = [rng.permutation(y_codes) for _ in range(n_perm)]
    rows = []

    def score(name, kind, codes, by_level=""):
        mi = mutual_information(codes, y_codes)
        null = np.array([mutual_information(codes, s) for s in shuffles]) if n_perm else np.array([np.nan])
        rows.append({"input": name, "kind": kind, "mi": mi, "null_mean": float(np.mean(null)),
                     "excess": mi - float(np.mean(null)),
                     "p_value": float((1 + np.sum(null >= mi - 1e-12)) / (1 + len(shuffles))) if n_perm else np.nan,
                     "by_level": by_level})

    for name in x.columns:
        column = x[name]
        if not _is_categorical(column, name, extra):
            score(name, "numeric", _codes(column.to_numpy(dtype=float), bins))
            continue
        codes, levels = _levels(column)
        means = pd.Series(y).groupby(codes).mean()
        ranked = sorted(means.items(), key=lambda item: (-item[1], item[0]))
        score(name, "categorical", codes, ", ".join(f"{levels[k]} {m:.2f}" for k, m in ranked))
        if one_hot and len(levels) > 2:
            for k, level in enumerate(levels):
                score(f"{name} = {level}", "level", (codes == k).astype(int))
    return pd.DataFrame(rows).sort_values("excess", ascending=False, ignore_index=True)
