"""Refusing bad input the same way in every reseller action."""

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, NoReturn

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone

from ..core.error_codes import KinshipErrorCode
from ..relationships import validation
from .periods import shop_zone

# Staff may date a link or its end this far ahead, to prepare tomorrow's.
FUTURE_LEEWAY = timedelta(days=1)
MAX_TEXT = 2000
RATE_PLACES = 4


def refuse(field: str | None, message: str, code: KinshipErrorCode) -> NoReturn:
    """Stop the action with an error on one input field (None: the whole input)."""
    raise ValidationError(
        {field or NON_FIELD_ERRORS: ValidationError(message, code=code.value)}
    )


def check_text(field: str, value: str, *, required: bool = False) -> str:
    text = (value or "").strip()
    if required and not text:
        refuse(field, "Say why.", KinshipErrorCode.REQUIRED)
    if len(text) > MAX_TEXT:
        refuse(
            field,
            f"Write at most {MAX_TEXT} characters.",
            KinshipErrorCode.TOO_LONG,
        )
    return text


def check_rate(field: str, rate: Decimal | None) -> Decimal:
    """Return a commission rate in percent, or refuse one outside 0 to 100."""
    if rate is None or not rate.is_finite():
        refuse(field, "Enter a rate in percent, such as 10.", KinshipErrorCode.INVALID)
    if not Decimal(0) <= rate <= Decimal(100):
        refuse(
            field,
            "Enter a rate from 0 to 100 percent.",
            KinshipErrorCode.OUT_OF_RANGE,
        )
    exponent = rate.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > RATE_PLACES:
        refuse(
            field,
            f"Use at most {RATE_PLACES} decimal places.",
            KinshipErrorCode.INVALID,
        )
    return rate


def check_moment(field: str, value: Any) -> datetime:
    """Return the moment of a link or its end, aware; refuse one that is not.

    A moment without an offset is in the shop's time zone; the years allowed
    are those of every date staff type (`relationships.validation`).
    """
    refusals = validation.Refusals()
    moment = validation.check_moment(refusals, field, value, shop_zone())
    refusals.raise_any()
    if moment is None:
        refuse(field, "Give a date and time in ISO 8601.", KinshipErrorCode.REQUIRED)
    return moment


def check_not_far_ahead(field: str, moment: datetime) -> None:
    if moment > timezone.now() + FUTURE_LEEWAY:
        refuse(
            field,
            "The date may be at most one day ahead.",
            KinshipErrorCode.OUT_OF_RANGE,
        )
