"""The programme's arithmetic: points for money, reversals, tiers. No database."""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from .config import Tier


def points_for(amount: Decimal, points_per_unit: Decimal) -> int:
    """Return the points an amount earns: rounded down, never negative."""
    if amount <= 0 or points_per_unit <= 0:
        return 0
    return int((amount * points_per_unit).to_integral_value(rounding=ROUND_FLOOR))


def reversal_target(
    *,
    earned: int,
    paid: Decimal,
    total: Decimal,
    refunded: Decimal,
    cancelled: bool,
) -> int:
    """Return how many of an order's earned points refunds have taken back in all.

    The points kept are what the amount still kept would earn in proportion,
    rounded down as earning is; so partial refunds add up, the total taken
    back never exceeds what was earned, and a full refund takes back all.
    Money paid over the total (and refunded first) takes nothing back.
    """
    if earned <= 0:
        return 0
    base = min(paid, total)
    if cancelled or base <= 0:
        return earned
    kept_amount = min(max(paid - refunded, Decimal(0)), base)
    kept = math.floor(Decimal(earned) * kept_amount / base)
    return earned - kept


def tier_rank(name: str, tiers: Sequence[Tier]) -> int:
    """Return a tier's place (0 is the lowest); -1 for none or a retired name."""
    for rank, tier in enumerate(tiers):
        if tier.name == name:
            return rank
    return -1


def tier_for(points: int, tiers: Sequence[Tier]) -> str:
    """Return the highest tier the points reach, or "" when they reach none."""
    reached = ""
    for tier in tiers:
        if points >= tier.threshold:
            reached = tier.name
    return reached


@dataclass(frozen=True)
class TierProgress:
    """A customer's tier, the next one (None at the top) and the points to it."""

    tier: str
    next_tier: str | None
    points_to_next: int | None
    # From 0 at the current tier's threshold to 1 at the next tier's.
    progress: float


def progress_towards(tier: str, points: int, tiers: Sequence[Tier]) -> TierProgress:
    """Return where `points` stand between the customer's tier and the next one."""
    rank = tier_rank(tier, tiers)
    if rank + 1 >= len(tiers):
        return TierProgress(tier, None, None, 1.0 if tiers else 0.0)
    upcoming = tiers[rank + 1]
    floor = tiers[rank].threshold if rank >= 0 else 0
    span = upcoming.threshold - floor
    share = (points - floor) / span if span > 0 else 1.0
    return TierProgress(
        tier,
        upcoming.name,
        max(upcoming.threshold - points, 0),
        min(max(share, 0.0), 1.0),
    )
