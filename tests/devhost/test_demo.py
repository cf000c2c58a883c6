"""kinship_demo on a slice of the CDNOW sample: the summary a merchant reads."""

import math
import re
from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from devhost.shop.demo import summary
from devhost.shop.management.commands.kinship_demo import DEMO_LOCK
from devhost.shop.models import Channel, Order, PluginConfiguration
from saleor_kinship.loyalty.ledger import refresh_accounts
from saleor_kinship.loyalty.models import LedgerEntry, LoyaltyAccount, LoyaltyOrder
from saleor_kinship.loyalty.scoring_models import PredictionFit

CDNOW_SAMPLE = Path(__file__).resolve().parents[2] / "data/cdnow/CDNOW_sample.txt"
CUSTOMERS = 40


def first_customers_rows(count: int) -> list[tuple[int, date, Decimal]]:
    """Read the first customers' purchases straight from the file: who, when, value."""
    rows: list[tuple[int, date, Decimal]] = []
    customers: set[int] = set()
    for line in CDNOW_SAMPLE.read_text().splitlines():
        customer, _, day, _, value = line.split()
        if int(customer) not in customers and len(customers) == count:
            continue
        customers.add(int(customer))
        when = datetime.strptime(day, "%Y%m%d").date()
        rows.append((int(customer), when, Decimal(value)))
    return rows


def first_customers_purchases(count: int) -> dict[int, list[Decimal]]:
    """Return the values of the first customers' purchases, by customer."""
    purchases: dict[int, list[Decimal]] = defaultdict(list)
    for customer, _, value in first_customers_rows(count):
        purchases[customer].append(value)
    return purchases


def demo() -> str:
    output = StringIO()
    call_command("kinship_demo", "--customers", str(CUSTOMERS), stdout=output)
    return output.getvalue()


def section(output: str, title: str) -> list[str]:
    """Return the rows of a section, without its title and underline."""
    block = output.split(f"\n{title}\n", 1)[1].split("\n\n", 1)[0]
    return [line.strip() for line in block.splitlines()[1:]]


# Real commits: the events run when each order's transaction commits, before
# the demo scores the customers, as they do outside the tests.
@pytest.mark.django_db(transaction=True)
def test_demo_summary_on_a_slice_of_the_sample():
    purchases = first_customers_purchases(CUSTOMERS)
    orders = sum(len(values) for values in purchases.values())
    revenue = sum(sum(values) for values in purchases.values())
    points = sum(math.floor(value) for values in purchases.values() for value in values)

    output = demo()

    channel = Channel.objects.get(slug="default-channel")
    assert channel.currency == "USD"
    assert PluginConfiguration.objects.filter(channel=channel).exists()
    free = sum(value == 0 for values in purchases.values() for value in values)
    free_clause = f", {free} of them free" if free else ""
    assert (
        f"CDNOW import into default-channel: 40 customers (40 new), {orders} "
        f"purchases ({orders} new orders{free_clause})."
    ) in output.splitlines()
    assert "Restored" not in output
    assert "Scored 40 customers as of 1998-06-20, the last purchase day." in output
    assert section(output, "Shop") == [
        "Customers            40",
        f"Orders              {orders}",
        f"Revenue    USD {revenue:,}",
    ]
    assert section(output, "Loyalty points") == [
        f"Issued                 {points:,}",
        "Taken back or expired      0",
        f"Outstanding            {points:,}",
    ]
    tiers = {
        row.split()[0]: int(row.split()[-1])
        for row in section(output, "Customers per tier")[1:]
    }
    assert sum(tiers.values()) == 40
    assert set(tiers) == {"Gold", "Silver", "Bronze"}

    segment_rows = section(output, "Customers per RFM segment")[1:]
    stored = list(LoyaltyAccount.objects.values_list("rfm_segment", flat=True))
    for row in segment_rows:
        name, customers, share, _ = row.rsplit(maxsplit=3)
        assert int(customers) == stored.count(name.replace(" ", "_"))
        assert share == f"{100 * int(customers) / 40:.1f}"
    assert sum(int(row.rsplit(maxsplit=3)[1]) for row in segment_rows) == 40

    fit = PredictionFit.objects.get(currency="USD")
    predicted = LoyaltyAccount.objects.filter(predicted_value_currency="USD")
    expected_orders = round(sum(a.expected_purchases_90d for a in predicted))
    spending = sum(a.predicted_value_12m for a in predicted)
    last_90_days = sum(
        1
        for _, day, _ in first_customers_rows(CUSTOMERS)
        if fit.as_of - timedelta(days=90) < day <= fit.as_of
    )
    typical = fit.p * fit.v / (fit.q - 1)
    model = section(output, "What the purchase model expects")
    assert [re.split(r"\s{2,}", row) for row in model[:4]] == [
        ["Orders in the last 90 days", f"{last_90_days}"],
        ["Orders expected in the next 90 days", f"{expected_orders}"],
        ["Spending expected in the next 12 months", f"USD {spending:,.2f}"],
        ["Typical order of a repeat customer", f"USD {typical:,.2f}"],
    ]
    assert model[4] == (
        "From the purchases of 40 customers up to 1998-06-20, the day scored."
    )
    assert model[5].startswith(f"For analysts: BG/NBD r {fit.r:.3g}, alpha ")

    top = section(output, "Top 5 customers by expected spending in the next 12 months")
    assert re.split(r"\s{2,}", top[0]) == [
        "customer",
        "spending",
        "still buying",
        "orders expected in 90 days",
        "segment",
    ]
    best = LoyaltyAccount.objects.order_by("-predicted_value_12m")[:5]
    for row, account in zip(top[1:], best, strict=True):
        assert row.startswith(f"{account.customer.email}  ")
        assert f"USD {account.predicted_value_12m:,}" in row
        assert f"  {100 * account.p_alive:.0f} %  " in row

    # A second run imports nothing and tells the same story.
    again = demo()
    assert (
        f"CDNOW import into default-channel: 40 customers, {orders} purchases "
        f"({orders} already imported)."
    ) in again.splitlines()
    assert again.split("\nShop\n", 1)[1] == output.split("\nShop\n", 1)[1]


def lose_the_event_of(order: Order) -> int:
    """Leave kinship as if the order's events never reached it; return its points.

    That is what a demo killed between the order's commit and the hand-over
    of its event leaves behind.
    """
    entries = LedgerEntry.objects.filter(order_id=str(order.id))
    points = sum(entries.values_list("points", flat=True))
    entries.delete()
    LoyaltyOrder.objects.filter(order_id=str(order.id)).delete()
    refresh_accounts([order.user_id])
    return points


@pytest.mark.django_db(transaction=True)
def test_a_rerun_restores_the_points_of_an_order_whose_event_was_lost():
    uninterrupted = demo()
    channel = Channel.objects.get(slug="default-channel")
    issued = section(uninterrupted, "Loyalty points")[0]
    order = Order.objects.filter(total__gte=10).order_by("number").first()
    points = lose_the_event_of(order)
    assert points >= 10
    assert section("\n" + summary(channel), "Loyalty points")[0] != issued

    rerun = demo()

    assert (
        f"Restored {points} points (1 ledger entry) of orders whose events a "
        "stopped run lost."
    ) in rerun.splitlines()
    assert rerun.split("\nShop\n", 1)[1] == uninterrupted.split("\nShop\n", 1)[1]
    assert "Restored" not in demo()


@pytest.mark.django_db(transaction=True)
def test_a_demo_while_another_runs_on_the_database_is_refused_in_one_line(manage):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [DEMO_LOCK])
    try:
        refused = manage("kinship_demo", "--customers", "3")
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [DEMO_LOCK])

    assert refused.returncode == 1
    assert refused.stdout == ""
    assert refused.stderr.splitlines() == [
        "CommandError: Another kinship_demo is running on this database; let it "
        "finish, then run this one again."
    ]
    assert not Channel.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_demos_started_together_on_a_fresh_database(start_manage):
    demos = [start_manage("kinship_demo", "--customers", "30") for _ in range(2)]
    finished = [
        (process.wait(timeout=300), *process.communicate()) for process in demos
    ]

    assert sorted(code for code, _, _ in finished)[0] == 0
    for code, stdout, stderr in finished:
        if code:
            assert (code, stdout) == (1, "")
            assert stderr.splitlines() == [
                "CommandError: Another kinship_demo is running on this database; "
                "let it finish, then run this one again."
            ]
        else:
            assert "Scored 30 customers as of " in stdout
    assert Order.objects.values("user").distinct().count() == 30
