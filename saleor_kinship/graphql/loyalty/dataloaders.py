"""Loaders for loyalty fields: a list of customers runs a fixed number of queries."""

from datetime import timedelta

from django.utils import timezone

from ...core.host import get_host
from ...loyalty.expiry import ExpiringPoints, expiring_points
from ...loyalty.models import LoyaltyAccount
from ...loyalty.periodic import local_today
from ...loyalty.profiling import accounts_of
from ...loyalty.rules import TierProgress, progress_towards
from ...loyalty.tiers import basis_points
from ..core.dataloaders import DataLoader


class AccountByCustomerIdLoader(DataLoader):
    """The customer's account; an empty, unsaved one before her first points.

    Without scores when she declined profiling.
    """

    def batch_load(self, keys: list[int]) -> list[LoyaltyAccount]:
        accounts = accounts_of(keys)
        return [accounts.get(key) or LoyaltyAccount(customer_id=key) for key in keys]


class TierProgressLoader(DataLoader):
    """Keyed by (customer id, tier, lifetime points) of an account."""

    def batch_load(self, keys: list[tuple[int, str, int]]) -> list[TierProgress]:
        programme = get_host().programme_settings()
        accounts = [
            LoyaltyAccount(customer_id=pk, tier=tier, lifetime_points=lifetime)
            for pk, tier, lifetime in keys
        ]
        points = basis_points(accounts, programme.tier_basis, timezone.now())
        return [
            progress_towards(tier, points.get(pk, 0), programme.tiers)
            for pk, tier, _ in keys
        ]


class ExpiringSoonLoader(DataLoader):
    """Points of each customer that expire within the warning period, or None."""

    def batch_load(self, keys: list[int]) -> list[ExpiringPoints | None]:
        programme = get_host().programme_settings()
        today = local_today(timezone.now())
        until = today + timedelta(days=programme.expiry_warning_days)
        rows = expiring_points(
            until,
            months=programme.points_expiry_months,
            time_zone=programme.time_zone,
            customer_ids=keys,
        )
        found = {row.customer_id: row for row in rows}
        return [found.get(key) for key in keys]
