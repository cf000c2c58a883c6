"""Events and attempts racing each other on real transactions: still one e-mail."""

import threading
from collections.abc import Callable

import pytest
from django.db import connection

from saleor_kinship.core.events import order_payload
from saleor_kinship.core.processing import run_event
from saleor_kinship.core.snapshots import OrderEventKind
from saleor_kinship.emails import DeliveryStatus
from saleor_kinship.emails.models import Delivery
from saleor_kinship.emails.sending import attempt

pytestmark = [pytest.mark.smtp, pytest.mark.django_db(transaction=True)]


def at_once(work: Callable[[], object], times: int = 4) -> list[object]:
    """Run `work` in several threads released together; return what each got."""
    start = threading.Barrier(times)
    results: list[object] = []

    def run() -> None:
        try:
            start.wait()
            results.append(work())
        except Exception as error:
            results.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_the_same_paid_event_delivered_four_times_at_once_sends_one_e_mail(
    mail_shop, customer, smtp_server
):
    from devhost.shop.orders import snapshot

    order = mail_shop.place_order("10.00", customer=customer)
    order.charged = order.total
    order.save()
    payload = order_payload(OrderEventKind.PAID, snapshot(order))

    results = at_once(lambda: run_event("order", payload))

    assert [r for r in results if isinstance(r, Exception)] == []
    assert Delivery.objects.count() == 1
    assert Delivery.objects.get().status == DeliveryStatus.SENT
    [mail] = smtp_server.inbox.messages
    assert mail.envelope_to == ["ann@example.com"]


def test_attempts_racing_for_one_delivery_send_it_once(
    mail_shop, customer, smtp_server
):
    smtp_server.stop()
    mail_shop.mark_paid(mail_shop.place_order("10.00", customer=customer))
    smtp_server.start()
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED

    results = at_once(lambda: attempt(delivery.pk))

    statuses = sorted(str(getattr(r, "status", r)) for r in results)
    assert statuses == ["None", "None", "None", "sent"]
    assert len(smtp_server.inbox.messages) == 1
