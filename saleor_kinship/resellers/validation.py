"""Refusing bad input the same way in every reseller action."""

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, NoReturn

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone

from ..core.error_codes import KinshipErrorCode
from ..relationships import validation
from .periods import shop_zone

MAX_TEXT = 2000
# How far a moment sent as "now" may run ahead of the server's clock.
CLOCK_LEEWAY = timedelta(minutes=5)
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
    # Decimal keeps the sign of a zero: "-0" is stored and answered as 0.
    return abs(rate) if rate.is_zero() else rate


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


def check_not_ahead(field: str, moment: datetime, message: str) -> datetime:
    """Return the moment, refusing one after now: links start and end as things
    happen, and a link dated ahead would show as ended (or running) before it
    does. A moment at most CLOCK_LEEWAY ahead is a client's clock running
    fast, and is taken as now.
    """
    now = timezone.now()
    if moment > now + CLOCK_LEEWAY:
        refuse(field, message, KinshipErrorCode.INVALID)
    return min(moment, now)


def shop_moment(moment: datetime) -> str:
    """Return a moment as staff read it: ISO 8601 in the shop's time zone."""
    return moment.astimezone(shop_zone()).isoformat()
