from datetime import UTC, datetime

import pytest
from celery.exceptions import Retry

from saleor_kinship.core import events
from saleor_kinship.core.models import FailedEvent
from saleor_kinship.core.processing import replay
from saleor_kinship.core.snapshots import OrderEventKind, OrderSnapshot
from saleor_kinship.tasks import MAX_RETRIES, process_order_event

CALLS: list[str] = []


def record_call(kind, order):
    CALLS.append(f"{kind}:{order.number}")


def always_fail(kind, order):
    raise ConnectionError("database went away")


def snapshot(**changes):
    values = {
        "id": "9d0c5c40-0000-4000-8000-000000000001",
        "number": "17",
        "customer_id": None,
        "email": "guest@example.com",
        "channel": "default-channel",
        "currency": "USD",
        "total": "20.00",
        "paid": "20.00",
        "refunded": "0",
        "status": "unfulfilled",
        "created_at": datetime(2026, 3, 1, 12, tzinfo=UTC).isoformat(),
        "lines": [],
    }
    values.update(changes)
    return {"kind": "paid", "order": values}


@pytest.fixture
def recorded(monkeypatch):
    CALLS.clear()
    monkeypatch.setattr(events, "ORDER_EVENT_HANDLERS", (f"{__name__}.record_call",))
    return CALLS


def test_a_snapshot_survives_the_trip_through_json():
    payload = snapshot(
        lines=[{"product_name": "Tea", "quantity": 2, "unit_price": "4.5"}]
    )
    order = OrderSnapshot.from_dict(payload["order"])

    assert OrderSnapshot.from_dict(order.to_dict()) == order
    assert order.lines[0].unit_price * order.lines[0].quantity == 9


def test_a_valid_event_reaches_every_domain_handler(db, recorded):
    process_order_event.delay(snapshot())
    assert recorded == ["paid:17"]
    assert not FailedEvent.objects.exists()


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"currency": "XXQ"}, "unknown_currency"),
        ({"paid": "-1"}, "invalid"),
        ({"total": "NaN"}, "invalid"),
        ({"refunded": "30.00"}, "invalid"),
        ({"customer_id": None, "email": ""}, "invalid"),
        ({"total": "twenty"}, "invalid"),
    ],
)
def test_an_impossible_event_is_kept_for_the_operator_not_retried(
    db, recorded, changes, code
):
    process_order_event.delay(snapshot(**changes))

    kept = FailedEvent.objects.get()
    assert (kept.kind, kept.code, kept.attempts) == ("order", code, 1)
    assert recorded == []


def test_a_failing_handler_is_retried_then_kept_and_can_be_replayed(
    db, monkeypatch, recorded
):
    monkeypatch.setattr(events, "ORDER_EVENT_HANDLERS", (f"{__name__}.always_fail",))

    with pytest.raises(Retry) as first_attempt:
        process_order_event.apply(args=[snapshot()])
    assert first_attempt.value.when == 2  # seconds; doubles with each attempt
    assert not FailedEvent.objects.exists()

    process_order_event.apply(args=[snapshot()], retries=MAX_RETRIES)

    kept = FailedEvent.objects.get()
    assert kept.attempts == MAX_RETRIES + 1
    assert kept.code == "internal_error"
    assert "database went away" in kept.error

    monkeypatch.setattr(events, "ORDER_EVENT_HANDLERS", (f"{__name__}.record_call",))
    assert replay(kept) is True
    kept.refresh_from_db()
    assert kept.replayed_at is not None
    assert recorded == ["paid:17"]


def test_enqueue_waits_for_the_commit(db, recorded, django_capture_on_commit_callbacks):
    order = OrderSnapshot.from_dict(snapshot()["order"])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        events.enqueue_order_event(OrderEventKind.PAID, order)
        assert recorded == []
    assert len(callbacks) == 1
    callbacks[0]()
    assert recorded == ["paid:17"]
