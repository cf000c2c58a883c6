"""When a timeline entry happened: the years allowed, the shop's time zone,
and the period a timeline is read over."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone
from graphql_relay import to_global_id

from saleor_kinship.graphql.core.ids import customer_global_id
from saleor_kinship.interactions.models import Interaction

from .test_timeline_api import CREATE, DELETE, TIMELINE, UPDATE, entry, summaries


def create(api, customer, occurred_at):
    variables = {
        "customer": customer_global_id(customer.pk),
        "input": {"kind": "NOTE", "summary": "Met", "occurredAt": occurred_at},
    }
    return api.data(CREATE, variables)["kinshipInteractionCreate"]


def timeline(api, customer, **variables):
    body = api.query(TIMELINE, {"id": customer_global_id(customer.pk), **variables})
    return body


def test_year_one_with_an_offset_is_refused_and_the_timeline_still_reads(
    staff_api, customer
):
    kept = entry(customer, "Kept", hours=0)

    payload = create(staff_api, customer, "0001-01-01T00:00:00+05:00")

    assert payload == {
        "errors": [
            {
                "field": "occurredAt",
                "code": "OUT_OF_RANGE",
                "message": "Give a date and time from 1900-01-01 to 2200-12-31.",
            }
        ],
        "interaction": None,
    }
    assert list(Interaction.objects.values_list("summary", flat=True)) == ["Kept"]
    body = timeline(staff_api, customer, first=10)
    assert summaries(body["data"]["customer"]["interactions"]) == ["Kept"]
    kept_id = to_global_id("KinshipInteraction", kept.pk)
    assert (
        staff_api.data(
            UPDATE, {"id": kept_id, "input": {"occurredAt": "1899-12-31T23:59:59Z"}}
        )["kinshipInteractionUpdate"]["errors"][0]["code"]
        == "OUT_OF_RANGE"
    )
    assert staff_api.data(DELETE, {"id": kept_id})["kinshipInteractionDelete"] == {
        "errors": []
    }


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("1900-01-01T00:00:00+00:00", datetime(1900, 1, 1, tzinfo=UTC)),
        ("2026-02-03T15:30:00", datetime(2026, 2, 3, 14, 30, tzinfo=UTC)),
        ("2026-02-03", datetime(2026, 2, 2, 23, tzinfo=UTC)),
    ],
)
def test_a_moment_without_an_offset_is_in_the_shops_time_zone(
    staff_api, customer, configure, channel, given, stored
):
    configure(channel, time_zone="Europe/Warsaw")

    payload = create(staff_api, customer, given)

    assert payload["errors"] == []
    assert Interaction.objects.get().occurred_at == stored


def test_an_entry_may_be_dated_up_to_a_day_ahead(staff_api, customer):
    now = timezone.now()
    allowed = (now + timedelta(hours=23)).isoformat()
    too_far = (now + timedelta(days=1, minutes=5)).isoformat()

    assert create(staff_api, customer, allowed)["errors"] == []
    assert create(staff_api, customer, too_far)["errors"] == [
        {
            "field": "occurredAt",
            "code": "OUT_OF_RANGE",
            "message": "An interaction cannot be dated more than a day ahead.",
        }
    ]
    assert Interaction.objects.count() == 1


@pytest.mark.parametrize(
    ("occurred_from", "occurred_to"),
    [
        ("0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00"),
        ("0001-01-01T00:00:00", "9999-12-31T23:59:59"),
        ("0001-01-01T00:00:00-05:00", "9999-12-31T23:59:59+05:00"),
    ],
)
def test_the_timeline_can_be_read_from_the_first_to_the_last_year(
    staff_api, customer, configure, channel, occurred_from, occurred_to
):
    configure(channel, time_zone="Asia/Tokyo")
    entry(customer, "First", hours=0)
    entry(customer, "Second", hours=1)

    body = timeline(
        staff_api, customer, first=10, **{"from": occurred_from, "to": occurred_to}
    )

    assert "errors" not in body
    assert summaries(body["data"]["customer"]["interactions"]) == ["Second", "First"]


def test_the_bounds_of_the_timeline_without_an_offset_are_the_shops(
    staff_api, customer, configure, channel
):
    configure(channel, time_zone="Europe/Warsaw")
    entry(customer, "At ten UTC", hours=0)  # 11:00 in Warsaw on 1 February

    def read(occurred_from):
        body = timeline(staff_api, customer, first=10, **{"from": occurred_from})
        return summaries(body["data"]["customer"]["interactions"])

    assert read("2026-02-01T11:00:00") == ["At ten UTC"]
    assert read("2026-02-01T11:00:01") == []
