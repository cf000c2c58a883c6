"""One attempt at a delivery: one e-mail per key, as far as SMTP allows.

An attempt first claims the row (pending or failed -> sending) in its own
committed transaction, so a second attempt cannot start the same conversation
with the server. Then:

* the server took the message -> sent, and a timeline entry;
* it certainly did not (refused, unreachable, before the content went out)
  -> failed, with a retry after a growing pause while attempts remain;
* nobody can tell (the connection broke while the server took the content,
  or a later attempt finds a stale claim: the worker died mid-send)
  -> unknown, and nothing is sent again until staff choose to.

Call `attempt` outside any transaction: the claim must be visible before the
server is contacted.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from ..interactions.models import InteractionKind
from ..interactions.timeline import record_automatic
from . import ORDER_TRIGGERS, DeliveryStatus
from .compose import Composed, Skip, build_message, compose, message_id
from .models import Delivery
from .smtp import OutcomeUnknown, SendError, send

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 10
FIRST_PAUSE = timedelta(minutes=1)
LONGEST_PAUSE = timedelta(hours=4)
# A claim older than this belongs to an attempt that died: every step of the
# SMTP conversation times out long before.
STALE_CLAIM = timedelta(minutes=15)

STALE_MESSAGE = (
    "An attempt stopped while it was sending (the worker died or lost its "
    "connection); the customer may have received the e-mail."
)


@dataclass(frozen=True)
class Attempt:
    """What an attempt did; `retry_in` is set when another one is due."""

    status: DeliveryStatus | None  # None: the delivery was not claimable
    retry_in: timedelta | None = None


def pause_after(attempts: int) -> timedelta:
    """Return the pause before the next attempt: 1, 2, 4 ... minutes, 4 h at most."""
    return min(FIRST_PAUSE * 2 ** max(attempts - 1, 0), LONGEST_PAUSE)


def claimable() -> Q:
    # A failed delivery without a next attempt has given up; only staff revive it.
    return Q(status=DeliveryStatus.PENDING) | Q(
        status=DeliveryStatus.FAILED, next_attempt_at__isnull=False
    )


def _claim(delivery_id: int) -> Delivery | None:
    now = timezone.now()
    with transaction.atomic():
        claimed = Delivery.objects.filter(claimable(), pk=delivery_id).update(
            status=DeliveryStatus.SENDING,
            attempts=F("attempts") + 1,
            claimed_at=now,
            next_attempt_at=None,
            updated_at=now,
        )
        if claimed:
            return Delivery.objects.get(pk=delivery_id)
    mark_stale(Q(pk=delivery_id))
    return None


def mark_stale(which: Q) -> int:
    """Mark deliveries left in `sending` by dead attempts as unknown."""
    now = timezone.now()
    stale = Delivery.objects.filter(
        which, status=DeliveryStatus.SENDING, claimed_at__lt=now - STALE_CLAIM
    )
    count = stale.update(
        status=DeliveryStatus.UNKNOWN, last_error=STALE_MESSAGE, updated_at=now
    )
    if count:
        logger.warning("Kinship marked %d stalled e-mail deliveries unknown", count)
    return count


def _settle(delivery: Delivery, **values: object) -> bool:
    """Write this attempt's outcome, unless someone else has taken the row over."""
    values.setdefault("updated_at", timezone.now())
    return bool(
        Delivery.objects.filter(
            pk=delivery.pk,
            attempts=delivery.attempts,
            status__in=[DeliveryStatus.SENDING, DeliveryStatus.UNKNOWN],
        ).update(**values)
    )


def _failed(delivery: Delivery, error: str, *, permanent: bool) -> Attempt:
    retry = not permanent and delivery.attempts < MAX_ATTEMPTS
    pause = pause_after(delivery.attempts) if retry else None
    _settle(
        delivery,
        status=DeliveryStatus.FAILED,
        last_error=error,
        next_attempt_at=timezone.now() + pause if pause else None,
    )
    logger.warning(
        "Kinship e-mail delivery %s failed (attempt %d)%s",
        delivery.pk,
        delivery.attempts,
        f", next in {pause}" if pause else ", no more automatic attempts",
    )
    return Attempt(DeliveryStatus.FAILED, pause)


def _sent(delivery: Delivery, composed: Composed) -> Attempt:
    now = timezone.now()
    with transaction.atomic():
        _settle(delivery, status=DeliveryStatus.SENT, sent_at=now, last_error="")
        if delivery.customer_id is not None:
            order_email = composed.trigger in ORDER_TRIGGERS
            record_automatic(
                customer_id=delivery.customer_id,
                kind=InteractionKind.THANK_YOU_SENT
                if order_email
                else InteractionKind.EMAIL,
                key=f"email:{delivery.pk}",
                occurred_at=now,
                summary=f"E-mail sent: {composed.email.subject}",
                body=composed.email.text[:10_000],
                channel=delivery.channel,
                order_id=delivery.order_id,
            )
    return Attempt(DeliveryStatus.SENT)


def attempt(delivery_id: int) -> Attempt:
    """Make one attempt at a delivery and record its outcome on the row."""
    delivery = _claim(delivery_id)
    if delivery is None:
        return Attempt(None)

    try:
        composed = compose(delivery)
    except Skip as reason:
        _settle(delivery, status=DeliveryStatus.SKIPPED, last_error=str(reason))
        logger.info("Kinship skipped e-mail delivery %s", delivery.pk)
        return Attempt(DeliveryStatus.SKIPPED)
    except Exception as error:
        logger.exception("Kinship could not compose e-mail delivery %s", delivery.pk)
        return _failed(
            delivery,
            f"Kinship could not prepare the e-mail: {type(error).__name__}.",
            permanent=False,
        )
    # Staff see what is being sent, whatever happens next.
    _settle(delivery, recipient=composed.recipient, subject=composed.email.subject)

    message = build_message(composed, message_id(delivery, composed.sender))
    try:
        send(composed.smtp, message)
    except SendError as error:
        return _failed(delivery, str(error), permanent=error.permanent)
    except OutcomeUnknown as error:
        _settle(delivery, status=DeliveryStatus.UNKNOWN, last_error=str(error))
        logger.error("Kinship e-mail delivery %s: outcome unknown", delivery.pk)
        return Attempt(DeliveryStatus.UNKNOWN)
    return _sent(delivery, composed)


def revive(delivery_id: int) -> bool:
    """Make a failed or unknown delivery pending again, as staff ask; True if so."""
    now = timezone.now()
    return bool(
        Delivery.objects.filter(
            pk=delivery_id,
            status__in=[DeliveryStatus.FAILED, DeliveryStatus.UNKNOWN],
        ).update(
            status=DeliveryStatus.PENDING,
            next_attempt_at=None,
            claimed_at=None,
            updated_at=now,
        )
    )


# Pending rows whose task was lost (the broker was down) and failed rows whose
# retry never came are queued again after this much quiet.
OVERDUE_AFTER = timedelta(minutes=10)


def overdue(limit: int = 1000) -> list[int]:
    """Mark stale claims unknown; return deliveries whose attempt is overdue."""
    mark_stale(Q())
    quiet_since = timezone.now() - OVERDUE_AFTER
    rows = Delivery.objects.filter(
        Q(status=DeliveryStatus.PENDING, updated_at__lt=quiet_since)
        | Q(status=DeliveryStatus.FAILED, next_attempt_at__lt=quiet_since)
    ).order_by("pk")
    return list(rows.values_list("pk", flat=True)[:limit])
