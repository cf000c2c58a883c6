from datetime import UTC, date, datetime, timedelta
from io import StringIO

import pytest
from dateutil.relativedelta import relativedelta
from django.core.management import call_command
from django.utils import timezone

from saleor_kinship.loyalty.adjustments import adjust_points
from saleor_kinship.loyalty.api import ExpiringPoints, customers_with_points_expiring
from saleor_kinship.loyalty.models import LedgerEntry
from saleor_kinship.loyalty.periodic import run_due_expiry

from .conftest import LOYALTY


def expire(day: str) -> str:
    out = StringIO()
    call_command("kinship_expire_points", "--today", day, stdout=out)
    return out.getvalue().strip()


def bought_on(shop, customer, amount, when):
    order = shop.place_order(amount, customer=customer, created_at=when)
    return shop.mark_paid(order)


@pytest.fixture
def yearly_expiry(channel, configure):
    configure(channel, points_expiry_months="12")


def test_points_expire_oldest_first_after_the_spent_ones(
    shop, customer, ledger, yearly_expiry
):
    bought_on(shop, customer, "100.00", datetime(2025, 1, 10, 12, tzinfo=UTC))
    bought_on(shop, customer, "50.00", datetime(2025, 6, 10, 12, tzinfo=UTC))
    adjust_points(customer.pk, -30, "Spent on a voucher", now=timezone.now())

    assert (
        expire("2026-01-09") == "Expired 0 point(s) of 0 customer(s) as on 2026-01-09."
    )
    # The 30 spent came out of January's 100: 70 of them are left to expire.
    assert (
        expire("2026-01-10") == "Expired 70 point(s) of 1 customer(s) as on 2026-01-10."
    )
    assert (
        expire("2026-01-10") == "Expired 0 point(s) of 0 customer(s) as on 2026-01-10."
    )
    assert ledger.balance(customer) == 50

    assert customers_with_points_expiring(30, date(2026, 5, 20)) == [
        ExpiringPoints(customer.pk, 50, date(2026, 6, 10))
    ]
    assert customers_with_points_expiring(30, date(2026, 5, 1)) == []

    expire("2026-06-10")
    assert ledger.entries(customer) == [
        ("earn", 100),
        ("earn", 50),
        ("adjust", -30),
        ("expire", -70),
        ("expire", -50),
    ]
    assert ledger.balance(customer) == 0
    assert LedgerEntry.objects.filter(kind="expire").first().reason == (
        "Points older than 12 month(s) expired"
    )


def test_a_refund_after_an_expiry_takes_from_the_points_left(
    shop, customer, ledger, yearly_expiry
):
    bought_on(shop, customer, "100.00", datetime(2025, 1, 10, 12, tzinfo=UTC))
    june = bought_on(shop, customer, "50.00", datetime(2025, 6, 10, 12, tzinfo=UTC))
    expire("2026-01-10")

    shop.refund(june, "50.00")

    assert ledger.entries(customer)[-2:] == [("expire", -100), ("reverse", -50)]
    assert ledger.balance(customer) == 0
    assert customers_with_points_expiring(365, date(2026, 1, 11)) == []


@pytest.mark.parametrize(
    ("zone", "earned_at", "expires"),
    [
        # The 31st plus one month is the last day of the next month.
        ("UTC", datetime(2025, 1, 31, 12, tzinfo=UTC), date(2025, 2, 28)),
        # 23:30 UTC on 31 January is already 1 February in Warsaw.
        ("Europe/Warsaw", datetime(2025, 1, 31, 23, 30, tzinfo=UTC), date(2025, 3, 1)),
    ],
)
def test_the_expiry_day_follows_the_shops_calendar(
    shop, customer, channel, configure, zone, earned_at, expires
):
    configure(channel, points_expiry_months="1", time_zone=zone)
    bought_on(shop, customer, "10.00", earned_at)

    assert customers_with_points_expiring(0, expires) == [
        ExpiringPoints(customer.pk, 10, expires)
    ]
    assert customers_with_points_expiring(0, expires - timedelta(days=1)) == []


def test_points_never_expire_when_the_expiry_is_zero(shop, customer, ledger):
    bought_on(shop, customer, "10.00", datetime(2020, 1, 1, tzinfo=UTC))

    assert expire("2026-01-01") == (
        "Points never expire (expiry is 0 months): nothing to do."
    )
    assert customers_with_points_expiring(3650, date(2026, 1, 1)) == []
    assert ledger.entries(customer) == [("earn", 10)]


def test_the_customer_sees_points_expiring_within_the_warning_period(
    shop, customer, customer_api, yearly_expiry, channel, configure
):
    configure(channel, expiry_warning_days="20")
    earned = timezone.now() - timedelta(days=355)
    bought_on(shop, customer, "10.00", earned)

    loyalty = customer_api.data(LOYALTY)["me"]["loyalty"]

    assert loyalty["expiringSoon"] == {
        "points": 10,
        "expireOn": (earned.date() + relativedelta(months=12)).isoformat(),
    }
    configure(channel, expiry_warning_days="5")
    assert customer_api.data(LOYALTY)["me"]["loyalty"]["expiringSoon"] is None


def test_the_periodic_job_expires_once_per_day_of_the_shop(
    shop, customer, ledger, yearly_expiry
):
    bought_on(shop, customer, "10.00", datetime(2025, 1, 10, 12, tzinfo=UTC))

    first = run_due_expiry(datetime(2026, 1, 10, 1, tzinfo=UTC))
    assert (first.customers, first.points) == (1, 10)
    assert run_due_expiry(datetime(2026, 1, 10, 23, tzinfo=UTC)) is None
    assert run_due_expiry(datetime(2026, 1, 11, 0, 5, tzinfo=UTC)).points == 0
    assert ledger.balance(customer) == 0


def test_the_beat_schedule_names_registered_tasks_that_do_the_work(
    shop, customer, ledger, yearly_expiry
):
    from devhost.celery import app
    from saleor_kinship.loyalty.schedule import LOYALTY_BEAT_SCHEDULE

    bought_on(shop, customer, "10.00", timezone.now() - timedelta(days=800))
    names = [entry["task"] for entry in LOYALTY_BEAT_SCHEDULE.values()]
    assert names == [
        "saleor_kinship.loyalty.expire_points",
        "saleor_kinship.loyalty.review_tiers",
    ]

    for name in names:
        app.tasks[name].delay()

    assert ledger.entries(customer) == [("earn", 10), ("expire", -10)]
