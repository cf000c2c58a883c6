"""Gifts for a customer or her relatives, planned or given."""

from datetime import date
from typing import Any

from django.contrib.auth import get_user_model

from ..core.error_codes import KinshipErrorCode
from .models import NAME_LENGTH, NOTE_LENGTH, GiftStatus, KinshipGift, Relative
from .relations import display_name
from .validation import Refusals, check_cost, check_date, check_line, check_text


def _recipient(
    refusals: Refusals, customer_id: int, relative_id: int | None
) -> tuple[Relative | None, str]:
    if relative_id is None:
        return None, ""
    relative = Relative.objects.filter(pk=relative_id, customer_id=customer_id).first()
    if relative is None:
        refusals.add(
            "relative",
            "The recipient must be one of the customer's relatives.",
            KinshipErrorCode.NOT_FOUND,
        )
        return None, ""
    account = None
    if relative.relative_customer_id is not None:
        account = (
            get_user_model()
            ._default_manager.filter(pk=relative.relative_customer_id)
            .first()
        )
    return relative, display_name(relative, account)[:NAME_LENGTH]


def save_gift(gift: KinshipGift, changes: dict[str, Any], today: date) -> KinshipGift:
    """Validate and store a gift; a new one needs a status and a date.

    `changes` holds the given fields: relative_id (null: the customer
    herself), occasion, description, status, date, cost and currency.
    """
    refusals = Refusals()
    if "relative_id" in changes:
        gift.relative, gift.recipient_name = _recipient(
            refusals, gift.customer_id, changes["relative_id"]
        )
    if "occasion" in changes:
        gift.occasion = check_line(
            refusals, "occasion", changes["occasion"], NAME_LENGTH, "An occasion"
        )
    if "description" in changes:
        gift.description = check_text(
            refusals,
            "description",
            changes["description"],
            NOTE_LENGTH,
            "A description",
        )
    status: str = changes.get("status", gift.status) or ""
    if status not in GiftStatus.values:
        refusals.add(
            "status", "Say whether it is planned or given.", KinshipErrorCode.REQUIRED
        )
    when = changes.get("date", gift.date)
    if "date" in changes:
        when = check_date(refusals, "date", when)
    if when is None:
        if "date" not in refusals:
            refusals.add(
                "date", "Give the date of the gift.", KinshipErrorCode.REQUIRED
            )
    elif status == GiftStatus.GIVEN and when > today:
        refusals.add(
            "date",
            "A gift given cannot be dated in the future; plan it instead.",
            KinshipErrorCode.OUT_OF_RANGE,
        )
    if "cost" in changes or "currency" in changes:
        gift.cost, gift.currency = check_cost(
            refusals,
            changes.get("cost", gift.cost),
            changes.get("currency", gift.currency),
        )
    refusals.raise_any()

    gift.status, gift.date = status, when
    gift.save()
    return gift
