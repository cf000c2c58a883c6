"""The privacy domain's part of order and customer events.

Listed last among the domain handlers, so the mirror sees what loyalty and
resellers wrote for the same event.
"""

from ..core.snapshots import OrderEventKind, OrderSnapshot
from ..loyalty.models import LoyaltyOrder
from .erasure import erase_deleted_customer
from .mirror import mirror_customer


def handle_order_event(kind: OrderEventKind, order: OrderSnapshot) -> None:
    """Mirror the values of the order's customer (also of a guest order that
    loyalty gave to the account with the order's e-mail)."""
    customer_ids = {order.customer_id} if order.customer_id is not None else set()
    customer_ids.update(
        LoyaltyOrder.objects.filter(
            order_id=order.id, customer__isnull=False
        ).values_list("customer_id", flat=True)
    )
    for customer_id in sorted(customer_ids):
        mirror_customer(customer_id)


def handle_customer_event(kind: str, customer_id: int, email: str) -> None:
    """Erase a deleted customer; mirror a new one (she may inherit guest points)."""
    if kind == "deleted":
        erase_deleted_customer(customer_id, email)
    else:
        mirror_customer(customer_id)
