"""Morris elementary effects: a cheap screening of which parameters matter at all.

Design (Morris 1991): ``r`` trajectories on a ``p``-level grid of the unit cube. A trajectory starts
at a random grid point and moves one factor at a time, in random order, by ``delta = p / (2 (p - 1))``
up or down, so it has k + 1 points and yields one elementary effect per factor:

    EE_i = (f(x + delta_i e_i) - f(x)) / delta_i        (delta_i = +-delta, in unit-cube units)

Over the r trajectories: ``mu`` (mean EE; signed, so effects of opposite sign cancel), ``mu_star``
(mean |EE|, Campolongo et al. 2007: the importance ranking) and ``sigma`` (sd of EE: non-linearity or
interactions). Effects are per unit of the whole range, so they compare across parameters. Cost:
r (k + 1) evaluations.
"""
from __future__ import annotations

import numpy as np
import pandas as pd


def morris_design(k: int, trajectories: int, levels: int = 4, seed: int = 0) -> pd.DataFrame:
    """The trajectories in the unit cube, one row per evaluation, r (k + 1) rows.

    Returns:
        columns ``trajectory``, ``step`` (0..k), ``factor`` (the factor moved to reach this point,
        -1 for the start) and ``u0 .. u{k-1}``.
    Raises:
        ValueError: k < 1, fewer than 2 trajectories, or levels not an even number >= 2.
    """
    if k < 1 or trajectories < 2 or levels < 2 or levels % 2:
        raise ValueError(f"need k >= 1, trajectories >= 2 and an even levels >= 2; got {k}, {trajectories}, {levels}")
    rng = np.random.default_rng(seed)
    delta = levels / (2 * (levels - 1))
    grid = np.arange(levels) / (levels - 1)
    low_half = grid[grid <= 1 - delta + 1e-12]
    rows = []
    for t in range(trajectories):
        # Each factor takes one of two values, x_i or x_i + delta; start on a random side.
        base = rng.choice(low_half, size=k)
        up = rng.random(k) < 0.5
        point = np.where(up, base, base + delta)
        rows.append((t, 0, -1, *point))
        for step, factor in enumerate(rng.permutation(k), start=1):
            point = point.copy()
            point[factor] = base[factor] + delta if up[factor] else base[factor]
            rows.append((t, step, int(factor), *point))
    return pd.DataFrame(rows, columns=["trajectory", "step", "factor", *[f"u{i}" for i in range(k)]])


def elementary_effects(design: pd.DataFrame, y) -> pd.DataFrame:
    """One elementary effect per (trajectory, factor) from outputs ``y`` aligned with the design
    rows. A trajectory with any non-finite output is dropped whole."""
    k = int(design["factor"].max()) + 1
    units = design[[f"u{i}" for i in range(k)]].to_numpy()
    values = np.asarray(y, dtype=float)
    rows = []
    for t, part in design.assign(_y=values, _row=np.arange(len(design))).groupby("trajectory"):
        part = part.sort_values("step")
        if not np.all(np.isfinite(part["_y"])) or len(part) != k + 1:
            continue
        idx = part["_row"].to_numpy()
        for before, after in zip(idx[:-1], idx[1:]):
            factor = int(design["factor"].iloc[after])
            step = units[after, factor] - units[before, factor]
            rows.append((t, factor, (values[after] - values[before]) / step))
    return pd.DataFrame(rows, columns=["trajectory", "factor", "effect"])


def morris_indices(design: pd.DataFrame, y, names=None, n_boot: int = 500, level: float = 0.95,
                   seed: int = 0) -> pd.DataFrame:
    """mu, mu_star and sigma per factor, with a bootstrap interval (over trajectories) for mu_star.

    Returns:
        one row per factor: factor, mu, mu_star, mu_star_lo, mu_star_hi, sigma, r (trajectories
        used), sorted by mu_star, largest first.
    """
    effects = elementary_effects(design, y)
    k = int(design["factor"].max()) + 1
    names = list(names) if names is not None else [f"x{i}" for i in range(k)]
    rng = np.random.default_rng(seed)
    lo_q, hi_q = (1 - level) / 2, (1 + level) / 2
    rows = []
    for factor in range(k):
        ee = effects.loc[effects["factor"] == factor, "effect"].to_numpy()
        r = len(ee)
        if r and n_boot:
            boot = np.abs(ee[rng.integers(0, r, size=(n_boot, r))]).mean(axis=1)
            lo, hi = np.quantile(boot, [lo_q, hi_q])
        else:
            lo = hi = np.nan
        rows.append({"factor": names[factor], "mu": ee.mean() if r else np.nan,
                     "mu_star": np.abs(ee).mean() if r else np.nan, "mu_star_lo": lo, "mu_star_hi": hi,
                     "sigma": ee.std(ddof=1) if r > 1 else np.nan, "r": r})
    return pd.DataFrame(rows).sort_values("mu_star", ascending=False, ignore_index=True)
