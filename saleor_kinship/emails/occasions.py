"""E-mails about a day rather than an order: birthdays and expiring points.

Both run hourly (Celery beat, see schedule.py) and by hand (management
commands), from the configured hour of the shop's day, as often as anyone
likes: each e-mail is keyed by its customer and its day, so a second run the
same day queues nothing new.
"""

import logging
import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.utils import timezone

from ..core.host import get_host
from . import Trigger
from .context import domain_api
from .deliveries import consenting, queue_deliveries
from .models import Delivery

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Run:
    """What one run did, for the command's one line and the logs."""

    queued: int
    day: date
    time_zone: str
    note: str = ""  # why nothing was considered, when so


def shop_now(now: datetime | None = None) -> tuple[datetime, str]:
    """Return the moment in the shop's time zone (programme settings)."""
    name = get_host().programme_settings().time_zone
    moment = now or timezone.now()
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=zoneinfo.ZoneInfo(name))
    return moment.astimezone(zoneinfo.ZoneInfo(name)), name


def _too_early(local: datetime, programme: Any) -> str:
    if local.hour < programme.email_hour:
        return f"they go from {programme.email_hour:02d}:00"
    return ""


def send_birthday_emails(now: datetime | None = None) -> Run:
    """Queue today's birthday e-mails once the configured hour has come."""
    local, zone = shop_now(now)
    programme = get_host().programme_settings()
    day = local.date()
    if not programme.email_birthday:
        return Run(0, day, zone, "birthday e-mails are switched off")
    if too_early := _too_early(local, programme):
        return Run(0, day, zone, too_early)
    birthdays_on = domain_api("saleor_kinship.relationships.dates", "birthdays_on")
    if birthdays_on is None:
        return Run(0, day, zone, "birthdays are not recorded in this version")

    channel = get_host().default_channel_slug()
    customers = sorted(consenting(birthdays_on(day)))
    queued = queue_deliveries(
        [
            Delivery(
                key=f"birthday:{customer_id}:{day.year}",
                trigger=Trigger.BIRTHDAY.value,
                channel=channel,
                customer_id=customer_id,
                payload={"day": day.isoformat()},
            )
            for customer_id in customers
        ]
    )
    logger.info("Kinship queued %d birthday e-mail(s) for %s", queued, day)
    return Run(queued, day, zone)


def send_points_expiring_emails(today: date | None = None) -> Run:
    """Queue reminders of points expiring within the warning window.

    Without `today` it runs for the shop's today, once the hour has come; a
    day given (by the command) is run whatever the hour.
    """
    local, zone = shop_now()
    day = today or local.date()
    programme = get_host().programme_settings()
    if not programme.email_points_expiring:
        return Run(0, day, zone, "points-expiring e-mails are switched off")
    if today is None and (too_early := _too_early(local, programme)):
        return Run(0, day, zone, too_early)
    customers_with_points_expiring = domain_api(
        "saleor_kinship.loyalty.api", "customers_with_points_expiring"
    )
    if customers_with_points_expiring is None:
        return Run(0, day, zone, "points do not expire in this version")

    expiring = customers_with_points_expiring(programme.expiry_warning_days, day)
    allowed = consenting(entry.customer_id for entry in expiring)
    channel = get_host().default_channel_slug()
    queued = queue_deliveries(
        [
            Delivery(
                key=f"points_expiring:{entry.customer_id}:{entry.expire_on}",
                trigger=Trigger.POINTS_EXPIRING.value,
                channel=channel,
                customer_id=entry.customer_id,
                payload={
                    "points": entry.points,
                    "expire_on": entry.expire_on.isoformat(),
                },
            )
            for entry in expiring
            if entry.customer_id in allowed and entry.points > 0
        ]
    )
    logger.info("Kinship queued %d points-expiring e-mail(s) for %s", queued, day)
    return Run(queued, day, zone)
