"""Automatic timeline entries for a customer's orders, one per cause.

Each event reconciles the timeline with what its snapshot says (placed,
paid in full, refunded so far, cancelled), so a lost or late event is made
up by the next one and a repeated one writes nothing.
"""

import logging
from datetime import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from ..core.currencies import quantize
from ..core.snapshots import OrderEventKind, OrderSnapshot
from .models import InteractionKind
from .timeline import record_automatic

logger = logging.getLogger(__name__)


def _money(amount: Decimal, currency: str) -> str:
    return f"{quantize(amount, currency)} {currency}"


def order_entries(
    kind: OrderEventKind, order: OrderSnapshot
) -> list[tuple[str, InteractionKind, str]]:
    """Return (key, kind, summary) of each entry the snapshot calls for."""
    number = f"Order #{order.number}"
    entries = [
        (
            f"order:{order.id}:placed",
            InteractionKind.ORDER_PLACED,
            f"{number} placed: {_money(order.total, order.currency)}",
        )
    ]
    # Shortcoming: a partial payment writes nothing; the entry waits for full.
    fully_paid = order.paid >= order.total and (
        order.paid > 0 or kind == OrderEventKind.PAID
    )
    if fully_paid:
        entries.append(
            (
                f"order:{order.id}:paid",
                InteractionKind.ORDER_PAID,
                f"{number} paid: {_money(order.paid, order.currency)}",
            )
        )
    if order.refunded > 0:
        refunded = quantize(order.refunded, order.currency)
        entries.append(
            (
                f"order:{order.id}:refunded:{refunded}",
                InteractionKind.ORDER_REFUNDED,
                f"{number} refunded: {_money(order.refunded, order.currency)} "
                f"of {_money(order.paid, order.currency)} in all",
            )
        )
    if order.is_cancelled or kind == OrderEventKind.CANCELLED:
        entries.append(
            (
                f"order:{order.id}:cancelled",
                InteractionKind.ORDER_CANCELLED,
                f"{number} cancelled",
            )
        )
    return entries


def _occurred_at(
    kind: OrderEventKind, entry_kind: InteractionKind, order: OrderSnapshot
) -> datetime:
    # The entry of the event being delivered happened now; entries made up
    # from a snapshot (a late or lost event, a backfill) are dated with the
    # order, the latest time known to be no later than the change itself.
    if entry_kind == InteractionKind.ORDER_PLACED:
        return order.created_at
    own = {
        OrderEventKind.PAID: InteractionKind.ORDER_PAID,
        OrderEventKind.REFUNDED: InteractionKind.ORDER_REFUNDED,
        OrderEventKind.CANCELLED: InteractionKind.ORDER_CANCELLED,
    }.get(kind)
    return timezone.now() if entry_kind == own else order.created_at


def handle_order_event(kind: OrderEventKind, order: OrderSnapshot) -> None:
    """Write the order's missing timeline entries; guests have no timeline."""
    if order.customer_id is None:
        return
    if not get_user_model()._default_manager.filter(pk=order.customer_id).exists():
        logger.info(
            "Skipped timeline of order %s: customer %s no longer exists",
            order.id,
            order.customer_id,
        )
        return
    for key, entry_kind, summary in order_entries(kind, order):
        record_automatic(
            customer_id=order.customer_id,
            kind=entry_kind,
            key=key,
            occurred_at=_occurred_at(kind, entry_kind, order),
            summary=summary,
            channel=order.channel,
            order_id=order.id,
        )
