"""Running events with retries, and keeping the ones that fail for good."""

import logging
from collections.abc import Callable
from typing import Any

from .error_codes import KinshipErrorCode
from .events import InvalidEvent, handle_customer_event, handle_order_event
from .models import FailedEvent

logger = logging.getLogger(__name__)

HANDLERS: dict[str, Callable[[dict[str, Any]], None]] = {
    "order": handle_order_event,
    "customer": handle_customer_event,
}


def describe(payload: dict[str, Any]) -> str:
    """Return ids that identify an event in logs, never personal data."""
    order = payload.get("order") if isinstance(payload.get("order"), dict) else None
    if order:
        return f"order={order.get('id')} kind={payload.get('kind')}"
    return f"customer={payload.get('customer_id')} kind={payload.get('kind')}"


def keep_failed(
    kind: str, payload: dict[str, Any], error: Exception, code: str, attempts: int
) -> FailedEvent:
    logger.error(
        "Kinship gave up on %s event %s after %d attempt(s): %s",
        kind,
        describe(payload),
        attempts,
        code,
    )
    return FailedEvent.objects.create(
        kind=kind, payload=payload, error=str(error), code=code, attempts=attempts
    )


def run_event(kind: str, payload: dict[str, Any]) -> None:
    """Handle one event; InvalidEvent is kept at once, other errors propagate."""
    try:
        HANDLERS[kind](payload)
    except InvalidEvent as error:
        keep_failed(kind, payload, error, error.code.value, attempts=1)


def replay(failed: FailedEvent) -> bool:
    """Run a kept event again; return True and mark it replayed on success."""
    from django.utils import timezone

    try:
        HANDLERS[failed.kind](failed.payload)
    except InvalidEvent as error:
        failed.error, failed.code = str(error), error.code.value
        failed.attempts += 1
        failed.save(update_fields=["error", "code", "attempts", "failed_at"])
        return False
    except Exception as error:  # kept on the row for the operator to read
        failed.error, failed.code = str(error), KinshipErrorCode.INTERNAL_ERROR.value
        failed.attempts += 1
        failed.save(update_fields=["error", "code", "attempts", "failed_at"])
        return False
    failed.replayed_at = timezone.now()
    failed.save(update_fields=["replayed_at"])
    return True
