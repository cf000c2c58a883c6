"""The one way order and customer events enter kinship.

Fronts (Saleor's plugin hooks, an App's webhooks, the reference host, the
backfill) build plain payloads and call `enqueue_*`; a Celery worker then
calls `handle_*`, which hands the event to each domain in turn. Every domain
handler is idempotent, keyed on what the event says rather than on how many
times it arrives, so duplicates, retries and out-of-order delivery are safe.
"""

import logging
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.module_loading import import_string

from .currencies import is_currency
from .error_codes import KinshipErrorCode
from .host import settings_scope
from .snapshots import OrderEventKind, OrderSnapshot

logger = logging.getLogger(__name__)

# Each domain's entry point, called in this order for every order event.
ORDER_EVENT_HANDLERS = (
    "saleor_kinship.relationships.events.handle_order_event",
    "saleor_kinship.loyalty.events.handle_order_event",
    "saleor_kinship.resellers.events.handle_order_event",
    "saleor_kinship.interactions.events.handle_order_event",
    "saleor_kinship.emails.events.handle_order_event",
    "saleor_kinship.privacy.events.handle_order_event",
)

CUSTOMER_EVENT_HANDLERS = (
    "saleor_kinship.relationships.events.handle_customer_event",
    "saleor_kinship.loyalty.events.handle_customer_event",
    "saleor_kinship.privacy.events.handle_customer_event",
)


class InvalidEvent(ValueError):
    """An event whose content can never be processed; retrying will not help."""

    def __init__(self, message: str, code: KinshipErrorCode = KinshipErrorCode.INVALID):
        super().__init__(message)
        self.code = code


# numeric(20, 3): the largest amount kinship stores.
MAX_AMOUNT = Decimal("99999999999999999.999")


def validate_snapshot(order: OrderSnapshot) -> None:
    """Raise InvalidEvent when the snapshot cannot describe a real order."""
    customer_id = order.customer_id
    if customer_id is not None and (
        not isinstance(customer_id, int) or isinstance(customer_id, bool)
    ):
        raise InvalidEvent(f"Order {order.id[:64]}: the customer id is not a number.")
    too_long = (
        len(order.id) > 64
        or len(order.number) > 32
        or len(order.channel) > 255
        or len(order.email) > 254
    )
    if too_long:
        raise InvalidEvent(f"Order {order.id[:64]}: an identifier is too long.")
    if not is_currency(order.currency):
        raise InvalidEvent(
            f"Order {order.id}: unknown currency.", KinshipErrorCode.UNKNOWN_CURRENCY
        )
    for name in ("total", "paid", "refunded"):
        amount: Decimal = getattr(order, name)
        if not amount.is_finite() or amount < 0:
            raise InvalidEvent(f"Order {order.id}: {name} must be a positive amount.")
    if max(order.total, order.paid) > MAX_AMOUNT:
        raise InvalidEvent(
            f"Order {order.id}: the amounts are too large.",
            KinshipErrorCode.OUT_OF_RANGE,
        )
    if order.refunded > order.paid:
        raise InvalidEvent(f"Order {order.id}: refunded more than was paid.")
    if order.customer_id is None and not order.email:
        raise InvalidEvent(f"Order {order.id}: neither a customer nor an e-mail.")


def order_payload(kind: OrderEventKind, order: OrderSnapshot) -> dict[str, Any]:
    return {"kind": str(kind), "order": order.to_dict()}


def enqueue_order_event(kind: OrderEventKind, order: OrderSnapshot) -> None:
    """Queue an order event for the worker once the current transaction commits."""
    from ..tasks import process_order_event

    payload = order_payload(kind, order)
    # Known shortcoming: a process that dies between the host's commit and
    # this hand-over loses the event; `kinship_backfill --restart` restores
    # its points, not its timeline entry, e-mail or commission.
    transaction.on_commit(lambda: process_order_event.delay(payload))


def enqueue_customer_event(kind: str, customer_id: int, email: str = "") -> None:
    """Queue a customer event (created, updated, deleted) for the worker."""
    from ..tasks import process_customer_event

    payload = {"kind": kind, "customer_id": customer_id, "email": email}
    transaction.on_commit(lambda: process_customer_event.delay(payload))


def _handlers(paths: tuple[str, ...]) -> list[Callable[..., None]]:
    return [import_string(path) for path in paths]


def handle_order_event(payload: dict[str, Any]) -> None:
    """Apply one order event to every domain; raise InvalidEvent for bad input."""
    try:
        kind = OrderEventKind(payload["kind"])
        order = OrderSnapshot.from_dict(payload["order"])
    except (KeyError, TypeError, ValueError, ArithmeticError) as error:
        raise InvalidEvent(f"Malformed order event: {type(error).__name__}.")
    validate_snapshot(order)
    customers = get_user_model()._default_manager
    if (
        order.customer_id is not None
        and not customers.filter(pk=order.customer_id).exists()
    ):
        raise InvalidEvent(
            f"Order {order.id}: customer {order.customer_id} does not exist.",
            KinshipErrorCode.NOT_FOUND,
        )
    # Shortcoming: every event runs each domain in its own transaction (about
    # 17 ms), so one worker applies about 45 events a second.
    with settings_scope():
        for handler in _handlers(ORDER_EVENT_HANDLERS):
            # Each domain commits on its own: a failure in one is retried
            # without undoing another, and the retry is a no-op where work
            # was done.
            with transaction.atomic():
                handler(kind, order)


def handle_customer_event(payload: dict[str, Any]) -> None:
    """Apply one customer event (created, updated, deleted) to every domain."""
    kind = payload.get("kind")
    customer_id = payload.get("customer_id")
    if kind not in {"created", "updated", "deleted"} or not isinstance(
        customer_id, int
    ):
        raise InvalidEvent("Malformed customer event.")
    with settings_scope():
        for handler in _handlers(CUSTOMER_EVENT_HANDLERS):
            with transaction.atomic():
                handler(kind, customer_id, payload.get("email") or "")
