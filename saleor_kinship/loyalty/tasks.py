"""Celery tasks of the loyalty programme; see schedule.py for when they run."""

import logging

from celery import shared_task
from django.utils import timezone

from ..privacy.mirror import mirror_changed_customers
from .periodic import run_due_expiry, run_due_review

logger = logging.getLogger(__name__)


@shared_task(name="saleor_kinship.loyalty.expire_points")
def expire_points_task() -> None:
    """Expire due points once per day; a failed run is repeated the next hour."""
    outcome = run_due_expiry(timezone.now())
    if outcome is not None:
        mirror_changed_customers()
        logger.info(
            "Kinship expiry: %d point(s) of %d customer(s)",
            outcome.points,
            outcome.customers,
        )


@shared_task(name="saleor_kinship.loyalty.review_tiers")
def review_tiers_task() -> None:
    """Review tiers once per year; a failed run is repeated the next hour."""
    outcome = run_due_review(timezone.now())
    if outcome is not None:
        mirror_changed_customers()
        logger.info(
            "Kinship tier review: %d customer(s), %d rose, %d fell",
            outcome.reviewed,
            outcome.risen,
            outcome.fallen,
        )
