"""Periods reaching the ends of the calendar, and the moments of links."""

from datetime import UTC, datetime

import pytest
from django.utils import timezone

from saleor_kinship.graphql.core.ids import customer_global_id
from saleor_kinship.resellers.models import ResellerLink

from .conftest import codes, reseller_gid

PERIOD = """
query($id: ID!, $from: Date!, $to: Date!) {
  kinshipReseller(id: $id) {
    customersLinked(dateFrom: $from, dateTo: $to)
    statements(dateFrom: $from, dateTo: $to) {
      currency dateFrom dateTo orders revenue commissionNet
    }
  }
}
"""

LINK = """
mutation($customer: ID!, $reseller: ID!, $since: DateTime!) {
  kinshipResellerLink(customerId: $customer, resellerId: $reseller, since: $since) {
    errors { field code message }
  }
}
"""


@pytest.fixture
def sales(shop, customer, other_customer, rita, link_customer):
    """Ann and Bob brought by Rita today, each with a paid order."""
    link_customer(customer, rita)
    link_customer(other_customer, rita)
    for buyer, price in ((customer, "100.00"), (other_customer, "50.00")):
        shop.mark_paid(shop.place_order(price, customer=buyer))


def figures(api, rita, date_from, date_to):
    variables = {"id": reseller_gid(rita), "from": date_from, "to": date_to}
    return api.data(PERIOD, variables)["kinshipReseller"]


@pytest.mark.parametrize(
    ("date_from", "date_to"),
    [
        ("0001-01-01", "9999-12-31"),
        ("0001-01-01", "TODAY"),
        ("TODAY", "9999-12-31"),
    ],
)
def test_a_period_may_reach_the_ends_of_the_calendar(
    sales, staff_api, rita, date_from, date_to
):
    today = timezone.now().date().isoformat()
    date_from = today if date_from == "TODAY" else date_from
    date_to = today if date_to == "TODAY" else date_to

    found = figures(staff_api, rita, date_from, date_to)

    assert found == {
        "customersLinked": 2,
        "statements": [
            {
                "currency": "USD",
                "dateFrom": date_from,
                "dateTo": date_to,
                "orders": 2,
                "revenue": "150.00",
                "commissionNet": "15.00",
            }
        ],
    }


def test_a_period_counts_its_last_day_to_the_last_moment(
    staff_api, customer, rita, link_customer, configure, channel
):
    configure(channel, time_zone="Europe/Warsaw")
    customer.date_joined = datetime(2020, 1, 1, tzinfo=UTC)
    customer.save()
    # 1 July, a microsecond before midnight in Warsaw.
    link_customer(customer, rita, datetime(2025, 7, 1, 21, 59, 59, 999999, UTC))

    def linked(date_from, date_to):
        return figures(staff_api, rita, date_from, date_to)["customersLinked"]

    assert [
        linked("0001-01-01", "2025-06-30"),
        linked("0001-01-01", "2025-07-01"),
        linked("2025-07-01", "2025-07-01"),
        linked("2025-07-02", "9999-12-31"),
    ] == [0, 1, 1, 0]


def test_a_period_at_the_end_of_the_calendar_is_empty(sales, staff_api, rita):
    assert figures(staff_api, rita, "9999-12-31", "9999-12-31") == {
        "customersLinked": 0,
        "statements": [],
    }


@pytest.mark.parametrize(
    ("since", "code"),
    [
        ("0001-01-01T00:00:00+05:00", "OUT_OF_RANGE"),
        ("1899-12-31T23:00:00+00:00", "OUT_OF_RANGE"),
        ("9999-12-31T23:59:59-05:00", "OUT_OF_RANGE"),
        ("2026-04-31T10:00:00+00:00", "INVALID"),
    ],
)
def test_a_link_moment_out_of_the_calendar_is_refused(
    staff_api, customer, rita, since, code
):
    payload = staff_api.data(
        LINK,
        {
            "customer": customer_global_id(customer.pk),
            "reseller": reseller_gid(rita),
            "since": since,
        },
    )["kinshipResellerLink"]

    assert codes(payload) == [("since", code)]
    assert not ResellerLink.objects.exists()


def test_a_link_from_the_first_allowed_year_is_taken(staff_api, customer, rita):
    customer.date_joined = datetime(1900, 1, 1, tzinfo=UTC)
    customer.save()

    payload = staff_api.data(
        LINK,
        {
            "customer": customer_global_id(customer.pk),
            "reseller": reseller_gid(rita),
            "since": "1900-01-01T00:00:00+00:00",
        },
    )["kinshipResellerLink"]

    assert payload["errors"] == []
    assert ResellerLink.objects.get().valid_from == datetime(1900, 1, 1, tzinfo=UTC)
