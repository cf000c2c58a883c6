"""Recency, frequency and monetary (RFM) scores and the segments they name.

Pure numpy, no Django: the caller passes one comparable group of customers at a
time (for example the customers of one currency) as parallel arrays.

Scores run from 1 to 5 and higher is better: more recent, more frequent, more
spend. A customer's score is set by the share of the group that is strictly
worse on that measure::

    score = 1 + floor(5 * (customers strictly worse) / (customers in group))

so quintiles split a group of distinct values evenly, and ties are handled
deterministically: tied customers always share a score, the one their lowest
rank would give (SQL ``RANK()``, not ``NTILE()``). Consequences worth knowing:
the worst value always scores 1 (one-time buyers get frequency 1 however many
they are), a tie group spanning several quintiles skips the scores between,
and a lone customer, or a group where everyone is equal, scores 1.

Segments depend on the recency and frequency scores only; the monetary score
ranks customers within a segment. ``SEGMENT_RULES`` covers the 5 x 5 grid
exactly once (checked at import)::

    F score ->     1            2            3            4          5
    R 5        new          promising    promising    champions  champions
    R 4        promising    promising    promising    loyal      loyal
    R 3        needs_attn   needs_attn   needs_attn   loyal      loyal
    R 2        hibernating  hibernating  at_risk      at_risk    at_risk
    R 1        lost         lost         at_risk      at_risk    at_risk
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from numpy.typing import ArrayLike, NDArray

QUINTILES = 5

ScoreArray = NDArray[np.int8]


class Segment(StrEnum):
    """Named customer segment derived from recency and frequency scores."""

    CHAMPIONS = "champions"
    LOYAL = "loyal"
    NEW = "new"
    PROMISING = "promising"
    NEEDS_ATTENTION = "needs_attention"
    AT_RISK = "at_risk"
    HIBERNATING = "hibernating"
    LOST = "lost"


@dataclass(frozen=True)
class SegmentRule:
    """Customers whose R and F scores fall in both inclusive ranges."""

    segment: Segment
    recency: tuple[int, int]
    frequency: tuple[int, int]


SEGMENT_RULES: tuple[SegmentRule, ...] = (
    SegmentRule(Segment.CHAMPIONS, recency=(5, 5), frequency=(4, 5)),
    SegmentRule(Segment.LOYAL, recency=(3, 4), frequency=(4, 5)),
    SegmentRule(Segment.NEW, recency=(5, 5), frequency=(1, 1)),
    SegmentRule(Segment.PROMISING, recency=(5, 5), frequency=(2, 3)),
    SegmentRule(Segment.PROMISING, recency=(4, 4), frequency=(1, 3)),
    SegmentRule(Segment.NEEDS_ATTENTION, recency=(3, 3), frequency=(1, 3)),
    SegmentRule(Segment.AT_RISK, recency=(1, 2), frequency=(3, 5)),
    SegmentRule(Segment.HIBERNATING, recency=(2, 2), frequency=(1, 2)),
    SegmentRule(Segment.LOST, recency=(1, 1), frequency=(1, 2)),
)


@dataclass(frozen=True)
class RfmScores:
    """Per-customer recency, frequency and monetary scores, each 1 to 5."""

    recency: ScoreArray
    frequency: ScoreArray
    monetary: ScoreArray

    def segments(self) -> NDArray[np.str_]:
        """Return each customer's segment name."""
        return segments(self.recency, self.frequency)


def rfm_scores(
    recency: ArrayLike, frequency: ArrayLike, monetary: ArrayLike
) -> RfmScores:
    """Score one group of customers 1-5 on each measure by quintile.

    ``recency`` is the time since the last purchase in any unit (smaller is
    better); ``frequency`` and ``monetary`` are larger-is-better, for example
    the number of purchases and the total spend.
    """
    elapsed = _measure(recency, "recency")
    count = _measure(frequency, "frequency")
    spend = _measure(monetary, "monetary")
    if not elapsed.shape == count.shape == spend.shape:
        raise ValueError("recency, frequency and monetary must have the same size")
    return RfmScores(
        recency=quintile_scores(-elapsed),
        frequency=quintile_scores(count),
        monetary=quintile_scores(spend),
    )


def quintile_scores(values: ArrayLike) -> ScoreArray:
    """Return 1 + floor(5 * share of values strictly below each value)."""
    measure = _measure(values, "values")
    _, position, tied = np.unique(measure, return_inverse=True, return_counts=True)
    below = (np.cumsum(tied) - tied)[position]
    # Integer arithmetic keeps the quintile edges exact (no 0.6 * 5 = 2.999...).
    return (1 + QUINTILES * below // max(measure.size, 1)).astype(np.int8)


def segments(recency_score: ArrayLike, frequency_score: ArrayLike) -> NDArray[np.str_]:
    """Return the segment name of each (recency score, frequency score) pair."""
    r = np.asarray(recency_score)
    f = np.asarray(frequency_score)
    if r.shape != f.shape:
        raise ValueError("recency and frequency scores must have the same shape")
    for name, scores in (("recency", r), ("frequency", f)):
        if not np.issubdtype(scores.dtype, np.integer) or np.any(
            (scores < 1) | (scores > QUINTILES)
        ):
            raise ValueError(f"{name} scores must be integers from 1 to {QUINTILES}")
    return _SEGMENT_GRID[r - 1, f - 1]


def _measure(values: ArrayLike, name: str) -> NDArray[np.float64]:
    """Return a 1-D float array of finite values or raise ValueError."""
    measure = np.asarray(values, dtype=np.float64)
    if measure.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional")
    if not np.all(np.isfinite(measure)):
        raise ValueError(f"{name} must be finite")
    return measure


def _segment_grid(rules: tuple[SegmentRule, ...]) -> NDArray[np.str_]:
    """Build the R x F lookup table, insisting each cell has exactly one rule."""
    grid = np.full((QUINTILES, QUINTILES), "", dtype=f"U{max(map(len, Segment))}")
    hits = np.zeros((QUINTILES, QUINTILES), dtype=np.int64)
    for rule in rules:
        (r_low, r_high), (f_low, f_high) = rule.recency, rule.frequency
        if (
            not 1 <= r_low <= r_high <= QUINTILES
            or not 1 <= f_low <= f_high <= QUINTILES
        ):
            raise ValueError(f"score ranges out of 1..{QUINTILES} in {rule}")
        grid[r_low - 1 : r_high, f_low - 1 : f_high] = rule.segment.value
        hits[r_low - 1 : r_high, f_low - 1 : f_high] += 1
    if np.any(hits != 1):
        raise ValueError(f"segment rules must cover each R x F cell once:\n{hits}")
    grid.flags.writeable = False
    return grid


_SEGMENT_GRID = _segment_grid(SEGMENT_RULES)
