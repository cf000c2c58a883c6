from decimal import Decimal

import pytest

from saleor_kinship.loyalty.adjustments import adjust_points
from saleor_kinship.loyalty.models import LedgerEntry
from saleor_kinship.loyalty.rules import reversal_target


def test_partial_refunds_add_up_and_a_full_refund_takes_all_back(
    shop, customer, ledger, paid_order
):
    shop.refund(paid_order, "3.00")
    # 12.50 of 15.50 kept would earn 12.09 of the 15 points: 12 kept, 3 back.
    assert ledger.entries(customer) == [("earn", 15), ("reverse", -3)]

    shop.refund(paid_order, "10.00")
    shop.refund(paid_order, "2.50")

    assert ledger.entries(customer) == [
        ("earn", 15),
        ("reverse", -3),
        ("reverse", -10),
        ("reverse", -2),
    ]
    assert ledger.balance(customer) == 0
    assert ledger.account(customer).lifetime_points == 0
    assert ledger.order(paid_order).points_reversed == 15
    reasons = list(
        LedgerEntry.objects.filter(kind="reverse")
        .order_by("pk")
        .values_list("reason", flat=True)
    )
    assert reasons == [
        "Order #1: 3.00 USD refunded",
        "Order #1: 13.00 USD refunded",
        "Order #1: 15.50 USD refunded",
    ]


@pytest.mark.parametrize(
    "refunds",
    [
        ["0.01"] * 10,
        ["0.49", "0.49", "0.49"],
        ["7.75", "7.75"],
        ["15.49", "0.01"],
        ["1.00"] * 15 + ["0.50"],
    ],
)
def test_the_total_taken_back_never_exceeds_what_was_earned(
    shop, customer, ledger, paid_order, refunds
):
    refunded = Decimal(0)
    for amount in refunds:
        shop.refund(paid_order, amount)
        refunded += Decimal(amount)
        taken = -sum(points for kind, points in ledger.entries(customer)[1:])
        assert taken == reversal_target(
            earned=15,
            paid=Decimal("15.50"),
            total=Decimal("15.50"),
            refunded=refunded,
            cancelled=False,
        )
        assert 0 <= taken <= 15
    if refunded == Decimal("15.50"):
        assert ledger.balance(customer) == 0


def test_a_duplicated_refund_takes_points_back_once(
    shop, customer, ledger, paid_order, deliver, snapshot_of
):
    shop.refund(paid_order, "5.00")
    for _ in range(3):
        deliver("refunded", snapshot_of(paid_order))

    assert ledger.entries(customer) == [("earn", 15), ("reverse", -5)]


def test_a_late_older_snapshot_never_moves_the_order_back(
    shop, customer, ledger, deliver, snapshot_of
):
    order = shop.place_order("20.00", customer=customer)
    placed = snapshot_of(order)
    shop.mark_paid(order)
    paid = snapshot_of(order)
    shop.refund(order, "10.00")

    deliver("created", placed)
    deliver("paid", paid)

    stored = ledger.order(order)
    assert (stored.paid_amount, stored.refunded_amount) == (
        Decimal("20.000"),
        Decimal("10.000"),
    )
    assert ledger.entries(customer) == [("earn", 20), ("reverse", -10)]


def test_a_refund_that_arrives_before_the_payment_earns_once(
    shop, customer, ledger, deliver, snapshot_of, django_capture_on_commit_callbacks
):
    from devhost.shop import orders

    order = shop.place_order("20.00", customer=customer)
    # The host's events are lost in transit here, then arrive out of order.
    with django_capture_on_commit_callbacks(execute=False):
        orders.mark_paid(order)
        paid = snapshot_of(order)
        orders.refund(order, Decimal("5.00"))
    deliver("refunded", snapshot_of(order))
    deliver("paid", paid)
    deliver("refunded", snapshot_of(order))

    assert ledger.entries(customer) == [("earn", 20), ("reverse", -5)]


def test_a_cancellation_takes_back_what_the_order_earned(
    shop, customer, ledger, paid_order
):
    shop.refund(paid_order, "3.00")
    shop.cancel(paid_order)
    shop.cancel(paid_order)

    assert ledger.entries(customer) == [("earn", 15), ("reverse", -3), ("reverse", -12)]
    assert LedgerEntry.objects.get(points=-12).reason == "Order #1 cancelled"
    assert ledger.account(customer).orders_count == 0


def test_cancelling_an_unpaid_order_changes_nothing(shop, customer, ledger):
    order = shop.cancel(shop.place_order("9.00", customer=customer))

    assert ledger.entries(customer) == []
    assert ledger.order(order).cancelled is True


def test_a_refund_never_takes_the_balance_below_zero_and_says_so(
    shop, customer, ledger, paid_order, staff_api
):
    from django.utils import timezone

    adjust_points(customer.pk, -10, "Spent on a mug", now=timezone.now())
    shop.refund(paid_order, "15.50")

    assert ledger.balance(customer) == 0
    reversal = LedgerEntry.objects.get(kind="reverse")
    assert (reversal.points, reversal.shortfall) == (-5, 10)
    assert ledger.account(customer).lifetime_points == 0

    from saleor_kinship.graphql.core.ids import customer_global_id

    data = staff_api.data(
        """query($id: ID!) { customer(id: $id) { loyalty {
            balance ledger(first: 1) { edges { node { kind points shortfall } } }
        } } }""",
        {"id": customer_global_id(customer.pk)},
    )
    assert data["customer"]["loyalty"] == {
        "balance": 0,
        "ledger": {
            "edges": [{"node": {"kind": "REVERSE", "points": -5, "shortfall": 10}}]
        },
    }


def test_with_negative_balances_allowed_a_refund_takes_everything_back(
    shop, customer, ledger, paid_order, channel, configure
):
    from django.utils import timezone

    configure(channel, allow_negative_balance="true")
    adjust_points(customer.pk, -10, "Spent on a mug", now=timezone.now())
    shop.refund(paid_order, "15.50")

    assert ledger.entries(customer) == [("earn", 15), ("adjust", -10), ("reverse", -15)]
    assert ledger.balance(customer) == -10
