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

from devhost.shop.models import Channel, PluginConfiguration
from saleor_kinship.loyalty.models import LoyaltyAccount
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
    assert f"({orders} new orders, " in output
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
        "orders in 90 days",
        "segment",
    ]
    best = LoyaltyAccount.objects.order_by("-predicted_value_12m")[:5]
    for row, account in zip(top[1:], best, strict=True):
        label = f"#{account.customer_id} cdnow-"
        assert row.startswith(label)
        assert f"USD {account.predicted_value_12m:,}" in row
        assert f"  {100 * account.p_alive:.0f} %  " in row

    # A second run imports nothing and tells the same story.
    again = demo()
    assert "(0 new orders, 0 of them free, " in again
    assert again.split("\nShop\n", 1)[1] == output.split("\nShop\n", 1)[1]
