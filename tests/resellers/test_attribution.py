import threading
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.utils import timezone

from devhost.shop.models import Order
from devhost.shop.orders import snapshot
from saleor_kinship.core import events
from saleor_kinship.core.snapshots import OrderEventKind
from saleor_kinship.resellers import links, status
from saleor_kinship.resellers.api import active_reseller_of
from saleor_kinship.resellers.events import handle_order_event
from saleor_kinship.resellers.models import (
    Attribution,
    CommissionEntry,
    ResellerStatus,
)


def credited(order) -> int | None:
    """Return the id of the reseller an order is credited to."""
    return Attribution.objects.get(order_id=str(order.id)).reseller_id


def ledger(order) -> list[tuple[str, Decimal, str]]:
    return list(
        CommissionEntry.objects.filter(order_id=str(order.id))
        .order_by("pk")
        .values_list("kind", "amount", "key")
    )


def test_an_order_of_a_linked_customer_is_credited_to_her_reseller(
    shop, customer, rita, link_customer
):
    link = link_customer(customer, rita)

    order = shop.place_order("40.00", customer=customer)

    attribution = Attribution.objects.get(order_id=str(order.id))
    assert attribution.reseller_id == rita.pk
    assert attribution.link_id == link.pk
    assert attribution.customer_id == customer.pk
    assert ledger(order) == []  # nothing accrues before the order is paid


def test_orders_outside_the_link_are_not_credited(
    shop, customer, rita, link_customer, staff_requestor
):
    before = shop.place_order("10.00", customer=customer)
    link_customer(customer, rita)
    during = shop.place_order("10.00", customer=customer)
    links.unlink(customer.pk, timezone.now(), staff_requestor)
    after = shop.place_order("10.00", customer=customer)

    assert [credited(before), credited(during), credited(after)] == [
        None,
        rita.pk,
        None,
    ]


def test_guest_orders_are_left_alone(shop, rita):
    order = shop.place_order("10.00", email="guest@example.com")
    shop.mark_paid(order)
    assert not Attribution.objects.filter(order_id=str(order.id)).exists()


def test_suspension_stops_new_credit_and_keeps_what_was_earned(
    shop, customer, rita, link_customer, staff_requestor
):
    link_customer(customer, rita)
    earlier = shop.place_order("100.00", customer=customer)

    status.change_status(rita.pk, ResellerStatus.SUSPENDED, "Pause", staff_requestor)
    while_suspended = shop.place_order("100.00", customer=customer)
    shop.mark_paid(earlier)
    shop.mark_paid(while_suspended)
    status.change_status(rita.pk, ResellerStatus.APPROVED, "Back", staff_requestor)
    reinstated = shop.place_order("100.00", customer=customer)

    assert credited(earlier) == rita.pk
    assert ledger(earlier) == [
        ("accrue", Decimal("10.000"), f"commission:accrue:{earlier.id}")
    ]
    assert credited(while_suspended) is None
    assert ledger(while_suspended) == []
    assert credited(reinstated) == rita.pk
    # The link itself was never touched.
    assert rita.links.get().valid_to is None


def test_the_first_event_decides_and_a_later_link_changes_nothing(
    shop, customer, rita, make_reseller, link_customer
):
    sara = make_reseller("sara@example.com")
    customer.date_joined = timezone.now() - timedelta(days=1)
    customer.save()
    unlinked_order = shop.place_order("50.00", customer=customer)
    # Staff link her from a moment before that order, after its first event.
    link_customer(customer, rita, unlinked_order.created_at - timedelta(seconds=1))
    rita_order = shop.place_order("50.00", customer=customer)
    link_customer(customer, sara)

    shop.mark_paid(unlinked_order)
    shop.mark_paid(rita_order)

    assert credited(unlinked_order) is None
    assert credited(rita_order) == rita.pk
    assert CommissionEntry.objects.filter(reseller=sara).count() == 0


def test_a_link_dated_before_approval_credits_only_from_approval(
    shop, customer, staff_requestor, configure, channel
):
    rita_user = shop.create_customer("rita@example.com")
    reseller = status.apply(rita_user, "", staff_requestor)
    customer.date_joined = timezone.now() - timedelta(days=10)
    customer.save()
    placed_while_applied = shop.place_order(
        "10.00", customer=customer, created_at=timezone.now() - timedelta(days=2)
    )
    status.change_status(reseller.pk, ResellerStatus.APPROVED, "", staff_requestor)
    links.link(
        customer.pk, reseller.pk, timezone.now() - timedelta(days=5), staff_requestor
    )

    # Its next event arrives now; the decision uses when it was placed.
    Attribution.objects.filter(order_id=str(placed_while_applied.id)).delete()
    shop.mark_paid(placed_while_applied)

    assert credited(placed_while_applied) is None


def test_repeated_and_late_events_give_one_credit(shop, customer, rita, link_customer):
    link_customer(customer, rita)
    order = shop.place_order("100.00", customer=customer)
    shop.mark_paid(order)
    paid = events.order_payload(OrderEventKind.PAID, snapshot(order))
    created = events.order_payload(
        OrderEventKind.CREATED, replace(snapshot(order), paid=Decimal(0))
    )

    for payload in (paid, paid, created, paid):
        events.handle_order_event(payload)

    assert Attribution.objects.filter(order_id=str(order.id)).count() == 1
    assert ledger(order) == [
        ("accrue", Decimal("10.000"), f"commission:accrue:{order.id}")
    ]


def test_active_reseller_of_answers_for_a_moment(
    customer, rita, link_customer, staff_requestor
):
    link = link_customer(customer, rita)
    at_link = link.valid_from
    # A link ends now at the latest: milliseconds after it began, here.
    until = timezone.now()
    links.unlink(customer.pk, until, staff_requestor)

    found = active_reseller_of(customer.pk, at_link + (until - at_link) / 2)

    assert found == rita
    assert found.customer.first_name == "Rita"
    assert active_reseller_of(customer.pk, at_link - timedelta(minutes=1)) is None
    assert active_reseller_of(customer.pk, until) is None


def race(deliveries) -> list[BaseException]:
    """Deliver events to this domain from one thread each, all at once."""
    barrier = threading.Barrier(len(deliveries))
    failures: list[BaseException] = []

    def deliver(kind, order_snapshot):
        try:
            barrier.wait()
            # As the core calls each domain: in a transaction of its own.
            with transaction.atomic():
                handle_order_event(kind, order_snapshot)
        except BaseException as error:  # reported by the caller's assertion
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver, args=d) for d in deliveries]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return failures


@pytest.mark.django_db(transaction=True)
def test_concurrent_first_events_decide_once(customer, rita, link_customer, channel):
    link_customer(customer, rita)
    # Written straight to the table: no event of this order has run yet.
    order = Order.objects.create(
        number=1,
        user=customer,
        user_email=customer.email,
        channel=channel,
        currency="USD",
        total=Decimal("80.00"),
        charged=Decimal("80.00"),
    )
    paid = snapshot(order)
    created = replace(paid, paid=Decimal(0))

    failures = race(
        [(OrderEventKind.CREATED, created), (OrderEventKind.PAID, paid)] * 4
    )

    assert failures == []
    assert Attribution.objects.filter(order_id=str(order.id)).count() == 1
    assert credited(order) == rita.pk
    assert ledger(order) == [
        ("accrue", Decimal("8.000"), f"commission:accrue:{order.id}")
    ]


@pytest.mark.django_db(transaction=True)
def test_concurrent_payments_and_refunds_credit_and_reverse_once(
    shop, customer, rita, link_customer
):
    link_customer(customer, rita)
    order = shop.place_order("80.00", customer=customer)  # decided, not paid
    # Paid behind the host's back: its events are delivered below, at once.
    Order.objects.filter(pk=order.pk).update(charged=order.total)
    order.refresh_from_db()
    paid = snapshot(order)
    refunded = replace(paid, refunded=Decimal("20.00"))

    failures = race(
        [(OrderEventKind.PAID, paid), (OrderEventKind.REFUNDED, refunded)] * 4
    )

    assert failures == []
    assert ledger(order) == [
        ("accrue", Decimal("8.000"), f"commission:accrue:{order.id}"),
        ("reverse", Decimal("2.000"), f"commission:reverse:{order.id}:2.00"),
    ]
