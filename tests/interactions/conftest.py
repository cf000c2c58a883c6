import pytest

from saleor_kinship.core.events import handle_order_event, order_payload
from saleor_kinship.core.snapshots import OrderEventKind


@pytest.fixture
def deliver():
    """Deliver an order event again, as a retry or a duplicate would."""
    from devhost.shop.orders import snapshot

    def deliver(kind: str, order) -> None:
        order.refresh_from_db()
        handle_order_event(order_payload(OrderEventKind(kind), snapshot(order)))

    return deliver
