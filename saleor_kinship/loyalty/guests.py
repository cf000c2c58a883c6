"""Points of guest orders, held against the e-mail until its account exists."""

import logging
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import connection

from ..core.host import get_host
from . import ledger
from .models import GuestPoints, LoyaltyOrder
from .tiers import raise_tiers

logger = logging.getLogger(__name__)


def attach_held_points(customer_id: int, email: str, *, now: datetime) -> int:
    """Give a new account the points held for its e-mail; return how many.

    Locks in the order every writer uses: the e-mail's orders, the guest
    holder, then the account. The guest holder is removed afterwards.
    """
    email = email.strip().lower()
    users = get_user_model()._default_manager
    if not email or not users.filter(pk=customer_id).exists():
        return 0
    held_orders = list(
        LoyaltyOrder.objects.select_for_update()
        .filter(customer__isnull=True, email=email)
        .order_by("order_id")
        .values_list("pk", flat=True)
    )
    guest = ledger.lock_guests([email])[email]
    if not held_orders and not guest.balance and not guest.lifetime_points:
        ledger.refresh_guests([email])
        return 0

    accounts = ledger.lock_accounts([customer_id])
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {ledger.ENTRIES} SET customer_id = %s, email = '' "
            "WHERE customer_id IS NULL AND email = %s",
            [customer_id, email],
        )
        cursor.execute(
            f"UPDATE {ledger.ORDERS} SET customer_id = %s, email = '' "
            "WHERE customer_id IS NULL AND email = %s",
            [customer_id, email],
        )
    ledger.refresh_accounts(accounts, into=accounts)
    ledger.refresh_guests([email])

    programme = get_host().programme_settings()
    raise_tiers(
        accounts.values(),
        tiers=programme.tiers,
        basis=programme.tier_basis,
        at=now,
        reason="Points of guest orders joined the account",
    )
    logger.info(
        "Kinship attached %d held point(s) to customer %s", guest.balance, customer_id
    )
    return guest.balance


def held_points(email: str) -> GuestPoints | None:
    """Return what is held for an e-mail, or None."""
    return GuestPoints.objects.filter(email=email.strip().lower()).first()
