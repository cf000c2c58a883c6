"""Fixtures for the loyalty suite: reading the ledger and replaying snapshots."""

from collections.abc import Callable
from typing import Any

import pytest

LOYALTY = """
query {
  me {
    loyalty {
      balance lifetimePoints tier nextTier pointsToNextTier progress
      expiringSoon { points expireOn }
      ledger(first: 20) { edges { node { kind points shortfall reason } } }
    }
  }
}
"""


class Ledger:
    """What the ledger holds for a customer, as plain values."""

    def entries(self, customer: Any) -> list[tuple[str, int]]:
        from saleor_kinship.loyalty.models import LedgerEntry

        rows = LedgerEntry.objects.filter(customer=customer).order_by("pk")
        return list(rows.values_list("kind", "points"))

    def balance(self, customer: Any) -> int:
        from saleor_kinship.loyalty.models import LoyaltyAccount

        account = LoyaltyAccount.objects.filter(customer=customer).first()
        return account.balance if account else 0

    def account(self, customer: Any) -> Any:
        from saleor_kinship.loyalty.models import LoyaltyAccount

        return LoyaltyAccount.objects.get(customer=customer)

    def order(self, order: Any) -> Any:
        from saleor_kinship.loyalty.models import LoyaltyOrder

        return LoyaltyOrder.objects.get(order_id=str(order.id))


@pytest.fixture
def ledger(db) -> Ledger:
    return Ledger()


@pytest.fixture
def snapshot_of() -> Callable[[Any], Any]:
    """Return the order's snapshot as the host would send it now."""
    from devhost.shop.models import Order
    from devhost.shop.orders import snapshot

    def take(order: Any) -> Any:
        return snapshot(Order.objects.get(pk=order.pk))

    return take


@pytest.fixture
def deliver(db) -> Callable[..., None]:
    """Deliver a snapshot to kinship as the worker would (late, again, ...)."""
    from saleor_kinship.core.events import order_payload
    from saleor_kinship.tasks import process_order_event

    def send(kind: str, snapshot: Any) -> None:
        process_order_event.delay(order_payload(kind, snapshot))

    return send


@pytest.fixture
def paid_order(shop, customer) -> Any:
    """An order of 10.00 + 5.50 USD by Ann, paid: 15 points."""
    order = shop.place_order("10.00", "5.50", customer=customer)
    return shop.mark_paid(order)
