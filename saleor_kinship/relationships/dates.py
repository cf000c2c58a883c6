"""When important dates fall: upcoming dates and birthdays, in the shop's calendar.

A yearly date of 29 February is celebrated on 28 February in other years.
A date with a year first falls in that year: a wedding planned for 2027 is
not remembered in 2026, and "years" is never negative. Callers pass the
shop's today (`shop_today()`), so a day starts and ends at the shop's
midnight, not the server's.
"""

import calendar
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import reduce
from operator import or_

from django.db.models import Q
from django.utils import timezone

from ..core.host import get_host
from .models import CustomerProfile, ImportantDate

MAX_DAYS_AHEAD = 366


@dataclass(frozen=True)
class UpcomingDate:
    """One occurrence of an important date of a customer."""

    customer_id: int
    kind: str
    label: str
    date: date
    important_date_id: int
    relative_id: int | None = None
    # Years since the first occurrence (the age she turns), when the year is known.
    years: int | None = None


def shop_zone() -> zoneinfo.ZoneInfo:
    """Return the shop's time zone (programme settings)."""
    return zoneinfo.ZoneInfo(get_host().programme_settings().time_zone)


def shop_today() -> date:
    """Return today's date in the shop's time zone."""
    return timezone.now().astimezone(shop_zone()).date()


def occurrence_in(year: int, month: int, day: int) -> date:
    """Return the day a yearly date falls on in `year` (29 Feb -> 28 Feb)."""
    if month == 2 and day == 29 and not calendar.isleap(year):
        return date(year, 2, 28)
    return date(year, month, day)


def falls_in(row: ImportantDate, year: int) -> bool:
    """Return True if the date happens in `year`: from its own year on, if yearly.

    `_falls_in_condition` is the same rule in SQL; change both together.
    """
    if row.year is None:
        return True
    if row.recurring:
        return row.year <= year
    return row.year == year


def _falls_in_condition(year: int) -> Q:
    """Return `falls_in(row, year)` as a filter (a row without a year recurs)."""
    return Q(year__isnull=True) | Q(year=year) | Q(recurring=True, year__lt=year)


def next_occurrence(row: ImportantDate, today: date) -> date | None:
    """Return the first day on or after today the date falls on, if any."""
    year = max(today.year, row.year or today.year)
    for candidate in (year, year + 1):
        if falls_in(row, candidate):
            when = occurrence_in(candidate, row.month, row.day)
            if when >= today:
                return when
    return None


def as_upcoming(row: ImportantDate, when: date) -> UpcomingDate:
    years = when.year - row.year if row.year is not None else None
    return UpcomingDate(
        customer_id=row.customer_id,
        kind=row.kind,
        label=row.label or row.get_kind_display(),
        date=when,
        important_date_id=row.pk,
        relative_id=row.relative_id,
        years=years if years else None,
    )


def next_date(rows: Iterable[ImportantDate], today: date) -> UpcomingDate | None:
    """Return the soonest occurrence among one customer's dates."""
    soonest: UpcomingDate | None = None
    for row in rows:
        when = next_occurrence(row, today)
        if when is not None and (soonest is None or when < soonest.date):
            soonest = as_upcoming(row, when)
    return soonest


def _days_by_month(first: date, last: date) -> dict[tuple[int, int], set[int]]:
    """Return the days of the window as (year, month) -> stored days to match.

    In a year without 29 February, the 28th also matches rows stored as 29.
    """
    months: dict[tuple[int, int], set[int]] = defaultdict(set)
    day = first
    while day <= last:
        months[day.year, day.month].add(day.day)
        if day.month == 2 and day.day == 28 and not calendar.isleap(day.year):
            months[day.year, day.month].add(29)
        day += timedelta(days=1)
    return months


def upcoming_dates(today: date, days: int) -> list[UpcomingDate]:
    """Return every occurrence from today to today + days, soonest first.

    One query matches month and day (an index), so its cost follows the
    number of dates in the window, not the number of customers.
    """
    if not 0 <= days <= MAX_DAYS_AHEAD:
        raise ValueError(f"days must be from 0 to {MAX_DAYS_AHEAD}")
    last = today + timedelta(days=days)
    months = _days_by_month(today, last)
    condition = reduce(
        or_,
        (
            Q(month=month, day__in=sorted(matching)) & _falls_in_condition(year)
            for (year, month), matching in months.items()
        ),
    )
    found: list[UpcomingDate] = []
    for row in ImportantDate.objects.filter(condition):
        for (year, month), matching in months.items():
            if month != row.month or row.day not in matching:
                continue
            if not falls_in(row, year):
                continue
            when = occurrence_in(year, row.month, row.day)
            if today <= when <= last:
                found.append(as_upcoming(row, when))
    found.sort(key=lambda upcoming: (upcoming.date, upcoming.important_date_id))
    return found


def birthdays_on(day: date) -> list[int]:
    """Return the ids of customers whose birthday is celebrated on `day`.

    A birth year after `day`'s year (which the checks refuse) never matches.
    """
    days = [day.day]
    if day.month == 2 and day.day == 28 and not calendar.isleap(day.year):
        days.append(29)
    return list(
        CustomerProfile.objects.filter(birth_month=day.month, birth_day__in=days)
        .filter(Q(birth_year__isnull=True) | Q(birth_year__lte=day.year))
        .order_by("customer_id")
        .values_list("customer_id", flat=True)
    )
