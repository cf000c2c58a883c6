"""The nightly rescoring task and when it runs.

A host merges the schedule into its Celery beat schedule, for Saleor::

    from saleor_kinship.loyalty.scoring_tasks import RESCORE_BEAT_SCHEDULE
    CELERY_BEAT_SCHEDULE.update(RESCORE_BEAT_SCHEDULE)
"""

import logging

from celery import shared_task
from celery.schedules import crontab

from ..core.host import get_host
from ..privacy.mirror import mirror_changed_customers
from .scoring import RescoringInProgress, rescore

logger = logging.getLogger(__name__)

# Once a day at 03:40 UTC, when shops are quiet; scores are as of that day.
RESCORE_BEAT_SCHEDULE = {
    "kinship-rescore-customers": {
        "task": "saleor_kinship.loyalty.rescore_customers",
        "schedule": crontab(hour=3, minute=40),
    },
}


@shared_task(name="saleor_kinship.loyalty.rescore_customers", ignore_result=True)
def rescore_customers() -> None:
    """Score every customer as of today; skip if a rescoring is already running."""
    try:
        with get_host().writer():
            result = rescore()
            mirror_changed_customers()
    except RescoringInProgress:
        logger.info("Kinship rescoring skipped: another one is running.")
        return
    logger.info(
        "Kinship rescoring as of %s: %d customer(s) in %.2f s",
        result.as_of,
        result.customers,
        sum(result.timings.values()),
    )
