"""The forms of Date and DateTime the schema reads: ISO 8601's extended format.

Forms it refuses (20260401, a week date, a space for the `T`) are in the
table of test_date_inputs, for every Date and DateTime input.
"""

from datetime import UTC, date, datetime

import pytest

from saleor_kinship.graphql.core.ids import customer_global_id
from saleor_kinship.interactions.models import Interaction
from saleor_kinship.relationships.models import KinshipGift

ENTRY = """
mutation($customer: ID!, $input: KinshipInteractionCreateInput!) {
  kinshipInteractionCreate(customer: $customer, input: $input) {
    errors { field code message }
  }
}
"""
GIFT = """
mutation($customer: ID!, $input: KinshipGiftCreateInput!) {
  kinshipGiftCreate(customer: $customer, input: $input) {
    errors { field code message } gift { date }
  }
}
"""


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("2025-02-03T15:30", datetime(2025, 2, 3, 14, 30, tzinfo=UTC)),
        ("2025-02-03T15:30:05", datetime(2025, 2, 3, 14, 30, 5, tzinfo=UTC)),
        (
            "2025-02-03T15:30:05.25",
            datetime(2025, 2, 3, 14, 30, 5, 250000, tzinfo=UTC),
        ),
        (
            "2025-02-03T15:30:05.123456-02:30",
            datetime(2025, 2, 3, 18, 0, 5, 123456, tzinfo=UTC),
        ),
        ("2025-02-03T15:30Z", datetime(2025, 2, 3, 15, 30, tzinfo=UTC)),
        ("2025-02-03T15:30+00:00", datetime(2025, 2, 3, 15, 30, tzinfo=UTC)),
        # A day alone is its first moment in the shop's time zone.
        ("2025-02-03", datetime(2025, 2, 2, 23, tzinfo=UTC)),
    ],
)
def test_a_moment_in_the_extended_format_is_read(
    staff_api, customer, configure, channel, given, stored
):
    configure(channel, time_zone="Europe/Warsaw")

    data = staff_api.data(
        ENTRY,
        {
            "customer": customer_global_id(customer.pk),
            "input": {"kind": "NOTE", "summary": "Met", "occurredAt": given},
        },
    )

    assert data["kinshipInteractionCreate"]["errors"] == []
    assert Interaction.objects.get(kind="note").occurred_at == stored


def test_a_day_is_read_as_yyyy_mm_dd_only(staff_api, customer):
    def create(day):
        return staff_api.data(
            GIFT,
            {
                "customer": customer_global_id(customer.pk),
                "input": {"status": "PLANNED", "date": day},
            },
        )["kinshipGiftCreate"]

    assert create("2025-01-01") == {"errors": [], "gift": {"date": "2025-01-01"}}
    assert create("20250101") == {
        "errors": [
            {
                "field": "date",
                "code": "INVALID",
                "message": "'20250101' is not a date written as YYYY-MM-DD.",
            }
        ],
        "gift": None,
    }
    assert list(KinshipGift.objects.values_list("date", flat=True)) == [
        date(2025, 1, 1)
    ]
