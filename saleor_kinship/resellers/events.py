"""Order events: credit the reseller who brought the customer, once."""

from ..core.snapshots import OrderEventKind, OrderSnapshot
from .attribution import attribute
from .commission import reconcile


def handle_order_event(kind: OrderEventKind, order: OrderSnapshot) -> None:
    """Attribute a customer's order and bring its commission up to date.

    Safe to repeat and to receive out of order: the attribution row is
    locked, decided once, and the ledger is keyed by what each entry means.
    """
    if order.customer_id is None:
        return
    attribution = attribute(kind, order)
    if attribution.reseller_id is not None:
        reconcile(attribution)
