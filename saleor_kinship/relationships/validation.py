"""Checks on what staff and customers type, each refusal naming a field and a code.

Single-line text (names, labels, handles) is trimmed; longer text (notes,
descriptions) is stored as typed. Text of nothing but spaces and line breaks
is stored as empty in both. Everything is escaped where shown.
"""

import calendar
import re
import unicodedata
import zoneinfo
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any, NamedTuple

from django.core.exceptions import ValidationError
from django.utils import timezone

from ..core.configuration import time_zone
from ..core.currencies import MINOR_UNITS, is_currency
from ..core.error_codes import KinshipErrorCode
from .models import TAG_LENGTH, TAG_LIMIT

# Every date and moment staff or customers type lies in these years: gifts,
# follow-ups, timeline entries, reseller links, birthdays and important dates.
# Anything outside is a typing mistake. Periods that a query reads over
# (statements, the timeline's occurredFrom) take any date.
EARLIEST_YEAR = 1900
LATEST_YEAR = 2200
EARLIEST_DATE = date(EARLIEST_YEAR, 1, 1)
LATEST_DATE = date(LATEST_YEAR, 12, 31)

_WHITESPACE = re.compile(r"\s+")


class Refusals:
    """Collects refused fields so that one answer names every mistake."""

    def __init__(self) -> None:
        self.errors: dict[str, list[ValidationError]] = {}

    def add(self, field: str, message: str, code: KinshipErrorCode) -> None:
        self.errors.setdefault(field, []).append(
            ValidationError(message, code=code.value)
        )

    def __contains__(self, field: str) -> bool:
        return field in self.errors

    def raise_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


def refuse(field: str, message: str, code: KinshipErrorCode) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code.value)})


class DayOfYear(NamedTuple):
    day: int
    month: int
    year: int | None = None


def check_text(
    refusals: Refusals, field: str, value: str | None, limit: int, label: str
) -> str:
    """Return longer text as typed; text of only spaces and line breaks as ""."""
    text = value or ""
    if text.isspace():
        text = ""
    if len(text) > limit:
        refusals.add(
            field,
            f"{label} can be at most {limit} characters ({len(text)} given).",
            KinshipErrorCode.TOO_LONG,
        )
    return text


def check_line(
    refusals: Refusals, field: str, value: str | None, limit: int, label: str
) -> str:
    """Return single-line text trimmed of spaces at both ends."""
    return check_text(refusals, field, (value or "").strip(), limit, label)


def check_required_text(
    refusals: Refusals, field: str, value: str | None, limit: int, label: str
) -> str:
    text = check_line(refusals, field, value, limit, label)
    if not text and field not in refusals:
        refusals.add(field, f"{label} is required.", KinshipErrorCode.REQUIRED)
    return text


def _is_visible(character: str) -> bool:
    # Letters, digits, punctuation and symbols; not spaces, controls, format
    # characters (such as U+202E, which turns text around) or lone accents.
    return unicodedata.category(character)[0] in "LNPS"


def _trim_invisible(text: str) -> str:
    start, end = 0, len(text)
    while start < end and unicodedata.category(text[start])[0] in "CZ":
        start += 1
    while end > start and unicodedata.category(text[end - 1])[0] in "CZ":
        end -= 1
    return text[start:end]


def normalise_tag(tag: str) -> str:
    """Return a tag or a role name as stored and compared.

    NFKC first, so that "e" with a combining accent and "é", or full-width
    and plain letters, are one name; then spaces collapsed, the ends trimmed
    of spaces and invisible characters, and lower case. A name without a
    visible character becomes "".
    """
    text = unicodedata.normalize("NFKC", tag)
    text = _trim_invisible(_WHITESPACE.sub(" ", text)).lower()
    return text if any(map(_is_visible, text)) else ""


def is_invisible(given: str) -> bool:
    """Return True for text that is not blank but shows nothing (U+202E alone)."""
    return bool(given.strip()) and not normalise_tag(given)


def check_role(refusals: Refusals, field: str, given: str | None, limit: int) -> str:
    """Return a role name normalised as a tag; refuse it empty or invisible."""
    if is_invisible(given or ""):
        refusals.add(
            field, "A role needs a visible character.", KinshipErrorCode.INVALID
        )
        return ""
    return check_required_text(
        refusals, field, normalise_tag(given or ""), limit, "A role"
    )


def check_tags(refusals: Refusals, field: str, tags: Iterable[str]) -> list[str]:
    """Return the tags normalised (see normalise_tag) and without repeats.

    Blank tags are dropped; a tag that is not blank but shows nothing is refused.
    """
    tags = list(tags)
    if any(map(is_invisible, tags)):
        refusals.add(
            field, "A tag needs a visible character.", KinshipErrorCode.INVALID
        )
    unique: list[str] = []
    for tag in map(normalise_tag, tags):
        if tag and tag not in unique:
            unique.append(tag)
    too_long = [tag for tag in unique if len(tag) > TAG_LENGTH]
    if too_long:
        refusals.add(
            field,
            f"A tag can be at most {TAG_LENGTH} characters; "
            f"{len(too_long)} tag(s) are longer.",
            KinshipErrorCode.TOO_LONG,
        )
    if len(unique) > TAG_LIMIT:
        refusals.add(
            field,
            f"A customer can have at most {TAG_LIMIT} tags ({len(unique)} given).",
            KinshipErrorCode.TOO_MANY,
        )
    return unique


def check_score(refusals: Refusals, field: str, value: int | None) -> int | None:
    if value is not None and not 1 <= value <= 5:
        refusals.add(
            field, "Give a score from 1 to 5, or null.", KinshipErrorCode.OUT_OF_RANGE
        )
    return value


def check_time_zone(refusals: Refusals, field: str, value: str | None) -> str:
    name = (value or "").strip()
    if name:
        try:
            time_zone(name)
        except ValueError as error:
            refusals.add(field, str(error), KinshipErrorCode.INVALID)
    return name


def check_date(refusals: Refusals, field: str, value: Any) -> date | None:
    """Return a date from EARLIEST_DATE to LATEST_DATE; None if not given or refused."""
    if value is None:
        return None
    if not isinstance(value, date) or isinstance(value, datetime):
        refusals.add(
            field,
            f"'{value}' is not a date written as YYYY-MM-DD.",
            KinshipErrorCode.INVALID,
        )
        return None
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        refusals.add(
            field,
            f"Give a date from {EARLIEST_DATE} to {LATEST_DATE}.",
            KinshipErrorCode.OUT_OF_RANGE,
        )
        return None
    return value


def check_moment(
    refusals: Refusals, field: str, value: Any, zone: zoneinfo.ZoneInfo
) -> datetime | None:
    """Return an aware moment on a day from EARLIEST_DATE to LATEST_DATE in `zone`.

    A moment without an offset is read in `zone` (the shop's time zone).
    None if not given or refused.
    """
    if value is None:
        return None
    if not isinstance(value, datetime):
        refusals.add(
            field,
            f"'{value}' is not a date and time in ISO 8601, such as "
            "2026-04-01T09:30:00+02:00.",
            KinshipErrorCode.INVALID,
        )
        return None
    moment = timezone.make_aware(value, zone) if timezone.is_naive(value) else value
    try:
        day: date | None = moment.astimezone(zone).date()
    except OverflowError:
        day = None
    if day is None or not EARLIEST_DATE <= day <= LATEST_DATE:
        refusals.add(
            field,
            f"Give a date and time from {EARLIEST_DATE} to {LATEST_DATE}.",
            KinshipErrorCode.OUT_OF_RANGE,
        )
        return None
    return moment


def check_day_of_year(
    refusals: Refusals, field: str, day: int, month: int, year: int | None
) -> DayOfYear | None:
    """Return the date if it exists (29 February only in leap years, if given)."""
    if not 1 <= month <= 12:
        refusals.add(field, "Give a month from 1 to 12.", KinshipErrorCode.INVALID)
        return None
    if year is not None and not EARLIEST_YEAR <= year <= LATEST_YEAR:
        refusals.add(
            field,
            f"Give a year from {EARLIEST_YEAR} to {LATEST_YEAR}.",
            KinshipErrorCode.OUT_OF_RANGE,
        )
        return None
    # Without a year, 29 February is a real (leap-year) date.
    days_in_month = calendar.monthrange(year if year is not None else 2000, month)[1]
    if not 1 <= day <= days_in_month:
        when = f" {year}" if year is not None else ""
        refusals.add(
            field,
            f"{calendar.month_name[month]}{when} has no day {day}.",
            KinshipErrorCode.INVALID,
        )
        return None
    return DayOfYear(day, month, year)


def check_birthday(
    refusals: Refusals, field: str, birthday: DayOfYear | None, today: date
) -> DayOfYear | None:
    """Return the birthday if it exists and is not in the future."""
    if birthday is None:
        return None
    found = check_day_of_year(refusals, field, *birthday)
    if found is None or found.year is None:
        return found
    if date(found.year, found.month, found.day) > today:
        refusals.add(
            field, "A birthday cannot be in the future.", KinshipErrorCode.OUT_OF_RANGE
        )
        return None
    return found


def check_cost(
    refusals: Refusals, cost: Decimal | None, currency: str | None
) -> tuple[Decimal | None, str]:
    """Return the cost and its ISO 4217 currency.

    A cost needs a currency; a currency without a cost is kept, for the cost
    to be added later. A cost of -0 is 0.
    """
    code = (currency or "").strip().upper()
    if code and not is_currency(code):
        refusals.add(
            "currency",
            f"'{code[:8]}' is not an ISO 4217 currency code.",
            KinshipErrorCode.UNKNOWN_CURRENCY,
        )
    if cost is None:
        return None, code
    if cost.is_zero():
        cost = abs(cost)
    if not cost.is_finite() or cost < 0 or cost >= Decimal(10) ** 9:
        refusals.add(
            "cost",
            "Give a cost from 0 to 999,999,999.",
            KinshipErrorCode.OUT_OF_RANGE,
        )
    elif not code:
        refusals.add(
            "currency", "Give the currency of the cost.", KinshipErrorCode.REQUIRED
        )
    elif is_currency(code):
        places = MINOR_UNITS[code]
        exponent = cost.normalize().as_tuple().exponent
        if isinstance(exponent, int) and -exponent > places:
            refusals.add(
                "cost",
                f"{code} amounts have at most {places} decimal places.",
                KinshipErrorCode.INVALID,
            )
    return cost, code
