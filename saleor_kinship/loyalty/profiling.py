"""Profiling consent: scores exist only for customers who allow them.

Profiling is every score about one customer: her RFM scores and segment, the
probability that she is still a customer, her expected purchases and her
predicted value. A customer who declined it in her profile (opt-out, so a
customer without a profile allows it) is left out of the scoring, whose next
run clears what it stored about her; until then every reader shows her as
unscored. Her points, tier and ledger are the loyalty programme she joined,
not profiling: they stay.
"""

from collections.abc import Collection
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet

from ..relationships.models import CustomerProfile
from .models import LoyaltyAccount

# Each score on the account, with its value when there is none.
SCORE_FIELDS: dict[str, Any] = {
    "rfm_recency": None,
    "rfm_frequency": None,
    "rfm_monetary": None,
    "rfm_segment": "",
    "p_alive": None,
    "expected_purchases_90d": None,
    "predicted_value_12m": None,
    "predicted_value_currency": "",
    "scored_at": None,
}


def declined_profiling() -> QuerySet:
    """Return the ids of customers who declined profiling, for `__in` lookups."""
    return CustomerProfile.objects.filter(profiling_consent=False).values("customer_id")


def has_declined_profiling(customer: str) -> Exists:
    """Return an SQL condition: the customer in column `customer` declined."""
    return Exists(
        CustomerProfile.objects.filter(
            customer_id=OuterRef(customer), profiling_consent=False
        )
    )


def withhold_scores(account: LoyaltyAccount) -> LoyaltyAccount:
    """Empty the account's scores in memory (never saved), to show her unscored."""
    for name, empty in SCORE_FIELDS.items():
        setattr(account, name, empty)
    return account


def accounts_of(customer_ids: Collection[int]) -> dict[int, LoyaltyAccount]:
    """Return the customers' accounts by customer id, in one query.

    The scores of a customer who declined profiling are emptied.
    """
    accounts = LoyaltyAccount.objects.filter(customer_id__in=customer_ids).annotate(
        declined=has_declined_profiling("customer_id")
    )
    return {
        account.customer_id: withhold_scores(account) if account.declined else account
        for account in accounts
    }
