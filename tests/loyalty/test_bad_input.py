from datetime import UTC, datetime
from io import StringIO

import pytest
from celery.exceptions import Retry
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import OperationalError

from saleor_kinship.core import events
from saleor_kinship.core.models import FailedEvent
from saleor_kinship.loyalty import events as loyalty_events
from saleor_kinship.loyalty.models import LedgerEntry, LoyaltyAccount, LoyaltyOrder
from saleor_kinship.tasks import MAX_RETRIES, process_order_event


@pytest.fixture(autouse=True)
def loyalty_only(monkeypatch):
    """Run only loyalty's handler, so the other domains cannot mask the result."""
    monkeypatch.setattr(
        events,
        "ORDER_EVENT_HANDLERS",
        ("saleor_kinship.loyalty.events.handle_order_event",),
    )


def payload(owner, **changes):
    order = {
        "id": "5b7d2c1e-0000-4000-8000-000000000042",
        "number": "42",
        "customer_id": owner,
        "email": "ann@example.com",
        "channel": "default-channel",
        "currency": "USD",
        "total": "20.00",
        "paid": "20.00",
        "refunded": "0",
        "status": "unfulfilled",
        "created_at": datetime(2026, 3, 1, 12, tzinfo=UTC).isoformat(),
        "lines": [],
    }
    order.update(changes)
    return {"kind": "paid", "order": order}


def nothing_written():
    return not (
        LedgerEntry.objects.exists()
        or LoyaltyAccount.objects.exists()
        or LoyaltyOrder.objects.exists()
    )


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"paid": "-5"}, "invalid"),
        ({"total": "lots"}, "invalid"),
        ({"total": "Infinity"}, "invalid"),
        ({"currency": "ZZZ"}, "unknown_currency"),
        ({"refunded": "25.00"}, "invalid"),
        ({"customer_id": "ann"}, "invalid"),
        ({"customer_id": 987654}, "not_found"),
        ({"total": "1e30", "paid": "1e30"}, "out_of_range"),
        ({"total": "9999999999.00", "paid": "9999999999.00"}, "out_of_range"),
    ],
    ids=[
        "negative paid",
        "text total",
        "infinite total",
        "unknown currency",
        "refund above payment",
        "customer id not a number",
        "unknown customer",
        "amount too large",
        "points beyond 32 bits",
    ],
)
def test_an_impossible_order_is_kept_and_writes_nothing(customer, changes, code):
    process_order_event.delay(payload(customer.pk, **changes))

    kept = FailedEvent.objects.get()
    assert (kept.code, kept.attempts) == (code, 1)
    assert nothing_written()


def test_a_transient_failure_is_retried_then_kept_and_replayed(
    customer, monkeypatch, ledger
):
    def database_went_away(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(loyalty_events, "reconcile_orders", database_went_away)
    with pytest.raises(Retry):
        process_order_event.apply(args=[payload(customer.pk)])
    assert not FailedEvent.objects.exists()

    process_order_event.apply(args=[payload(customer.pk)], retries=MAX_RETRIES)
    kept = FailedEvent.objects.get()
    assert kept.code == "internal_error"
    assert nothing_written()

    monkeypatch.undo()
    monkeypatch.setattr(
        events,
        "ORDER_EVENT_HANDLERS",
        ("saleor_kinship.loyalty.events.handle_order_event",),
    )
    out = StringIO()
    call_command("kinship_replay_failed", stdout=out)

    order_id = payload(0)["order"]["id"]
    assert (
        out.getvalue() == f"Event {kept.pk} (order={order_id} kind=paid): replayed.\n"
    )
    assert ledger.entries(customer) == [("earn", 20)]
    out = StringIO()
    call_command("kinship_replay_failed", "--id", str(kept.pk), stdout=out)
    assert "was replayed at" in out.getvalue()
    assert ledger.entries(customer) == [("earn", 20)]


def test_replaying_an_event_that_still_fails_says_so(customer):
    process_order_event.delay(payload(customer.pk, customer_id=987654))
    kept = FailedEvent.objects.get()
    out = StringIO()

    with pytest.raises(
        CommandError, match=r"^1 event\(s\) still fail; they stay kept\.$"
    ):
        call_command("kinship_replay_failed", stdout=out)

    assert out.getvalue() == (
        f"Event {kept.pk} (order={kept.payload['order']['id']} kind=paid): "
        "failed again (not_found).\n"
    )
    kept.refresh_from_db()
    assert (kept.attempts, kept.replayed_at) == (2, None)


def test_replaying_an_unknown_event_is_a_one_line_error(db):
    with pytest.raises(CommandError, match=r"^There is no kept event 77\.$"):
        call_command("kinship_replay_failed", "--id", "77")
