"""The tier review: every customer's tier is set to what her points reach.

Between reviews a tier only rises. With `tier_review` 'yearly' the review
runs on 1 January in the shop's time zone (the periodic task catches up on
the first run after it if the worker was down); with 'never' tiers never fall
and there is no review.
"""

import logging
from dataclasses import dataclass
from datetime import datetime
from itertools import batched

from django.db import transaction

from ..core.host import get_host
from . import ledger
from .models import LoyaltyAccount
from .rules import tier_for
from .tiers import basis_points, change_tiers

logger = logging.getLogger(__name__)

CUSTOMERS_PER_TRANSACTION = 1000


@dataclass(frozen=True)
class ReviewOutcome:
    reviewed: int
    risen: int
    fallen: int


def review_tiers(at: datetime, *, reason: str) -> ReviewOutcome:
    """Set each account's tier to what its points reach at `at`, up or down.

    Does nothing when the programme's tier review is 'never'.
    """
    programme = get_host().programme_settings()
    if programme.tier_review == "never":
        return ReviewOutcome(0, 0, 0)
    tiers = programme.tiers
    ranks = {tier.name: rank for rank, tier in enumerate(tiers)}
    ids = list(
        LoyaltyAccount.objects.order_by("customer_id").values_list(
            "customer_id", flat=True
        )
    )
    risen = fallen = 0
    for chunk in batched(ids, CUSTOMERS_PER_TRANSACTION):
        with transaction.atomic():
            accounts = ledger.lock_accounts(chunk)
            points = basis_points(accounts.values(), programme.tier_basis, at)
            changes = []
            for customer_id, account in accounts.items():
                tier = tier_for(points[customer_id], tiers)
                if tier == account.tier:
                    continue
                changes.append((account, tier))
                if ranks.get(tier, -1) > ranks.get(account.tier, -1):
                    risen += 1
                else:
                    fallen += 1
            change_tiers(changes, at=at, reason=reason)
    logger.info(
        "Kinship reviewed %d tier(s): %d rose, %d fell", len(ids), risen, fallen
    )
    return ReviewOutcome(len(ids), risen, fallen)
