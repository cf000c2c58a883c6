"""Celery tasks; the host's Celery app finds them here (autodiscovery)."""

import logging
from typing import Any

from celery import shared_task

from .core.error_codes import KinshipErrorCode
from .core.host import get_host
from .core.processing import describe, keep_failed, run_event
from .emails.tasks import send_email  # noqa: F401
from .loyalty.scoring_tasks import rescore_customers  # noqa: F401
from .loyalty.tasks import expire_points_task, review_tiers_task  # noqa: F401
from .privacy.tasks import (  # noqa: F401
    mirror_changed_customers_task,
    mirror_customers_task,
)

logger = logging.getLogger(__name__)

MAX_RETRIES = 8


def _run_with_retries(task: Any, kind: str, payload: dict[str, Any]) -> None:
    try:
        with get_host().writer():
            run_event(kind, payload)
    except Exception as error:
        attempt = task.request.retries + 1
        if attempt > MAX_RETRIES:
            with get_host().writer():
                keep_failed(
                    kind, payload, error, KinshipErrorCode.INTERNAL_ERROR.value, attempt
                )
            return
        countdown = min(2**attempt, 600)
        logger.warning(
            "Kinship %s event %s failed (attempt %d), retrying in %ds: %s",
            kind,
            describe(payload),
            attempt,
            countdown,
            type(error).__name__,
        )
        raise task.retry(exc=error, countdown=countdown, max_retries=MAX_RETRIES + 1)


@shared_task(bind=True, acks_late=True, name="saleor_kinship.process_order_event")
def process_order_event(self: Any, payload: dict[str, Any]) -> None:
    _run_with_retries(self, "order", payload)


@shared_task(bind=True, acks_late=True, name="saleor_kinship.process_customer_event")
def process_customer_event(self: Any, payload: dict[str, Any]) -> None:
    _run_with_retries(self, "customer", payload)
