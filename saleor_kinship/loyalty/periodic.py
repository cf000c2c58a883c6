"""The programme's periodic jobs, run once per day or year of the shop's calendar.

The Celery tasks call these every hour; each job remembers the last day
(or year) it ran for in a LoyaltyJobState row, so a job runs once per local
day or year, and runs late rather than never after the worker was down.
"""

import zoneinfo
from datetime import date, datetime

from django.db import transaction

from ..core.host import get_host
from .expiry import ExpiryOutcome, expire_points
from .models import LoyaltyJobState
from .review import ReviewOutcome, review_tiers

EXPIRY_STATE = "points_expiry"
REVIEW_STATE = "tier_review"


def local_today(now: datetime) -> date:
    """Return the shop's calendar day at `now`."""
    time_zone = get_host().programme_settings().time_zone
    return now.astimezone(zoneinfo.ZoneInfo(time_zone)).date()


def read_state(name: str) -> dict:
    row = LoyaltyJobState.objects.filter(name=name).first()
    return row.value if row else {}


def write_state(name: str, value: dict) -> None:
    with transaction.atomic():
        LoyaltyJobState.objects.update_or_create(name=name, defaults={"value": value})


def run_due_expiry(now: datetime) -> ExpiryOutcome | None:
    """Expire points once per local day; return None when today's run is done."""
    today = local_today(now)
    if read_state(EXPIRY_STATE).get("day", "") >= today.isoformat():
        return None
    outcome = expire_points(today, now=now)
    write_state(EXPIRY_STATE, {"day": today.isoformat()})
    return outcome


def run_due_review(now: datetime) -> ReviewOutcome | None:
    """Review tiers on the first run of each local year; None when not due.

    The first run after installation only notes the year: installing is not
    a review.
    """
    programme = get_host().programme_settings()
    year = local_today(now).year
    last = read_state(REVIEW_STATE).get("year")
    if last is not None and last >= year:
        return None
    outcome = None
    if last is not None and programme.tier_review == "yearly":
        outcome = review_tiers(now, reason=f"Yearly tier review {year}")
    write_state(REVIEW_STATE, {"year": year})
    return outcome
