from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from saleor_kinship.core.signals import tier_changed
from saleor_kinship.interactions.models import Interaction
from saleor_kinship.loyalty.api import account_of, tier_progress
from saleor_kinship.loyalty.models import TierChange
from saleor_kinship.loyalty.periodic import run_due_review

from .conftest import LOYALTY


@pytest.fixture
def announced():
    """Collect what tier_changed sends, and whether it came inside a transaction."""
    calls = []

    def receiver(sender, **kwargs):
        calls.append({**kwargs, "in_transaction": connection.in_atomic_block})

    tier_changed.connect(receiver)
    yield calls
    tier_changed.disconnect(receiver)


def review(day: str) -> str:
    out = StringIO()
    call_command("kinship_review_tiers", "--today", day, stdout=out)
    return out.getvalue().strip()


def buy(shop, customer, amount, **kwargs):
    return shop.mark_paid(shop.place_order(amount, customer=customer, **kwargs))


def test_a_tier_rises_as_soon_as_the_points_reach_it(
    shop, customer, ledger, customer_api, announced
):
    buy(shop, customer, "300.00")
    buy(shop, customer, "250.00")

    changes = list(TierChange.objects.order_by("pk").values_list("previous", "tier"))
    assert changes == [("", "Bronze"), ("Bronze", "Silver")]
    latest = TierChange.objects.order_by("pk").last()
    assert [(call["previous"], call["tier"]) for call in announced] == changes
    assert announced[-1] == {
        "signal": tier_changed,
        "customer_id": customer.pk,
        "previous": "Bronze",
        "tier": "Silver",
        "at": latest.at,
        "key": f"tier:{latest.pk}",
        "in_transaction": True,
    }
    entry = Interaction.objects.get(key=f"tier:{latest.pk}")
    assert (entry.customer, entry.kind, entry.summary) == (
        customer,
        "tier_changed",
        "Tier: Silver (was Bronze)",
    )

    loyalty = customer_api.data(LOYALTY)["me"]["loyalty"]
    assert loyalty["tier"] == "Silver"
    assert loyalty["nextTier"] == "Gold"
    assert loyalty["pointsToNextTier"] == 1450
    assert loyalty["progress"] == pytest.approx(50 / 1500)


def test_a_refund_does_not_lower_the_tier_until_the_yearly_review(
    shop, customer, ledger, announced
):
    order = buy(shop, customer, "600.00")
    shop.refund(order, "200.00")

    account = ledger.account(customer)
    assert (account.tier, account.lifetime_points) == ("Silver", 400)
    assert tier_progress(account).points_to_next == 1600

    assert review("2027-01-01") == "Reviewed 1 customer(s): 0 rose, 1 fell."
    assert ledger.account(customer).tier == "Bronze"
    assert announced[-1]["previous"] == "Silver"
    assert announced[-1]["tier"] == "Bronze"
    assert TierChange.objects.first().reason == "Tier review 2027-01-01"
    assert review("2027-01-01") == "Reviewed 1 customer(s): 0 rose, 0 fell."


def test_with_review_never_a_tier_never_falls(
    shop, customer, ledger, channel, configure
):
    configure(channel, tier_review="never")
    shop.refund(buy(shop, customer, "600.00"), "600.00")

    assert review("2027-01-01") == (
        "The tier review is set to 'never': tiers never fall; nothing to do."
    )
    assert ledger.account(customer).tier == "Silver"


def test_on_the_last_12_months_basis_old_orders_do_not_count(
    shop, customer, ledger, channel, configure
):
    configure(channel, tier_basis="last_12_months")
    buy(shop, customer, "1500.00", created_at=timezone.now() - timedelta(days=400))
    assert ledger.account(customer).tier == "Bronze"
    assert ledger.account(customer).lifetime_points == 1500

    buy(shop, customer, "520.00")

    assert ledger.account(customer).tier == "Silver"
    assert tier_progress(ledger.account(customer)).points_to_next == 1480


def test_the_yearly_review_runs_once_on_1_january_in_the_shops_time_zone(
    shop, customer, ledger, channel, configure
):
    configure(channel, time_zone="Europe/Warsaw")
    shop.refund(buy(shop, customer, "600.00"), "600.00")
    installed = datetime(2026, 6, 1, 12, tzinfo=UTC)
    new_years_eve = datetime(2026, 12, 31, 22, 30, tzinfo=UTC)  # 23:30 in Warsaw
    new_year = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)  # 00:30 on 1 January

    assert run_due_review(installed) is None  # installing is not a review
    assert run_due_review(new_years_eve) is None
    outcome = run_due_review(new_year)
    assert (outcome.reviewed, outcome.fallen) == (1, 1)
    assert run_due_review(new_year + timedelta(hours=1)) is None
    assert account_of(customer.pk).tier == "Bronze"
    assert TierChange.objects.first().reason == "Yearly tier review 2027"


def test_a_tier_missing_from_a_changed_list_is_replaced_by_the_next_rise(
    shop, customer, ledger, channel, configure
):
    buy(shop, customer, "600.00")
    configure(channel, tiers="Member: 0, Insider: 100, VIP: 5000")
    buy(shop, customer, "1.00")

    assert ledger.account(customer).tier == "Insider"
