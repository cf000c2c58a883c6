from datetime import timedelta

import pytest
from django.utils import timezone

from saleor_kinship.loyalty.models import LoyaltyAccount

from .conftest import reseller_gid

FIGURES = """
fragment figures on KinshipCommissionStatement {
  currency dateFrom dateTo orders revenue
  commissionAccrued commissionReversed commissionNet
}
"""

STAFF_VIEW = (
    FIGURES
    + """
query($id: ID!, $from: Date!, $to: Date!) {
  kinshipReseller(id: $id) {
    customersBrought
    customersLinked(dateFrom: $from, dateTo: $to)
    customerTiers { tier customers }
    statements(dateFrom: $from, dateTo: $to) { ...figures }
  }
}
"""
)

OWN_VIEW = (
    FIGURES
    + """
query($from: Date!, $to: Date!) {
  me {
    reseller {
      status customersBrought
      statements(dateFrom: $from, dateTo: $to) { ...figures }
    }
  }
}
"""
)


@pytest.fixture
def season(shop, customer, other_customer, rita, link_customer, channel_pln):
    """Orders of Ann and Bob, both brought by Rita (10 %), in USD and PLN."""
    link_customer(customer, rita)
    link_customer(other_customer, rita)

    ann = shop.place_order("100.00", customer=customer)
    shop.mark_paid(ann)
    shop.refund(ann, "30.00")
    shop.refund(ann, "20.00")
    bob = shop.place_order("50.00", customer=other_customer)
    shop.mark_paid(bob)
    shop.place_order("20.00", customer=other_customer)  # not paid yet
    cancelled = shop.place_order("10.00", customer=other_customer)
    shop.mark_paid(cancelled)
    shop.cancel(cancelled)
    zloty = shop.place_order("40.00", customer=customer, channel=channel_pln)
    shop.mark_paid(zloty)


def today() -> dict[str, str]:
    day = timezone.now().date().isoformat()
    return {"from": day, "to": day}


def expected_statements() -> list[dict[str, object]]:
    day = timezone.now().date().isoformat()
    return [
        {
            "currency": "PLN",
            "dateFrom": day,
            "dateTo": day,
            "orders": 1,
            "revenue": "40.00",
            "commissionAccrued": "4.00",
            "commissionReversed": "0.00",
            "commissionNet": "4.00",
        },
        {
            "currency": "USD",
            "dateFrom": day,
            "dateTo": day,
            # Ann's, Bob's paid and Bob's unpaid order; the cancelled one is out.
            "orders": 3,
            "revenue": "100.00",
            "commissionAccrued": "16.00",
            "commissionReversed": "6.00",
            "commissionNet": "10.00",
        },
    ]


def test_staff_see_a_resellers_statement_by_currency(season, staff_api, rita):
    data = staff_api.data(STAFF_VIEW, {"id": reseller_gid(rita), **today()})

    reseller = data["kinshipReseller"]
    assert reseller["statements"] == expected_statements()
    assert reseller["customersBrought"] == 2
    assert reseller["customersLinked"] == 2


def test_the_reseller_sees_her_own_statement(season, rita_api):
    data = rita_api.data(OWN_VIEW, today())

    assert data["me"]["reseller"] == {
        "status": "APPROVED",
        "customersBrought": 2,
        "statements": expected_statements(),
    }


def test_a_period_without_activity_has_no_statement(season, staff_api, rita):
    last_week = timezone.now().date() - timedelta(days=7)
    variables = {
        "id": reseller_gid(rita),
        "from": (last_week - timedelta(days=30)).isoformat(),
        "to": last_week.isoformat(),
    }

    data = staff_api.data(STAFF_VIEW, variables)

    assert data["kinshipReseller"]["statements"] == []
    assert data["kinshipReseller"]["customersLinked"] == 0
    assert data["kinshipReseller"]["customersBrought"] == 2


def test_customers_are_counted_by_loyalty_tier(
    season, staff_api, rita, customer, other_customer, shop, link_customer
):
    carl = shop.create_customer("carl@example.com")
    link_customer(carl, rita)
    for gold in (customer, other_customer):
        LoyaltyAccount.objects.update_or_create(
            customer=gold, defaults={"tier": "Gold"}
        )
    LoyaltyAccount.objects.filter(customer=carl).delete()  # none yet

    data = staff_api.data(STAFF_VIEW, {"id": reseller_gid(rita), **today()})

    assert data["kinshipReseller"]["customerTiers"] == [
        {"tier": None, "customers": 1},
        {"tier": "Gold", "customers": 2},
    ]


def test_a_period_that_ends_before_it_begins_is_refused(rita_api):
    body = rita_api.query(OWN_VIEW, {"from": "2026-02-01", "to": "2026-01-01"})
    assert body["data"] == {"me": {"reseller": None}}
    assert body["errors"][0]["extensions"]["exception"]["code"] == "INVALID"
    assert body["errors"][0]["message"] == "dateTo must not come before dateFrom."


def test_a_malformed_date_is_refused_naming_the_argument(rita_api):
    body = rita_api.query(OWN_VIEW, {"from": "2026-13-01", "to": "2026-01-01"})
    assert body["errors"][0]["extensions"]["exception"]["code"] == "INVALID"
    assert body["errors"][0]["message"] == (
        "dateFrom: '2026-13-01' is not a date written as YYYY-MM-DD."
    )
