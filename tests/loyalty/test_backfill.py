import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from saleor_kinship.interactions.models import Interaction
from saleor_kinship.loyalty.backfill import backfill, saved_cursor
from saleor_kinship.loyalty.checks import check_ledger
from saleor_kinship.loyalty.models import (
    GuestPoints,
    LedgerEntry,
    LoyaltyAccount,
    LoyaltyOrder,
    TierChange,
)


class History:
    """Orders placed in the host while kinship was not installed yet."""

    def __init__(self, channel, channel_pln, snapshot_of):
        from devhost.shop import orders

        self.orders = orders
        self.channels = {"USD": channel, "PLN": channel_pln}
        self.snapshot_of = snapshot_of
        self.events: list[tuple[str, object]] = []
        self.start = datetime(2025, 3, 1, 9, tzinfo=UTC)

    def place(self, *prices, currency="USD", **kwargs):
        lines = [self.orders.LineInput("Item", 1, Decimal(price)) for price in prices]
        when = self.start + timedelta(days=len(self.events))
        order = self.orders.place_order(
            self.channels[currency], lines, created_at=when, **kwargs
        )
        return self.record("created", order)

    def record(self, kind, order):
        self.events.append((kind, self.snapshot_of(order)))
        return order

    def paid(self, order):
        return self.record("paid", self.orders.mark_paid(order))

    def refund(self, order, amount):
        return self.record("refunded", self.orders.refund(order, Decimal(amount)))

    def cancel(self, order):
        return self.record("cancelled", self.orders.cancel(order))

    def final_snapshots(self):
        last = {}
        for kind, snapshot in self.events:
            last[snapshot.id] = (kind, snapshot)
        return sorted(last.values(), key=lambda item: int(item[1].number))


@pytest.fixture
def history(channel, channel_pln, snapshot_of, customer, other_customer, configure):
    ann, bob = customer, other_customer
    configure(channel_pln, points_currency="PLN")
    past = History(channel, channel_pln, snapshot_of)
    past.paid(past.place("12.25", "12.25", customer=ann))
    past.refund(past.paid(past.place("40.00", customer=bob)), "3.10")
    past.refund(past.paid(past.place("19.99", customer=ann)), "19.99")
    past.cancel(past.paid(past.place("55.00", customer=bob)))
    past.place("8.00", customer=ann)  # never paid
    zoe = past.paid(past.place("31.00", email="zoe@example.com"))
    past.refund(zoe, "1.00")
    past.refund(zoe, "0.50")
    past.paid(past.place("7.77", email="ANN@example.com"))
    past.paid(past.place("99.99", currency="PLN", customer=ann))
    past.paid(past.place("480.00", customer=bob))
    past.paid(past.place("0.00", customer=bob))
    return past


def ledger_state():
    entries = sorted(
        (
            entry.key,
            entry.kind,
            entry.points,
            entry.shortfall,
            entry.customer_id,
            entry.email,
            entry.amount,
            entry.currency,
            entry.channel,
            entry.order_id,
            entry.occurred_at if entry.kind == "earn" else None,
        )
        for entry in LedgerEntry.objects.all()
    )
    accounts = sorted(
        LoyaltyAccount.objects.values_list(
            "customer_id",
            "balance",
            "lifetime_points",
            "tier",
            "orders_count",
            "last_order_at",
        )
    )
    orders = sorted(
        LoyaltyOrder.objects.values_list(
            "order_id",
            "customer_id",
            "email",
            "total",
            "paid_amount",
            "refunded_amount",
            "cancelled",
            "points_earned",
            "points_reversed",
        )
    )
    guests = sorted(GuestPoints.objects.values_list("email", "balance"))
    tiers = sorted(TierChange.objects.values_list("customer_id", "previous", "tier"))
    timeline = sorted(
        Interaction.objects.filter(kind="tier_changed").values_list(
            "customer_id", "summary"
        )
    )
    return {
        "entries": entries,
        "accounts": accounts,
        "orders": orders,
        "guests": guests,
        "tiers": tiers,
        "timeline": timeline,
    }


def forget_loyalty():
    for model in (LedgerEntry, LoyaltyAccount, LoyaltyOrder, GuestPoints, TierChange):
        model.objects.all().delete()
    Interaction.objects.filter(kind="tier_changed").delete()


def test_the_backfill_writes_what_the_events_would_have_written(history, deliver):
    for kind, snapshot in history.final_snapshots():
        deliver(kind, snapshot)
    by_events = ledger_state()
    forget_loyalty()

    backfill(batch_size=4)

    assert ledger_state() == by_events
    # The history covers each rule once: earn, partial and full refunds,
    # cancellation, guests held and attached, the points currency, a tier.
    assert [row[1:3] for row in by_events["accounts"]] == [(55, 55), (516, 516)]
    assert by_events["guests"] == [("zoe@example.com", 29)]
    assert ("Bronze", "Silver") in [row[1:] for row in by_events["tiers"]]
    assert check_ledger().consistent


def test_every_event_in_turn_ends_with_the_backfills_points(history, deliver):
    for kind, snapshot in history.events:
        deliver(kind, snapshot)
    by_events = ledger_state()
    forget_loyalty()

    backfill(batch_size=5)
    by_backfill = ledger_state()

    for name in ("accounts", "orders", "guests"):
        assert by_backfill[name] == by_events[name]
    net = {}
    for state, label in ((by_events, "events"), (by_backfill, "backfill")):
        for entry in state["entries"]:
            net[(label, entry[9])] = net.get((label, entry[9]), 0) + entry[2]
    assert {key[1]: value for key, value in net.items() if key[0] == "events"} == {
        key[1]: value for key, value in net.items() if key[0] == "backfill"
    }


def test_an_interrupted_backfill_resumes_after_the_last_batch(history):
    class Interrupted(Exception):
        pass

    def stop_after_two_batches(progress):
        if progress.orders >= 6:
            raise Interrupted

    with pytest.raises(Interrupted):
        backfill(batch_size=3, report=stop_after_two_batches)
    assert saved_cursor() == "6"
    assert LoyaltyOrder.objects.count() == 6

    resumed = backfill(batch_size=3)
    assert resumed.orders == len(history.final_snapshots()) - 6
    complete = ledger_state()

    again = backfill(batch_size=3, restart=True)
    assert again.orders == len(history.final_snapshots())
    assert again.points == 0
    assert ledger_state() == complete


def test_the_command_shows_progress_and_a_summary(history, capsys):
    out, err = StringIO(), StringIO()
    call_command("kinship_backfill", "--batch-size", "5", stdout=out, stderr=err)

    assert re.fullmatch(
        r"Backfilled 10 order\(s\) of 2 customer\(s\): 600 points in \d+\.\d s\.\n",
        out.getvalue(),
    )
    progress = err.getvalue().splitlines()
    assert [line.split(",")[0] for line in progress] == [
        "Backfill: 5 orders",
        "Backfill: 10 orders",
    ]


def test_an_impossible_order_is_skipped_and_the_rest_replayed(
    history, customer, caplog
):
    from devhost.shop.models import Order

    broken = history.paid(history.place("5.00", customer=customer))
    Order.objects.filter(pk=broken.pk).update(currency="XXQ")

    progress = backfill(batch_size=50)

    assert (progress.orders, progress.skipped) == (10, 1)
    assert f"Kinship backfill skipped order {broken.id}" in caplog.text
    assert not LoyaltyOrder.objects.filter(order_id=str(broken.id)).exists()


@pytest.mark.parametrize("size", ["0", "50001"])
def test_a_bad_batch_size_is_refused_in_one_line(db, size):
    with pytest.raises(CommandError, match=r"^--batch-size must be from 1 to 50000\.$"):
        call_command("kinship_backfill", "--batch-size", size)


def place_quietly(channel, customer, amounts):
    """Orders written straight to the host's tables: no events are sent."""
    from devhost.shop.models import Order

    start = datetime(2025, 1, 1, tzinfo=UTC)
    return [
        Order.objects.create(
            number=number,
            user=customer,
            user_email=customer.email,
            channel=channel,
            currency="USD",
            total=Decimal(amount),
            charged=Decimal(amount),
            created_at=start + timedelta(days=number),
        )
        for number, amount in enumerate(amounts, start=1)
    ]


def reader_threads():
    import threading

    return [t for t in threading.enumerate() if t.name == "kinship-order-reader"]


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_orders_are_read_ahead_in_a_thread(channel, customer):
    place_quietly(channel, customer, ["10.00", "20.00", "30.00", "40.00", "50.00"])

    progress = backfill(batch_size=2)

    assert (progress.orders, progress.points) == (5, 150)
    assert LoyaltyAccount.objects.get(customer=customer).balance == 150
    assert saved_cursor() == "5"
    assert reader_threads() == []


@pytest.mark.django_db(transaction=True)
def test_a_host_that_fails_midway_stops_the_backfill_after_the_last_batch(
    channel, customer, monkeypatch
):
    from devhost.host import DevHost

    place_quietly(channel, customer, ["10.00", "20.00", "30.00", "40.00"])
    listed = DevHost.iter_order_snapshots

    def failing(self, start_after=None, batch_size=1000, with_lines=True):
        snapshots = listed(self, start_after, batch_size, with_lines)
        for number, snapshot in enumerate(snapshots):
            if number == 2:
                raise ConnectionError("the host's database went away")
            yield snapshot

    monkeypatch.setattr(DevHost, "iter_order_snapshots", failing)
    with pytest.raises(ConnectionError, match="went away"):
        backfill(batch_size=2)

    assert saved_cursor() == "2"
    assert LoyaltyAccount.objects.get(customer=customer).balance == 30
    assert reader_threads() == []
