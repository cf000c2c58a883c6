from ..core.snapshots import OrderEventKind, OrderSnapshot


def handle_order_event(kind: OrderEventKind, order: OrderSnapshot) -> None:
    """Apply an order event to this domain (idempotent)."""


def handle_customer_event(kind: str, customer_id: int, email: str) -> None:
    """Apply a customer event to this domain (idempotent)."""
