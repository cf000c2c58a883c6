from ..core.snapshots import OrderEventKind, OrderSnapshot


def handle_order_event(kind: OrderEventKind, order: OrderSnapshot) -> None:
    """Apply an order event to this domain (idempotent)."""
