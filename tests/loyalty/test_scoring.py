"""Rescoring on PostgreSQL: RFM scores, segments and predictions per customer."""

import logging
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from io import StringIO

import numpy as np
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from devhost.shop.models import Order
from saleor_kinship.loyalty.models import LoyaltyAccount, LoyaltyOrder
from saleor_kinship.loyalty.predictions import (
    fit_bg_nbd,
    probability_alive,
    summarize_purchases,
)
from saleor_kinship.loyalty.scoring import PREDICTED_VALUE_WEEKS, rescore
from saleor_kinship.loyalty.scoring_models import PredictionFit
from saleor_kinship.loyalty.spend import predicted_value

AS_OF = date(2026, 3, 31)


def noon(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(hour=12, tzinfo=UTC)


def scores(customer) -> tuple:
    account = LoyaltyAccount.objects.get(customer=customer)
    return (
        account.rfm_recency,
        account.rfm_frequency,
        account.rfm_monetary,
        account.rfm_segment,
    )


@pytest.fixture
def small_shop(shop):
    """Five customers whose scores can be worked out by hand (as of 31 March).

    recency (days)  purchase days  spend  ->  R F M  segment
    A   1           3              150        5 5 4  champions
    B   6           2               80        4 3 3  promising
    C  58           1               20        3 1 2  needs attention
    D 120           2              300        2 3 5  at risk
    E 303           1               10        1 1 1  lost
    """
    customers = {
        name: shop.create_customer(f"{name.lower()}@example.com") for name in "ABCDE"
    }

    def paid(name, price, day):
        order = shop.place_order(price, customer=customers[name], created_at=noon(day))
        return shop.mark_paid(order)

    # Two orders on one day are one purchase day worth their sum.
    paid("A", "30.00", "2026-03-30")
    paid("A", "20.00", "2026-03-30")
    paid("A", "50.00", "2026-03-20")
    paid("A", "50.00", "2026-03-10")
    paid("B", "50.00", "2026-03-25")
    shop.refund(paid("B", "40.00", "2026-01-10"), "10.00")
    # Refunded in full, cancelled or never paid: not purchases.
    shop.refund(paid("B", "100.00", "2026-03-28"), "100.00")
    paid("C", "20.00", "2026-02-01")
    shop.cancel(paid("C", "500.00", "2026-03-29"))
    paid("D", "200.00", "2025-12-01")
    paid("D", "100.00", "2025-11-01")
    paid("E", "10.00", "2025-06-01")
    shop.place_order("70.00", customer=customers["E"], created_at=noon("2026-03-30"))
    # A guest has no account to score.
    paid_guest = shop.place_order(
        "90.00", email="guest@example.com", created_at=noon("2026-03-30")
    )
    shop.mark_paid(paid_guest)
    # After the as-of day: not seen yet.
    paid("E", "999.00", "2026-04-01")
    return customers


def test_scores_and_segments_of_a_small_shop(small_shop):
    result = rescore(AS_OF)

    assert {name: scores(customer) for name, customer in small_shop.items()} == {
        "A": (5, 5, 4, "champions"),
        "B": (4, 3, 3, "promising"),
        "C": (3, 1, 2, "needs_attention"),
        "D": (2, 3, 5, "at_risk"),
        "E": (1, 1, 1, "lost"),
    }
    assert result.customers == 5
    assert result.segments == {
        "champions": 1,
        "promising": 1,
        "needs_attention": 1,
        "at_risk": 1,
        "lost": 1,
    }
    account = LoyaltyAccount.objects.get(customer=small_shop["A"])
    assert account.scored_at is not None


def test_too_short_a_history_keeps_rfm_and_leaves_predictions_empty(small_shop, caplog):
    with caplog.at_level(logging.WARNING, logger="saleor_kinship.loyalty.scoring"):
        result = rescore(AS_OF)

    assert [fit.problem for fit in result.fits] == [
        "BG/NBD needs at least 10 customers, got 5"
    ]
    assert [record.getMessage() for record in caplog.records] == [
        "Kinship rescoring as of 2026-03-31: incomplete predictions for 5 USD "
        "customers: BG/NBD needs at least 10 customers, got 5"
    ]
    account = LoyaltyAccount.objects.get(customer=small_shop["A"])
    assert account.rfm_segment == "champions"
    assert account.p_alive is None
    assert account.expected_purchases_90d is None
    assert account.predicted_value_12m is None
    assert account.predicted_value_currency == ""
    assert not PredictionFit.objects.exists()


def test_a_customer_without_purchases_any_more_loses_her_scores(small_shop, shop):
    rescore(AS_OF)
    assert scores(small_shop["C"])[3] == "needs_attention"

    order = LoyaltyOrder.objects.get(customer=small_shop["C"], total=Decimal("20"))
    shop.cancel(Order.objects.get(pk=order.order_id))
    rescore(AS_OF)

    account = LoyaltyAccount.objects.get(customer=small_shop["C"])
    assert scores(small_shop["C"]) == (None, None, None, "")
    assert account.scored_at is None
    # The others are compared among four now: the best of four scores
    # 1 + floor(5 * 3 / 4) = 4, so A is loyal rather than a champion.
    assert scores(small_shop["A"]) == (4, 4, 3, "loyal")


class Purchases:
    """Kinship's copy of paid orders, written directly for larger histories."""

    def __init__(self, django_user_model):
        self.users = django_user_model
        self.customers: dict[str, object] = {}
        self.rows: list[tuple[int, date, float]] = []

    def customer(self, name):
        if name not in self.customers:
            customer = self.users.objects.create_user(f"{name}@example.com")
            LoyaltyAccount.objects.create(customer=customer)
            self.customers[name] = customer
        return self.customers[name]

    def add(self, name, day, amount, currency="USD"):
        customer = self.customer(name)
        LoyaltyOrder.objects.create(
            order_id=f"{name}-{day}-{amount}-{currency}",
            customer=customer,
            channel="default-channel",
            currency=currency,
            placed_at=datetime.combine(day, datetime.min.time(), tzinfo=UTC)
            + timedelta(hours=12),
            total=Decimal(amount),
            paid_amount=Decimal(amount),
        )
        if currency == "USD":
            self.rows.append((customer.pk, day, float(amount)))


@pytest.fixture
def purchases(db, django_user_model, channel):
    return Purchases(django_user_model)


def simulated_history(purchases, seed, customers=150, currency="USD", prefix="s"):
    """Customers who buy and drop out as BG/NBD and Gamma-Gamma assume."""
    rng = np.random.default_rng(seed)
    for index in range(customers):
        rate = rng.gamma(0.6, 1 / 4.0)  # purchases per week
        drop_out = rng.beta(0.8, 2.5)  # chance of leaving after a purchase
        spend_scale = rng.gamma(4, 1 / 15)
        day = date(2026, 1, 1) + timedelta(days=int(rng.integers(0, 56)))
        while day <= SIMULATED_AS_OF:
            amount = f"{rng.gamma(6, 1 / spend_scale):.2f}"
            purchases.add(f"{prefix}{index}", day, amount, currency)
            if rng.random() < drop_out:
                break
            day += timedelta(days=max(1, int(rng.exponential(7 / rate))))


SIMULATED_AS_OF = date(2026, 6, 30)


def test_predictions_follow_the_fitted_models(purchases):
    simulated_history(purchases, seed=1)
    # Same habits, a purchase every two weeks; one stopped three months ago.
    for week in range(0, 12, 2):
        purchases.add("regular", date(2026, 4, 6) + timedelta(weeks=week), "30.00")
        purchases.add("lapsed", date(2026, 1, 5) + timedelta(weeks=week), "30.00")

    result = rescore(SIMULATED_AS_OF)

    assert [fit.problem for fit in result.fits] == [""]
    customers, days, amounts = zip(*purchases.rows, strict=True)
    summary = summarize_purchases(customers, days, amounts, SIMULATED_AS_OF)
    expected_fit = fit_bg_nbd(summary.x, summary.t_x, summary.T)
    stored = PredictionFit.objects.get(as_of=SIMULATED_AS_OF, currency="USD")
    assert (stored.r, stored.alpha, stored.a, stored.b) == pytest.approx(
        (expected_fit.r, expected_fit.alpha, expected_fit.a, expected_fit.b)
    )
    assert stored.customers == 152
    assert stored.gg_customers == int((summary.x > 0).sum())

    accounts = {
        account.customer_id: account for account in LoyaltyAccount.objects.all()
    }
    fit = result.fits[0]
    alive = probability_alive(fit.bg_nbd, summary.x, summary.t_x, summary.T)
    value = predicted_value(
        fit.bg_nbd,
        fit.gamma_gamma,
        summary.x,
        summary.t_x,
        summary.T,
        summary.monetary,
        weeks=PREDICTED_VALUE_WEEKS,
    )
    for index, customer_id in enumerate(summary.customers.tolist()):
        account = accounts[customer_id]
        assert account.p_alive == pytest.approx(alive[index])
        assert account.predicted_value_12m == Decimal(f"{value[index]:.2f}")
        assert account.predicted_value_currency == "USD"
        assert account.expected_purchases_90d > 0

    regular = accounts[purchases.customers["regular"].pk]
    lapsed = accounts[purchases.customers["lapsed"].pk]
    assert regular.rfm_frequency == lapsed.rfm_frequency
    assert regular.p_alive > 0.7 > 0.1 > lapsed.p_alive
    assert regular.predicted_value_12m > 10 * lapsed.predicted_value_12m


def test_a_fit_that_does_not_converge_leaves_predictions_empty(purchases):
    # Forty customers who all still buy: nothing tells how customers leave.
    for index in range(40):
        for week in range(1 + index % 5):
            purchases.add(f"c{index}", date(2026, 6, 1) + timedelta(weeks=week), "9.99")

    result = rescore(SIMULATED_AS_OF)

    assert result.fits[0].problem.startswith("BG/NBD did not converge (a = ")
    assert result.fits[0].problem.endswith("); predictions are left empty")
    account = LoyaltyAccount.objects.get(customer=purchases.customers["c4"])
    assert account.rfm_frequency == 5
    assert (account.p_alive, account.predicted_value_12m) == (None, None)
    assert not PredictionFit.objects.exists()


def test_without_enough_repeat_spend_value_is_empty_but_p_alive_is_not(purchases):
    simulated_history(purchases, seed=1, customers=16)
    repeat_customers = sum(
        1
        for customer in purchases.customers.values()
        if LoyaltyOrder.objects.filter(customer=customer).count() > 1
    )
    assert repeat_customers == 8

    result = rescore(SIMULATED_AS_OF)

    assert result.fits[0].problem == (
        "Gamma-Gamma needs at least 10 repeat customers with positive spend, "
        f"got {repeat_customers}"
    )
    accounts = LoyaltyAccount.objects.all()
    assert all(0 < account.p_alive <= 1 for account in accounts)
    assert all(account.expected_purchases_90d > 0 for account in accounts)
    assert all(account.predicted_value_12m is None for account in accounts)
    assert PredictionFit.objects.get().p is None


def test_customers_are_compared_within_the_currency_of_most_purchases(purchases):
    simulated_history(purchases, seed=1, currency="USD", prefix="usd")
    simulated_history(purchases, seed=3, currency="PLN", prefix="pln")
    purchases.add("both", date(2026, 2, 1), "100.00", "USD")
    purchases.add("both", date(2026, 2, 8), "400.00", "PLN")
    purchases.add("both", date(2026, 2, 15), "300.00", "PLN")
    # One purchase in each: the latest decides.
    purchases.add("tie", date(2026, 2, 1), "100.00", "PLN")
    purchases.add("tie", date(2026, 3, 1), "10.00", "USD")

    result = rescore(SIMULATED_AS_OF)

    assert {fit.currency: (fit.customers, fit.problem) for fit in result.fits} == {
        "PLN": (151, ""),
        "USD": (151, ""),
    }
    both = LoyaltyAccount.objects.get(customer=purchases.customers["both"])
    tie = LoyaltyAccount.objects.get(customer=purchases.customers["tie"])
    assert both.predicted_value_currency == "PLN"
    assert tie.predicted_value_currency == "USD"
    # Her USD purchase is left out: two purchase days, the last in February.
    twice_in_february = next(
        account
        for account in LoyaltyAccount.objects.filter(
            predicted_value_currency="PLN", scored_at__isnull=False
        )
        if LoyaltyOrder.objects.filter(customer_id=account.customer_id).count() == 2
        and account.customer_id != both.customer_id
    )
    assert both.rfm_frequency == twice_in_february.rfm_frequency
    assert set(PredictionFit.objects.values_list("currency", flat=True)) == {
        "PLN",
        "USD",
    }


def test_rescore_command_prints_a_summary(purchases):
    simulated_history(purchases, seed=1)
    output = StringIO()

    call_command("kinship_rescore", "--as-of", "2026-06-30", stdout=output)

    lines = output.getvalue().splitlines()
    assert lines[0].startswith("Scored 150 customers as of 2026-06-30 in ")
    assert lines[1] == "Segments:"
    segments = {}
    for line in lines[2:]:
        if not line.startswith("  "):
            break
        name, customers = line.split()
        segments[name] = int(customers)
    stored = LoyaltyAccount.objects.values_list("rfm_segment", flat=True)
    assert segments == {name: list(stored).count(name) for name in set(stored)}
    assert sum(segments.values()) == 150
    fit = PredictionFit.objects.get()
    assert f"BG/NBD USD: r={fit.r:.4g} alpha={fit.alpha:.4g}/week" in lines[-2]
    assert lines[-1].startswith("Gamma-Gamma USD: p=")


@pytest.mark.parametrize(
    ("as_of", "message"),
    [
        (
            "31/03/2026",
            "Error: argument --as-of: '31/03/2026' is not a day written as "
            "YYYY-MM-DD, such as 2027-01-31.",
        ),
        (
            "2026-02-30",
            "Error: argument --as-of: 2026-02-30 does not exist: February 2026 "
            "has 28 days. Give a day as YYYY-MM-DD.",
        ),
        ("2199-01-01", "--as-of: 2199-01-01 is in the future."),
    ],
)
def test_rescore_command_refuses_a_bad_day(db, channel, as_of, message):
    with pytest.raises(CommandError) as error:
        call_command("kinship_rescore", "--as-of", as_of)
    assert str(error.value) == message


def test_rescore_command_says_why_predictions_are_missing(small_shop):
    output = StringIO()
    call_command("kinship_rescore", "--as-of", "2026-03-31", stdout=output)
    assert output.getvalue().splitlines()[-1] == (
        "No complete predictions for 5 USD customers: BG/NBD needs at least 10 "
        "customers, got 5."
    )


def test_rescore_command_refuses_a_day_before_any_purchase(small_shop):
    call_command("kinship_rescore", "--as-of", "2026-03-31", stdout=StringIO())
    before = {name: scores(customer) for name, customer in small_shop.items()}
    scored_at = set(LoyaltyAccount.objects.values_list("scored_at", flat=True))

    with pytest.raises(CommandError) as error:
        call_command("kinship_rescore", "--as-of", "1900-01-01")

    assert str(error.value) == (
        "No purchases on or before 1900-01-01 (the first was on 2025-06-01): "
        "nothing to score; the stored scores are left as they are."
    )
    assert {name: scores(customer) for name, customer in small_shop.items()} == before
    assert set(LoyaltyAccount.objects.values_list("scored_at", flat=True)) == scored_at


def test_the_nightly_rescoring_of_a_shop_without_purchases_scores_nobody(
    small_shop, shop
):
    rescore(AS_OF)
    for order in Order.objects.all():
        shop.cancel(order)

    # Without a day asked for, every purchase gone clears every score.
    assert rescore(AS_OF).customers == 0
    assert set(LoyaltyAccount.objects.values_list("rfm_segment", flat=True)) == {""}
