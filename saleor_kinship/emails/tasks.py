"""Celery tasks of the e-mails: one send per delivery, and the scheduled runs."""

import logging
from datetime import date, datetime
from typing import Any

from celery import shared_task

from ..core.host import get_host
from . import occasions
from .deliveries import dispatch
from .sending import attempt, overdue

logger = logging.getLogger(__name__)


@shared_task(
    bind=True, acks_late=True, max_retries=None, name="saleor_kinship.emails.send"
)
def send_email(self: Any, delivery_id: int) -> str | None:
    """Make one attempt at a delivery; schedule the next one when it is due."""
    with get_host().writer():
        outcome = attempt(delivery_id)
    if outcome.retry_in is not None:
        raise self.retry(countdown=int(outcome.retry_in.total_seconds()))
    return outcome.status.value if outcome.status else None


@shared_task(name="saleor_kinship.emails.send_birthday_emails")
def send_birthday_emails(now: str | None = None) -> int:
    """Hourly: queue the birthday e-mails of the shop's today, from its hour."""
    moment = datetime.fromisoformat(now) if now else None
    with get_host().writer():
        return occasions.send_birthday_emails(moment).queued


@shared_task(name="saleor_kinship.emails.send_points_expiring_emails")
def send_points_expiring_emails(today: str | None = None) -> int:
    """Hourly: queue reminders of points that expire within the warning days."""
    day = date.fromisoformat(today) if today else None
    with get_host().writer():
        return occasions.send_points_expiring_emails(day).queued


@shared_task(name="saleor_kinship.emails.sweep")
def sweep_deliveries() -> int:
    """Every 5 minutes: settle dead attempts, queue lost or overdue ones."""
    with get_host().writer():
        due = overdue()
    for delivery_id in due:
        dispatch(delivery_id)
    if due:
        logger.info("Kinship queued %d overdue e-mail deliveries again", len(due))
    return len(due)
