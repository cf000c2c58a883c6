import threading
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.db import connection

from saleor_kinship.core.events import handle_order_event, order_payload
from saleor_kinship.core.snapshots import OrderEventKind
from saleor_kinship.interactions import events as timeline_events
from saleor_kinship.interactions.models import Interaction


def order_entries(**where):
    """Timeline entries about orders (loyalty and e-mails write their own)."""
    return Interaction.objects.filter(kind__startswith="order_", **where).order_by("pk")


def timeline(customer):
    return [
        (entry.kind, entry.key, entry.summary)
        for entry in order_entries(customer=customer)
    ]


def test_an_order_is_placed_paid_refunded_twice_and_cancelled(shop, customer):
    order = shop.place_order("10.00", "5.50", customer=customer)
    shop.mark_paid(order)
    shop.refund(order, "3.00")
    shop.refund(order, "2.00")
    shop.cancel(order)

    key = f"order:{order.id}"
    assert timeline(customer) == [
        ("order_placed", f"{key}:placed", "Order #1 placed: 15.50 USD"),
        ("order_paid", f"{key}:paid", "Order #1 paid: 15.50 USD"),
        (
            "order_refunded",
            f"{key}:refunded:3.00",
            "Order #1 refunded: 3.00 USD of 15.50 USD in all",
        ),
        (
            "order_refunded",
            f"{key}:refunded:5.00",
            "Order #1 refunded: 5.00 USD of 15.50 USD in all",
        ),
        ("order_cancelled", f"{key}:cancelled", "Order #1 cancelled"),
    ]
    placed = Interaction.objects.get(key=f"{key}:placed")
    assert (placed.occurred_at, placed.channel, placed.order_id, placed.author) == (
        order.created_at,
        "default-channel",
        str(order.id),
        None,
    )


def test_repeated_events_write_nothing_more(shop, customer, deliver):
    order = shop.place_order("20.00", customer=customer)
    shop.mark_paid(order)
    shop.refund(order, "4.00")
    before = timeline(customer)

    for kind in ("created", "paid", "refunded", "refunded", "paid"):
        deliver(kind, order)

    assert timeline(customer) == before
    assert len(before) == 3


def test_events_out_of_order_make_up_the_missing_entries(shop, customer):
    from devhost.shop.orders import snapshot

    order = shop.place_order("20.00", customer=customer)
    Interaction.objects.all().delete()  # as if the "created" event were late
    paid = replace(snapshot(order), paid=Decimal("20.00"), refunded=Decimal("5.00"))

    handle_order_event(order_payload(OrderEventKind.REFUNDED, paid))
    handle_order_event(order_payload(OrderEventKind.CREATED, snapshot(order)))
    handle_order_event(order_payload(OrderEventKind.PAID, replace(paid, refunded=0)))

    entries = list(order_entries(customer=customer))
    assert [entry.kind for entry in entries] == [
        "order_placed",
        "order_paid",
        "order_refunded",
    ]
    # Made-up entries carry the order's date, not the late delivery's.
    assert entries[1].occurred_at == order.created_at


def test_a_partial_payment_is_not_a_paid_order(shop, customer):
    from devhost.shop.orders import snapshot

    order = shop.place_order("20.00", customer=customer)
    partly = replace(snapshot(order), paid=Decimal("5.00"))

    handle_order_event(order_payload(OrderEventKind.PAID, partly))

    assert [kind for kind, _, _ in timeline(customer)] == ["order_placed"]


def test_guests_have_no_timeline(shop):
    order = shop.place_order("9.00", email="guest@example.com")
    shop.mark_paid(order)
    assert not order_entries().exists()


def test_the_order_of_a_deleted_customer_is_skipped(shop, customer):
    from devhost.shop.orders import snapshot

    order = shop.place_order("9.00", customer=customer)
    paid = replace(snapshot(order), paid=Decimal("9.00"))
    shop.delete_customer(customer)

    # Called directly: the core refuses such an event before it gets here.
    timeline_events.handle_order_event(OrderEventKind.PAID, paid)

    assert not order_entries().exists()


@pytest.mark.django_db(transaction=True)
def test_the_same_event_delivered_twice_at_once_is_written_once():
    from devhost.account.models import User

    ann = User.objects.create_user("ann@example.com")
    payload = {
        "kind": "created",
        "order": {
            "id": "7b0f1a52-0000-4000-8000-000000000001",
            "number": "8",
            "customer_id": ann.pk,
            "email": "ann@example.com",
            "channel": "default-channel",
            "currency": "USD",
            "total": "12.00",
            "paid": "0",
            "refunded": "0",
            "status": "unfulfilled",
            "created_at": datetime(2026, 3, 1, 12, tzinfo=UTC).isoformat(),
            "lines": [],
        },
    }
    start = threading.Barrier(2)
    failures: list[Exception] = []

    def worker():
        try:
            start.wait()
            handle_order_event(payload)
        except Exception as error:
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    assert list(order_entries().values_list("key", flat=True)) == [
        "order:7b0f1a52-0000-4000-8000-000000000001:placed"
    ]
