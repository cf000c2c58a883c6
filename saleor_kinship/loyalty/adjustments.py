"""Points given or taken by hand (staff adjustments) or by a programme (bonuses)."""

import uuid
from datetime import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from ..core.error_codes import KinshipErrorCode
from ..core.host import get_host
from ..privacy.mirror import request_mirror
from . import ledger
from .models import MAX_POINTS, MIN_POINTS, LedgerEntry, LedgerEntryKind
from .tiers import raise_tiers

MAX_REASON_LENGTH = 500


def _refuse(field: str, message: str, code: KinshipErrorCode) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code.value)})


def clean_reason(reason: str | None) -> str:
    """Return the reason stripped, or raise ValidationError (required, <= 500)."""
    reason = (reason or "").strip()
    if not reason:
        raise _refuse("reason", "Say why the points change.", KinshipErrorCode.REQUIRED)
    if len(reason) > MAX_REASON_LENGTH:
        raise _refuse(
            "reason",
            f"Keep the reason to {MAX_REASON_LENGTH} characters.",
            KinshipErrorCode.TOO_LONG,
        )
    return reason


def adjust_points(
    customer_id: int,
    points: int,
    reason: str | None,
    *,
    now: datetime,
    staff_id: int | None = None,
    app_id: str = "",
) -> LedgerEntry:
    """Add (or take, when negative) points by hand; raise ValidationError if refused.

    Adjustments change the balance, not lifetime points or the tier. Nothing
    is written when the adjustment is refused.
    """
    reason = clean_reason(reason)
    if points == 0:
        raise _refuse(
            "points", "Give a number of points other than 0.", KinshipErrorCode.INVALID
        )
    if not get_user_model()._default_manager.filter(pk=customer_id).exists():
        raise _refuse(
            "customerId", "There is no such customer.", KinshipErrorCode.NOT_FOUND
        )

    account = ledger.lock_accounts([customer_id])[customer_id]
    balance = account.balance + points
    if not MIN_POINTS <= balance <= MAX_POINTS:
        raise _refuse(
            "points",
            f"The balance would be {balance}, outside what a balance can hold "
            f"({MIN_POINTS} to {MAX_POINTS}).",
            KinshipErrorCode.OUT_OF_RANGE,
        )
    allow_negative = get_host().programme_settings().allow_negative_balance
    if balance < 0 and points < 0 and not allow_negative:
        raise _refuse(
            "points",
            f"The customer has {account.balance} points; the balance may not go "
            "below zero.",
            KinshipErrorCode.INSUFFICIENT_POINTS,
        )
    entry = LedgerEntry.objects.create(
        customer_id=customer_id,
        kind=LedgerEntryKind.ADJUST,
        points=points,
        occurred_at=now,
        reason=reason,
        staff_id=staff_id,
        app_id=app_id,
        key=f"adjust:{uuid.uuid4()}",
    )
    ledger.refresh_accounts([customer_id])
    request_mirror(customer_id)
    return entry


def award_bonus(
    customer_id: int, points: int, reason: str, *, key: str, at: datetime
) -> bool:
    """Give bonus points once per key; they count towards the tier.

    Return False when the key was already used. Raise ValueError for points
    that are not positive or would overflow the balance.
    """
    if points <= 0:
        raise ValueError("A bonus is a positive number of points.")
    accounts = ledger.lock_accounts([customer_id])
    if LedgerEntry.objects.filter(key=f"bonus:{key}").exists():
        return False
    if accounts[customer_id].balance + points > MAX_POINTS:
        raise ValueError("The bonus would overflow the balance.")
    LedgerEntry.objects.create(
        customer_id=customer_id,
        kind=LedgerEntryKind.BONUS,
        points=points,
        occurred_at=at,
        reason=reason[:MAX_REASON_LENGTH],
        key=f"bonus:{key}",
    )
    ledger.refresh_accounts(accounts, into=accounts)
    programme = get_host().programme_settings()
    raise_tiers(
        accounts.values(),
        tiers=programme.tiers,
        basis=programme.tier_basis,
        at=at,
        reason=reason[:200],
    )
    request_mirror(customer_id)
    return True
