"""kinship_demo on a slice of the CDNOW sample: the summary a merchant reads."""

import math
import re
from collections import defaultdict
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from devhost.shop.models import Channel, PluginConfiguration
from saleor_kinship.loyalty.models import LoyaltyAccount

CDNOW_SAMPLE = Path(__file__).resolve().parents[2] / "data/cdnow/CDNOW_sample.txt"
CUSTOMERS = 40


def first_customers_purchases(count: int) -> dict[int, list[Decimal]]:
    """Read the values of the first customers' purchases straight from the file."""
    purchases: dict[int, list[Decimal]] = defaultdict(list)
    for line in CDNOW_SAMPLE.read_text().splitlines():
        customer, _, _, _, value = line.split()
        if int(customer) not in purchases and len(purchases) == count:
            continue
        purchases[int(customer)].append(Decimal(value))
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

    model = section(output, "Purchase model")
    assert re.fullmatch(
        r"BG/NBD as of 1998-06-20, 40 customers: r [\d.]+, alpha [\d.]+/week, "
        r"a [\d.]+, b [\d.]+, log-likelihood -[\d,.]+",
        model[0],
    )

    top = section(output, "Top 5 customers by predicted 12-month value")
    assert top[0].split() == [
        "customer",
        "value",
        "P(alive)",
        "orders",
        "90d",
        "segment",
    ]
    best = LoyaltyAccount.objects.order_by("-predicted_value_12m")[:5]
    for row, account in zip(top[1:], best, strict=True):
        label = f"#{account.customer_id} cdnow-"
        assert row.startswith(label)
        assert f"USD {account.predicted_value_12m:,}" in row
        assert f"{account.p_alive:.2f}" in row.split()

    # A second run imports nothing and tells the same story.
    again = demo()
    assert "(0 new orders, 0 of them free, " in again
    assert again.split("\nShop\n", 1)[1] == output.split("\nShop\n", 1)[1]
