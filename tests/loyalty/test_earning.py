import logging
from decimal import Decimal

from saleor_kinship.loyalty.api import points_earned_for_order
from saleor_kinship.loyalty.models import LedgerEntry

from .conftest import LOYALTY


def test_a_paid_order_earns_points_rounded_down(customer_api, ledger, paid_order):
    loyalty = customer_api.data(LOYALTY)["me"]["loyalty"]

    assert loyalty["balance"] == 15  # 15.50 USD at 1 point per dollar
    assert loyalty["lifetimePoints"] == 15
    assert loyalty["ledger"]["edges"] == [
        {
            "node": {
                "kind": "EARN",
                "points": 15,
                "shortfall": 0,
                "reason": "Order #1 paid",
            }
        }
    ]
    entry = LedgerEntry.objects.get()
    assert (entry.amount, entry.currency, entry.channel) == (
        Decimal("15.500"),
        "USD",
        "default-channel",
    )
    assert entry.occurred_at == paid_order.created_at
    assert points_earned_for_order(str(paid_order.id)) == 15


def test_an_unpaid_order_earns_nothing(shop, customer, ledger):
    order = shop.place_order("40.00", customer=customer)

    assert ledger.entries(customer) == []
    assert ledger.order(order).total == Decimal("40.000")
    assert points_earned_for_order(str(order.id)) == 0


def test_a_duplicated_paid_event_earns_once(
    shop, customer, ledger, paid_order, deliver, snapshot_of
):
    for _ in range(3):
        deliver("paid", snapshot_of(paid_order))
    shop.mark_paid(paid_order)

    assert ledger.entries(customer) == [("earn", 15)]
    assert ledger.balance(customer) == 15


def test_each_channel_earns_at_its_own_rate(shop, customer, ledger, channel_pln):
    order = shop.place_order("99.99", customer=customer, channel=channel_pln)
    shop.mark_paid(order)

    # 99.99 PLN at 0.25 points per złoty: 24.9975, rounded down.
    assert ledger.entries(customer) == [("earn", 24)]
    assert LedgerEntry.objects.get().currency == "PLN"


def test_an_order_in_another_currency_than_the_rate_earns_nothing(
    shop, customer, ledger, channel, configure, caplog
):
    configure(channel, points_currency="EUR")
    order = shop.place_order("50.00", customer=customer)

    with caplog.at_level(logging.WARNING, logger="saleor_kinship.loyalty"):
        shop.mark_paid(order)
        shop.mark_paid(order)

    assert ledger.entries(customer) == []
    assert ledger.order(order).earned_at is not None
    warnings = [
        record.getMessage()
        for record in caplog.records
        if record.name.startswith("saleor_kinship.loyalty")
    ]
    assert warnings == [
        f"Kinship order {order.id} is in USD but channel default-channel counts "
        "points in EUR: it earns no points."
    ]


def test_a_rate_change_does_not_rewrite_points_already_earned(
    shop, customer, ledger, channel, configure, paid_order
):
    configure(channel, points_per_unit="3")
    shop.mark_paid(paid_order)
    later = shop.mark_paid(shop.place_order("2.00", customer=customer))

    assert ledger.entries(customer) == [("earn", 15), ("earn", 6)]
    assert points_earned_for_order(str(later.id)) == 6


def test_a_zero_total_order_earns_nothing_and_is_no_purchase(shop, customer, ledger):
    shop.mark_paid(shop.place_order("0.00", customer=customer))

    assert ledger.entries(customer) == []


def test_paid_orders_count_as_purchases(shop, customer, ledger, paid_order):
    shop.place_order("5.00", customer=customer)  # not paid
    second = shop.mark_paid(shop.place_order("5.00", customer=customer))

    account = ledger.account(customer)
    assert account.orders_count == 2
    assert account.last_order_at == second.created_at
