"""How a reseller's customers are doing, for the merchant."""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from django.db.models import Count, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from ..loyalty.models import LoyaltyAccount
from .models import ResellerLink
from .periods import period_bounds


def customers_brought(reseller_ids: Iterable[int]) -> dict[int, int]:
    """Return how many customers each reseller has an active link with."""
    ids = list(reseller_ids)
    rows = (
        ResellerLink.objects.filter(reseller_id__in=ids, valid_to__isnull=True)
        .values("reseller_id")
        .annotate(customers=Count("customer_id", distinct=True))
    )
    counts = {row["reseller_id"]: row["customers"] for row in rows}
    return {pk: counts.get(pk, 0) for pk in ids}


def customers_linked(
    reseller_ids: Iterable[int], date_from: date, date_to: date
) -> dict[int, int]:
    """Return how many customers were linked to each reseller in the period."""
    ids = list(reseller_ids)
    first, last = period_bounds(date_from, date_to)
    rows = (
        ResellerLink.objects.filter(
            reseller_id__in=ids, valid_from__gte=first, valid_from__lte=last
        )
        .values("reseller_id")
        .annotate(customers=Count("customer_id", distinct=True))
    )
    counts = {row["reseller_id"]: row["customers"] for row in rows}
    return {pk: counts.get(pk, 0) for pk in ids}


def customer_tiers(reseller_ids: Iterable[int]) -> dict[int, list[tuple[str, int]]]:
    """Return, per reseller, her active customers counted by loyalty tier.

    Customers without a loyalty account yet are counted under "".
    """
    ids = list(reseller_ids)
    tier = LoyaltyAccount.objects.filter(customer_id=OuterRef("customer_id"))
    rows = (
        ResellerLink.objects.filter(reseller_id__in=ids, valid_to__isnull=True)
        .annotate(tier=Coalesce(Subquery(tier.values("tier")[:1]), Value("")))
        .values("reseller_id", "tier")
        .annotate(customers=Count("customer_id", distinct=True))
    )
    tiers: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for row in rows:
        tiers[row["reseller_id"]].append((row["tier"], row["customers"]))
    return {pk: sorted(tiers.get(pk, [])) for pk in ids}
