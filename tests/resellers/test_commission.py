from dataclasses import replace
from decimal import Decimal

import pytest

from devhost.shop.models import Channel, PluginConfiguration
from devhost.shop.orders import snapshot
from saleor_kinship.core import events
from saleor_kinship.core.snapshots import OrderEventKind
from saleor_kinship.resellers import status
from saleor_kinship.resellers.models import Attribution, CommissionEntry

from .test_attribution import ledger


@pytest.fixture
def linked(customer, rita, link_customer):
    """Ann, linked to Rita (10 %)."""
    link_customer(customer, rita)
    return customer


def test_commission_accrues_when_paid_and_reverses_with_refunds_and_cancel(
    shop, linked, rita
):
    order = shop.place_order("60.00", "40.00", customer=linked)
    assert ledger(order) == []

    shop.mark_paid(order)
    shop.refund(order, "30.00")
    shop.refund(order, "20.00")
    shop.cancel(order)

    key = f"commission:{{}}:{order.id}"
    assert ledger(order) == [
        ("accrue", Decimal("10.000"), key.format("accrue")),
        ("reverse", Decimal("3.000"), key.format("reverse") + ":3.00"),
        ("reverse", Decimal("2.000"), key.format("reverse") + ":5.00"),
        ("reverse", Decimal("5.000"), key.format("reverse") + ":10.00"),
    ]
    assert set(CommissionEntry.objects.values_list("reseller", "currency")) == {
        (rita.pk, "USD")
    }


def test_reversals_in_rounded_steps_never_exceed_what_was_accrued(shop, linked):
    order = shop.place_order("99.99", customer=linked)
    shop.mark_paid(order)

    for _ in range(3):
        shop.refund(order, "33.33")

    amounts = [amount for _, amount, _ in ledger(order)]
    assert amounts == [
        Decimal("10.000"),
        Decimal("3.330"),
        Decimal("3.340"),
        Decimal("3.330"),
    ]
    assert sum(amounts[1:]) == amounts[0]


def test_an_order_cancelled_before_payment_earns_nothing(shop, linked):
    order = shop.place_order("50.00", customer=linked)
    shop.cancel(order)
    assert ledger(order) == []


def test_a_partly_paid_order_earns_nothing_yet(shop, linked):
    order = shop.place_order("50.00", customer=linked)
    part = replace(snapshot(order), paid=Decimal("20.00"))

    events.handle_order_event(events.order_payload(OrderEventKind.PAID, part))

    assert ledger(order) == []


def test_replayed_refunds_reverse_once(shop, linked):
    order = shop.place_order("100.00", customer=linked)
    shop.mark_paid(order)
    shop.refund(order, "30.00")
    refund_event = events.order_payload(OrderEventKind.REFUNDED, snapshot(order))

    events.handle_order_event(refund_event)
    events.handle_order_event(refund_event)

    assert [kind for kind, _, _ in ledger(order)] == ["accrue", "reverse"]


def test_a_late_refund_event_brings_the_payment_with_it(shop, linked):
    order = shop.place_order("100.00", customer=linked)
    shop.orders.Order.objects.filter(pk=order.pk).update(
        charged=Decimal("100.00"), refunded=Decimal("30.00")
    )
    order.refresh_from_db()
    refunded = snapshot(order)
    paid = replace(refunded, refunded=Decimal(0))

    # The refund's event arrives first; the payment's afterwards.
    events.handle_order_event(events.order_payload(OrderEventKind.REFUNDED, refunded))
    events.handle_order_event(events.order_payload(OrderEventKind.PAID, paid))

    assert [(kind, amount) for kind, amount, _ in ledger(order)] == [
        ("accrue", Decimal("10.000")),
        ("reverse", Decimal("3.000")),
    ]


def test_a_new_rate_applies_to_later_orders_only(shop, linked, rita):
    first = shop.place_order("100.00", customer=linked)
    shop.mark_paid(first)
    status.update_rate(rita.pk, Decimal("20"))
    second = shop.place_order("100.00", customer=linked)
    shop.mark_paid(second)
    shop.refund(first, "50.00")

    assert [amount for _, amount, _ in ledger(first)] == [
        Decimal("10.000"),
        Decimal("5.000"),
    ]
    assert ledger(second)[0][1] == Decimal("20.000")
    assert Attribution.objects.get(order_id=str(first.id)).commission_rate == 10


def test_commission_is_in_the_orders_currency_and_minor_unit(
    shop, linked, rita, channel_pln
):
    yen = Channel.objects.create(slug="channel-jpy", name="Shop JP", currency="JPY")
    PluginConfiguration.objects.create(channel=yen, configuration={})
    status.update_rate(rita.pk, Decimal("7.5"))

    zloty = shop.place_order("33.33", customer=linked, channel=channel_pln)
    shop.mark_paid(zloty)
    yen_order = shop.place_order("1234", customer=linked, channel=yen)
    shop.mark_paid(yen_order)

    assert ledger(zloty)[0][1:] == (
        Decimal("2.500"),  # 2.49975 rounded to the grosz
        f"commission:accrue:{zloty.id}",
    )
    assert ledger(yen_order)[0][1] == Decimal("93")  # 92.55 rounded to the yen
    assert list(
        CommissionEntry.objects.order_by("pk").values_list("currency", flat=True)
    ) == ["PLN", "JPY"]
