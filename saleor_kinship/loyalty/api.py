"""What other domains may ask of loyalty; these signatures stay stable."""

from datetime import date, timedelta

from django.utils import timezone

from ..core.host import get_host
from .adjustments import award_bonus
from .expiry import ExpiringPoints, expiring_points
from .models import LoyaltyAccount, LoyaltyOrder
from .rules import TierProgress, progress_towards
from .tiers import basis_points

__all__ = [
    "ExpiringPoints",
    "TierProgress",
    "account_of",
    "award_bonus",
    "customers_with_points_expiring",
    "points_earned_for_order",
    "tier_progress",
]


def customers_with_points_expiring(
    within_days: int, today: date
) -> list[ExpiringPoints]:
    """Return customers whose points expire by `today + within_days`.

    One row per customer: the points that will have expired by then unless
    she spends them first, and the first day on which some of them expire.
    Empty when points never expire.
    """
    programme = get_host().programme_settings()
    return expiring_points(
        today + timedelta(days=within_days),
        months=programme.points_expiry_months,
        time_zone=programme.time_zone,
    )


def points_earned_for_order(order_id: str) -> int:
    """Return the points an order earned (before refunds); 0 if none (yet)."""
    earned = (
        LoyaltyOrder.objects.filter(order_id=order_id)
        .values_list("points_earned", flat=True)
        .first()
    )
    return earned or 0


def account_of(customer_id: int) -> LoyaltyAccount | None:
    """Return the customer's loyalty account, or None before her first points."""
    return LoyaltyAccount.objects.filter(customer_id=customer_id).first()


def tier_progress(account: LoyaltyAccount) -> TierProgress:
    """Return the account's tier, the next tier and the points still needed."""
    programme = get_host().programme_settings()
    points = basis_points([account], programme.tier_basis, timezone.now())
    return progress_towards(
        account.tier, points.get(account.customer_id, 0), programme.tiers
    )
