"""Congratulating a customer on a higher tier, when loyalty says she reached it."""

import logging
from typing import Any

from django.db import transaction
from django.dispatch import receiver

from ..core.host import get_host
from ..core.signals import tier_changed
from . import Trigger
from .deliveries import consenting, queue_delivery

logger = logging.getLogger(__name__)


def is_rise(previous: str, tier: str, tiers: Any) -> bool:
    """Tell whether `tier` ranks above `previous` in the programme's tiers.

    Entering the lowest tier from none (it usually starts at 0 points) is not
    a rise worth an e-mail; a tier no longer in the programme counts as none.
    """
    thresholds = {entry.name: entry.threshold for entry in tiers}
    if tier not in thresholds:
        return False
    before = thresholds.get(previous)
    if before is None:
        return thresholds[tier] > min(thresholds.values())
    return thresholds[tier] > before


@receiver(tier_changed, dispatch_uid="saleor_kinship.emails.tier_reached")
def on_tier_changed(
    sender: Any,
    *,
    customer_id: int,
    previous: str,
    tier: str,
    key: str,
    **kwargs: Any,
) -> None:
    """Queue the tier e-mail of a rise, in loyalty's transaction, sent on commit."""
    try:
        # A savepoint: a failure here must not undo the tier change itself.
        with transaction.atomic():
            programme = get_host().programme_settings()
            if not programme.email_tier_reached:
                return
            if not is_rise(previous, tier, programme.tiers):
                return
            if not consenting([customer_id]):
                return
            queue_delivery(
                f"tier_reached:{key}",
                Trigger.TIER_REACHED,
                channel=get_host().default_channel_slug(),
                customer_id=customer_id,
                payload={"tier": tier, "previous": previous},
            )
    except Exception:
        logger.exception(
            "Kinship could not queue the tier e-mail of customer %s", customer_id
        )
