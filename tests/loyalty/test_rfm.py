"""Tests of RFM quintile scores and the segment rules table."""

import itertools

import numpy as np
import pytest

from saleor_kinship.loyalty.rfm import (
    SEGMENT_RULES,
    RfmScores,
    Segment,
    SegmentRule,
    _segment_grid,
    quintile_scores,
    rfm_scores,
    segments,
)


def test_distinct_values_split_into_even_quintiles() -> None:
    values = [50.0, 10.0, 90.0, 30.0, 70.0, 20.0, 100.0, 40.0, 60.0, 80.0]
    expected = [3, 1, 5, 2, 4, 1, 5, 2, 3, 4]
    np.testing.assert_array_equal(quintile_scores(values), expected)


def test_uneven_group_size_uses_floor_of_share_below() -> None:
    # 1 + floor(5 * k / 7) for k = 0..6 customers below.
    np.testing.assert_array_equal(quintile_scores(range(7)), [1, 1, 2, 3, 3, 4, 5])


def test_ties_share_the_score_of_their_lowest_rank() -> None:
    purchases = [1, 1, 1, 1, 1, 1, 2, 2, 3, 4]
    # Six one-time buyers all score 1; the twos have 6 of 10 below them.
    np.testing.assert_array_equal(
        quintile_scores(purchases), [1, 1, 1, 1, 1, 1, 4, 4, 5, 5]
    )


def test_scores_do_not_depend_on_input_order() -> None:
    rng = np.random.default_rng(7)
    values = rng.integers(0, 12, size=200).astype(float)
    order = rng.permutation(values.size)
    np.testing.assert_array_equal(
        quintile_scores(values)[order], quintile_scores(values[order])
    )


def test_rfm_scores_reward_recent_frequent_big_spenders() -> None:
    scores = rfm_scores(
        recency=[1, 200, 30, 90, 7],
        frequency=[9, 1, 3, 2, 5],
        monetary=[500.0, 10.0, 80.0, 40.0, 120.0],
    )
    np.testing.assert_array_equal(scores.recency, [5, 1, 3, 2, 4])
    np.testing.assert_array_equal(scores.frequency, [5, 1, 3, 2, 4])
    np.testing.assert_array_equal(scores.monetary, [5, 1, 3, 2, 4])
    assert list(scores.segments()) == [
        "champions",
        "lost",
        "needs_attention",
        "hibernating",
        "loyal",
    ]
    assert scores.recency.dtype == np.int8


def test_single_customer_scores_lowest() -> None:
    scores = rfm_scores([3], [1], [25.0])
    assert (scores.recency[0], scores.frequency[0], scores.monetary[0]) == (1, 1, 1)
    assert scores.segments()[0] == Segment.LOST


def test_group_of_equal_customers_scores_lowest() -> None:
    np.testing.assert_array_equal(quintile_scores([4.0] * 6), [1] * 6)


def test_empty_group_gives_empty_scores() -> None:
    scores = rfm_scores([], [], [])
    assert scores.recency.size == scores.segments().size == 0


@pytest.mark.parametrize(
    ("recency", "frequency", "monetary"),
    [([1, 2], [1], [1, 2]), ([1, np.nan], [1, 2], [1, 2]), ([[1]], [[1]], [[1]])],
)
def test_bad_measures_are_rejected(
    recency: list[float], frequency: list[float], monetary: list[float]
) -> None:
    with pytest.raises(ValueError):
        rfm_scores(recency, frequency, monetary)


def test_every_score_combination_has_exactly_one_segment() -> None:
    combinations = np.array(list(itertools.product(range(1, 6), repeat=3)))
    assert len(combinations) == 125
    r, f, m = (combinations[:, i].astype(np.int8) for i in range(3))
    named = RfmScores(recency=r, frequency=f, monetary=m).segments()
    for (rs, fs, _), name in zip(combinations, named, strict=True):
        matching = [
            rule
            for rule in SEGMENT_RULES
            if rule.recency[0] <= rs <= rule.recency[1]
            and rule.frequency[0] <= fs <= rule.frequency[1]
        ]
        assert len(matching) == 1, (rs, fs)
        assert name == matching[0].segment
    assert set(named) == set(Segment)


@pytest.mark.parametrize(
    ("recency", "frequency", "segment"),
    [
        (5, 5, Segment.CHAMPIONS),
        (5, 4, Segment.CHAMPIONS),
        (4, 5, Segment.LOYAL),
        (3, 4, Segment.LOYAL),
        (5, 1, Segment.NEW),
        (5, 3, Segment.PROMISING),
        (4, 1, Segment.PROMISING),
        (3, 1, Segment.NEEDS_ATTENTION),
        (2, 5, Segment.AT_RISK),
        (1, 3, Segment.AT_RISK),
        (2, 1, Segment.HIBERNATING),
        (1, 2, Segment.LOST),
    ],
)
def test_segment_landmarks(recency: int, frequency: int, segment: Segment) -> None:
    assert segments([recency], [frequency])[0] == segment


@pytest.mark.parametrize("bad", [[0], [6], [2.0]])
def test_scores_outside_one_to_five_are_rejected(bad: list[float]) -> None:
    with pytest.raises(ValueError, match="1 to 5"):
        segments(bad, [3])


def test_rules_with_gaps_or_overlaps_are_refused() -> None:
    overlapping = (*SEGMENT_RULES, SegmentRule(Segment.LOST, (1, 1), (1, 1)))
    with pytest.raises(ValueError, match="once"):
        _segment_grid(overlapping)
    with pytest.raises(ValueError, match="once"):
        _segment_grid(SEGMENT_RULES[1:])
