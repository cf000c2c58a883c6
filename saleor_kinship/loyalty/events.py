"""Loyalty's part of order and customer events."""

from django.utils import timezone

from ..core.snapshots import OrderEventKind, OrderSnapshot
from .guests import attach_held_points
from .orders import reconcile_orders
from .validation import check_snapshots


def handle_order_event(kind: OrderEventKind, order: OrderSnapshot) -> None:
    """Bring the order's points in line with the snapshot (idempotent).

    Every kind is handled alike: the snapshot, not the kind, says what the
    order is owed. Bad input raises InvalidEvent; anything else propagates so
    that the worker retries.
    """
    accepted, refused = check_snapshots([order])
    if refused:
        raise refused[0][1]
    reconcile_orders(accepted, now=timezone.now())


def handle_customer_event(kind: str, customer_id: int, email: str) -> None:
    """Attach points held for a new account's e-mail (idempotent)."""
    if kind == "created":
        attach_held_points(customer_id, email, now=timezone.now())
