"""Numbers rounded to what their intervals support.

An estimate is shown to the decimal place of the first significant digit of its interval's
half-width (two digits when that digit is a 1, so 0.012 keeps 0.0012's place), and its interval
to the same place: 4,351.3 [4,306.1, 4,396.5] becomes 4,350 [4,310, 4,400]; a difference of
-5.716e-06 [-0.0021, 0.0021] becomes 0.000 [-0.002, 0.002]. A value without an interval keeps
three significant digits. Shares are percentages of whole runs ("100 of 100 runs [96-100%]").
"""
from __future__ import annotations

import math


def _finite(v) -> bool:
    return v is not None and isinstance(v, (int, float)) and math.isfinite(float(v))


def decimals_for(half_width) -> int | None:
    """The number of decimals that the half-width ``half_width`` supports (negative: round to
    tens, hundreds...); None when there is no finite, positive half-width."""
    if not _finite(half_width) or half_width <= 0:
        return None
    exponent = math.floor(math.log10(half_width))
    leading = half_width / 10 ** exponent
    return -exponent + (1 if leading < 2 else 0)


def _fixed(value: float, decimals: int) -> str:
    if decimals <= 0:
        rounded = round(value, decimals)
        text = f"{rounded:,.0f}"
    else:
        text = f"{value:,.{decimals}f}"
    if text.lstrip("-").strip("0.,") == "":  # -0.000 -> 0.000
        text = text.lstrip("-")
    return text


def significant(value, digits: int = 3) -> str:
    """``value`` with ``digits`` significant digits, thousands separated (``-`` when missing)."""
    if not _finite(value):
        return "-"
    value = float(value)
    if value == 0:
        return "0"
    exponent = math.floor(math.log10(abs(value)))
    if exponent < -4:
        return f"{value:.{digits - 1}e}"
    return _fixed(value, max(0, digits - 1 - exponent) if exponent < digits - 1 else -(exponent - digits + 1))


def decimals_of_scale(scale) -> int | None:
    """The decimals that show a quantity of magnitude ``scale`` to four significant digits: no
    interval supports finer digits than the metric itself has (a difference of 5e-17 between two
    identical runs is 0.0000 for a metric of size 0.9)."""
    if not _finite(scale) or scale <= 0:
        return None
    return 3 - math.floor(math.log10(float(scale)))


def with_interval(value, lo, hi, signed: bool = False, scale=None) -> str:
    """``estimate [lo, hi]`` rounded to what the interval supports, and to no more than four
    significant digits of ``scale`` (the metric's magnitude) when given; ``signed`` puts a + on
    positive values (differences)."""
    if not _finite(value):
        return "-"
    half = (float(hi) - float(lo)) / 2 if _finite(lo) and _finite(hi) else None
    if half is not None and half <= 1e-9 * max(1.0, abs(float(value))):
        half = None  # a zero-width interval (every run alike) supports no rounding of its own
    decimals = decimals_for(half)
    cap = decimals_of_scale(scale)
    if cap is not None and (decimals is None or decimals > cap):
        decimals = cap
    if decimals is None:
        text = significant(value)
        bounds = f" [{significant(lo)}, {significant(hi)}]" if _finite(lo) and _finite(hi) else ""
    else:
        text = _fixed(float(value), decimals)
        bounds = f" [{_fixed(float(lo), decimals)}, {_fixed(float(hi), decimals)}]"
    if signed and float(text.replace(",", "")) > 0:
        text = "+" + text
    return text + bounds


def rounded(value, lo, hi) -> str:
    """The estimate alone, rounded as in :func:`with_interval`."""
    return with_interval(value, lo, hi).split(" [")[0]


def percent(share) -> str:
    """A share in [0, 1] as a whole percentage (one decimal below 1%)."""
    if not _finite(share):
        return "-"
    value = 100 * float(share)
    return f"{value:.1f}%" if 0 < abs(value) < 1 else f"{value:.0f}%"


def share_text(successes: int, n: int, lo, hi, noun: str = "runs") -> str:
    """``100 of 100 runs [96-100%]``: a count of runs with the Wilson interval of its share."""
    interval = f" [{percent(lo).rstrip('%')}-{percent(hi)}]" if _finite(lo) and _finite(hi) else ""
    return f"{int(successes)} of {int(n)} {noun}{interval}"


def points(difference, lo, hi) -> str:
    """A paired difference of shares in percentage points: ``-35 points [-44, -26]``."""
    return with_interval(100 * float(difference), 100 * float(lo), 100 * float(hi), signed=True).replace(
        " [", " points [", 1) if _finite(difference) and _finite(lo) and _finite(hi) else "-"
