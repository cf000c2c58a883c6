"""Creating deliveries once per key, and handing them to the worker."""

import logging
from collections.abc import Iterable
from functools import partial
from typing import Any

from celery.exceptions import Retry
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.db import transaction

from . import DeliveryStatus, Trigger
from .models import Delivery

logger = logging.getLogger(__name__)

# Keys are at most this long; longer causes are shortened to fit.
KEY_LENGTH = 200


def consenting(customer_ids: Iterable[int]) -> set[int]:
    """Return the ids of active customers who have not opted out of e-mails.

    A customer without a relationship profile has not opted out.
    """
    ids = set(customer_ids)
    if not ids:
        return set()
    user_model = get_user_model()
    customers = user_model._default_manager.filter(pk__in=ids)
    if _has_field(user_model, "is_active"):
        customers = customers.filter(is_active=True)
    if _has_field(user_model, "kinship_profile"):
        customers = customers.exclude(kinship_profile__email_consent=False)
    return set(customers.values_list("pk", flat=True))


def _has_field(model: Any, name: str) -> bool:
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


def queue_delivery(
    key: str,
    trigger: Trigger,
    *,
    channel: str,
    customer_id: int | None,
    order_id: str = "",
    payload: dict[str, Any] | None = None,
) -> Delivery | None:
    """Create the delivery of a key and send it after commit; None if it exists."""
    delivery, created = Delivery.objects.get_or_create(
        key=key[:KEY_LENGTH],
        defaults={
            "trigger": trigger.value,
            "channel": channel,
            "customer_id": customer_id,
            "order_id": order_id,
            "payload": payload or {},
        },
    )
    if not created:
        return None
    send_after_commit(delivery.pk)
    return delivery


def queue_deliveries(deliveries: list[Delivery]) -> int:
    """Create the deliveries whose keys are new, in one statement; send them all.

    Returns how many were queued. Rows already pending are queued again:
    the claim in sending.py lets only one attempt through.
    """
    if not deliveries:
        return 0
    Delivery.objects.bulk_create(deliveries, ignore_conflicts=True, batch_size=500)
    pending = Delivery.objects.filter(
        key__in=[delivery.key for delivery in deliveries],
        status=DeliveryStatus.PENDING,
    ).values_list("pk", flat=True)
    ids = list(pending)
    for delivery_id in ids:
        send_after_commit(delivery_id)
    return len(ids)


def send_after_commit(delivery_id: int) -> None:
    transaction.on_commit(partial(dispatch, delivery_id))


def dispatch(delivery_id: int) -> None:
    """Queue the send task now; a failure to queue is logged, never raised."""
    from .tasks import send_email

    try:
        send_email.delay(delivery_id)
    except Retry:
        # Only with eager Celery: the attempt ran inline and failed; the row
        # says when the next one is due, and the sweep makes it.
        pass
    except Exception as error:
        # The row stays pending and the sweep queues it again; the order or
        # the change that caused it is committed and must not fail now.
        logger.warning(
            "Kinship could not queue e-mail delivery %s: %s",
            delivery_id,
            type(error).__name__,
        )
