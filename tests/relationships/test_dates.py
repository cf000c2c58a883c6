import zoneinfo
from datetime import date

import pytest
from django.utils import timezone

from saleor_kinship.relationships.dates import (
    birthdays_on,
    next_occurrence,
    shop_today,
    upcoming_dates,
)
from saleor_kinship.relationships.models import (
    CustomerProfile,
    ImportantDate,
    Relative,
)
from saleor_kinship.relationships.profiles import profile_for, update_profile
from saleor_kinship.relationships.validation import DayOfYear

from .conftest import gid, mutation_errors, uid

CREATE = """
mutation($customer: ID!, $input: KinshipImportantDateCreateInput!) {
  kinshipImportantDateCreate(customer: $customer, input: $input) {
    errors { field code message }
    importantDate { id kind label day month year recurring relative { name } }
  }
}
"""

UPDATE = """
mutation($id: ID!, $input: KinshipImportantDateUpdateInput!) {
  kinshipImportantDateUpdate(id: $id, input: $input) {
    errors { field code message }
    importantDate { label day month year recurring }
  }
}
"""

DELETE = """
mutation($id: ID!) { kinshipImportantDateDelete(id: $id) { errors { field code } } }
"""


def birthday(customer, day, month, year=None):
    update_profile(
        profile_for(customer),
        {"birthday": DayOfYear(day, month, year)},
        date(2026, 1, 1),
    )


def dated(customer, day, month, *, year=None, recurring=True, label="Wedding"):
    return ImportantDate.objects.create(
        customer=customer,
        kind="anniversary",
        label=label,
        day=day,
        month=month,
        year=year,
        recurring=recurring,
    )


def seen(upcoming):
    return [(item.customer_id, item.label, item.date) for item in upcoming]


def test_upcoming_dates_cross_the_year_end(customer, other_customer, carol):
    birthday(customer, 3, 1, 1990)
    birthday(other_customer, 8, 1)  # 11 days after 28 Dec: outside
    dated(carol, 30, 12, year=2010)

    upcoming = upcoming_dates(date(2026, 12, 28), 10)

    assert seen(upcoming) == [
        (carol.pk, "Wedding", date(2026, 12, 30)),
        (customer.pk, "Birthday", date(2027, 1, 3)),
    ]
    assert [item.years for item in upcoming] == [16, 37]
    assert upcoming[1].kind == "birthday"


def test_the_window_includes_today_and_its_last_day(customer, other_customer):
    birthday(customer, 10, 5)
    birthday(other_customer, 24, 5)

    assert [item.date for item in upcoming_dates(date(2026, 5, 10), 14)] == [
        date(2026, 5, 10),
        date(2026, 5, 24),
    ]
    assert seen(upcoming_dates(date(2026, 5, 11), 12)) == []


def test_29_february_is_celebrated_on_28_february_in_other_years(customer):
    birthday(customer, 29, 2, 1992)

    assert [item.date for item in upcoming_dates(date(2027, 2, 20), 14)] == [
        date(2027, 2, 28)
    ]
    assert [item.date for item in upcoming_dates(date(2028, 2, 20), 14)] == [
        date(2028, 2, 29)
    ]
    assert birthdays_on(date(2027, 2, 28)) == [customer.pk]
    assert birthdays_on(date(2027, 3, 1)) == []
    assert birthdays_on(date(2028, 2, 28)) == []
    assert birthdays_on(date(2028, 2, 29)) == [customer.pk]


def test_birthdays_on_a_day(customer, other_customer, carol):
    birthday(customer, 14, 3)
    birthday(other_customer, 14, 3, 1980)
    birthday(carol, 15, 3)

    assert birthdays_on(date(2026, 3, 14)) == sorted([customer.pk, other_customer.pk])


def test_a_date_that_happens_once_shows_only_in_its_year(customer):
    dated(customer, 5, 1, year=2027, recurring=False, label="Shop opening")

    assert seen(upcoming_dates(date(2026, 12, 30), 10)) == [
        (customer.pk, "Shop opening", date(2027, 1, 5))
    ]
    assert seen(upcoming_dates(date(2027, 12, 30), 10)) == []


def test_a_year_long_window_sees_a_date_twice(customer):
    birthday(customer, 1, 3)
    assert [item.date for item in upcoming_dates(date(2027, 3, 1), 366)] == [
        date(2027, 3, 1),
        date(2028, 3, 1),
    ]


def test_upcoming_dates_take_one_query_whatever_the_shop_size(shop, count_queries):
    for number in range(30):
        customer = shop.create_customer(f"c{number}@example.com")
        birthday(customer, 1 + number % 28, 1 + number % 12)

    with count_queries() as queries:
        upcoming = upcoming_dates(date(2026, 6, 1), 60)

    assert len(queries.captured_queries) == 1
    assert upcoming and all(
        date(2026, 6, 1) <= item.date <= date(2026, 7, 31) for item in upcoming
    )
    assert len(upcoming) == sum(1 for n in range(30) if (1 + n % 12) in (6, 7))


def test_upcoming_dates_refuse_a_window_over_a_year():
    with pytest.raises(ValueError):
        upcoming_dates(date(2026, 1, 1), 400)


@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "Etc/GMT+12"])
def test_today_is_the_shops_date(channel, configure, zone):
    configure(channel, time_zone=zone)
    assert shop_today() == timezone.now().astimezone(zoneinfo.ZoneInfo(zone)).date()


def test_staff_add_an_anniversary_of_a_relative(staff_api, customer):
    relative = Relative.objects.create(customer=customer, name="Mia", relation="child")

    data = staff_api.data(
        CREATE,
        {
            "customer": uid(customer),
            "input": {
                "kind": "ANNIVERSARY",
                "label": "Mia's first day at school",
                "day": 1,
                "month": 9,
                "year": 2021,
                "relative": gid("KinshipRelative", relative.pk),
            },
        },
    )

    created = data["kinshipImportantDateCreate"]
    assert created["errors"] == []
    assert {
        key: value for key, value in created["importantDate"].items() if key != "id"
    } == {
        "kind": "ANNIVERSARY",
        "label": "Mia's first day at school",
        "day": 1,
        "month": 9,
        "year": 2021,
        "recurring": True,
        "relative": {"name": "Mia"},
    }


@pytest.mark.parametrize(
    ("given", "field", "code"),
    [
        ({"kind": "CUSTOM", "day": 31, "month": 4}, "date", "INVALID"),
        ({"kind": "CUSTOM", "day": 29, "month": 2, "year": 2027}, "date", "INVALID"),
        ({"kind": "CUSTOM", "day": 1, "month": 0}, "date", "INVALID"),
        (
            {"kind": "CUSTOM", "day": 1, "month": 1, "year": 1200},
            "date",
            "OUT_OF_RANGE",
        ),
        (
            {"kind": "CUSTOM", "day": 1, "month": 1, "recurring": False},
            "date",
            "REQUIRED",
        ),
        ({"kind": "BIRTHDAY", "day": 1, "month": 1}, "kind", "INVALID"),
        (
            {"kind": "CUSTOM", "day": 1, "month": 1, "label": "l" * 201},
            "label",
            "TOO_LONG",
        ),
        (
            {
                "kind": "CUSTOM",
                "day": 1,
                "month": 1,
                "relative": gid("KinshipRelative", 9),
            },
            "relative",
            "NOT_FOUND",
        ),
    ],
)
def test_bad_dates_are_refused(staff_api, customer, given, field, code):
    body = staff_api.data(CREATE, {"customer": uid(customer), "input": given})

    assert mutation_errors(body, "kinshipImportantDateCreate") == [
        {"field": field, "code": code}
    ]
    assert not ImportantDate.objects.exists()


def test_a_relative_of_another_customer_is_refused(staff_api, customer, other_customer):
    bobs = Relative.objects.create(customer=other_customer, name="Jo", relation="child")
    body = staff_api.data(
        CREATE,
        {
            "customer": uid(customer),
            "input": {
                "kind": "CUSTOM",
                "day": 1,
                "month": 1,
                "relative": gid("KinshipRelative", bobs.pk),
            },
        },
    )
    assert mutation_errors(body, "kinshipImportantDateCreate") == [
        {"field": "relative", "code": "NOT_FOUND"}
    ]


def test_staff_change_and_remove_a_date(staff_api, customer):
    row = dated(customer, 5, 6)

    data = staff_api.data(
        UPDATE,
        {
            "id": gid("KinshipImportantDate", row.pk),
            "input": {"day": 6, "year": 2001, "recurring": False},
        },
    )
    assert data["kinshipImportantDateUpdate"] == {
        "errors": [],
        "importantDate": {
            "label": "Wedding",
            "day": 6,
            "month": 6,
            "year": 2001,
            "recurring": False,
        },
    }

    staff_api.data(DELETE, {"id": gid("KinshipImportantDate", row.pk)})
    assert not ImportantDate.objects.exists()


def test_a_birthday_is_changed_on_the_profile_not_as_a_date(staff_api, customer):
    birthday(customer, 1, 2)
    row = ImportantDate.objects.get(customer=customer)

    update = staff_api.data(
        UPDATE, {"id": gid("KinshipImportantDate", row.pk), "input": {"day": 5}}
    )
    delete = staff_api.data(DELETE, {"id": gid("KinshipImportantDate", row.pk)})

    assert mutation_errors(update, "kinshipImportantDateUpdate") == [
        {"field": "id", "code": "INVALID_STATE"}
    ]
    assert mutation_errors(delete, "kinshipImportantDateDelete") == [
        {"field": "id", "code": "INVALID_STATE"}
    ]
    assert ImportantDate.objects.get(customer=customer).day == 1


def test_dates_in_calendar_order_with_the_next_one(staff_api, customer, channel):
    today = shop_today()
    soon = date.fromordinal(today.toordinal() + 3)
    later = date.fromordinal(today.toordinal() + 40)
    birthday(customer, later.day, later.month)
    dated(customer, soon.day, soon.month, label="Wedding")

    data = staff_api.data(
        "query($id: ID!) { customer(id: $id) { "
        "importantDates(first: 10) { totalCount "
        "edges { node { kind label nextOccurrence } } } "
        "nextImportantDate { date kind label customer { email } "
        "importantDate { label } } "
        "} }",
        {"id": uid(customer)},
    )["customer"]

    nodes = [edge["node"] for edge in data["importantDates"]["edges"]]
    assert data["importantDates"]["totalCount"] == 2
    assert {node["label"]: node["nextOccurrence"] for node in nodes} == {
        "": later.isoformat(),
        "Wedding": soon.isoformat(),
    }
    assert data["nextImportantDate"] == {
        "date": soon.isoformat(),
        "kind": "ANNIVERSARY",
        "label": "Wedding",
        "customer": {"email": "ann@example.com"},
        "importantDate": {"label": "Wedding"},
    }


def test_no_dates_means_no_next_date(staff_api, customer):
    data = staff_api.data(
        "query($id: ID!) { customer(id: $id) { nextImportantDate { date } } }",
        {"id": uid(customer)},
    )
    assert data == {"customer": {"nextImportantDate": None}}


DATES_OF = """
query($id: ID!, $days: Int) {
  customer(id: $id) {
    importantDates(first: 10) { edges { node { label nextOccurrence } } }
    nextImportantDate { date label years }
  }
  kinshipNeedsAttention(days: $days) {
    upcomingDates(first: 10) { edges { node { date label years } } }
  }
}
"""


def dates_seen(api, customer, days=366):
    data = api.data(DATES_OF, {"id": uid(customer), "days": days})
    return {
        "next": {
            edge["node"]["label"]: edge["node"]["nextOccurrence"]
            for edge in data["customer"]["importantDates"]["edges"]
        },
        "soonest": data["customer"]["nextImportantDate"],
        "upcoming": [
            edge["node"]
            for edge in data["kinshipNeedsAttention"]["upcomingDates"]["edges"]
        ],
    }


def create_date(api, customer, **given):
    data = api.data(CREATE, {"customer": uid(customer), "input": given})
    assert data["kinshipImportantDateCreate"]["errors"] == []


def test_a_yearly_date_with_a_future_year_first_falls_in_that_year(
    staff_api, customer, shop_day
):
    shop_day(date(2026, 12, 4))
    create_date(
        staff_api,
        customer,
        kind="ANNIVERSARY",
        label="Wedding (planned)",
        day=12,
        month=12,
        year=2027,
    )
    create_date(
        staff_api, customer, kind="CUSTOM", label="Far", day=5, month=12, year=2200
    )

    assert dates_seen(staff_api, customer) == {
        "next": {"Far": "2200-12-05", "Wedding (planned)": "2027-12-12"},
        "soonest": {"date": "2027-12-12", "label": "Wedding (planned)", "years": None},
        "upcoming": [],
    }

    shop_day(date(2027, 12, 1))
    assert dates_seen(staff_api, customer, days=14)["upcoming"] == [
        {"date": "2027-12-12", "label": "Wedding (planned)", "years": None}
    ]

    shop_day(date(2028, 12, 1))
    seen_then = dates_seen(staff_api, customer, days=14)
    assert seen_then["soonest"] == {
        "date": "2028-12-12",
        "label": "Wedding (planned)",
        "years": 1,
    }
    assert seen_then["upcoming"] == [
        {"date": "2028-12-12", "label": "Wedding (planned)", "years": 1}
    ]


def test_29_february_of_a_future_leap_year_waits_for_that_year(
    staff_api, customer, shop_day
):
    shop_day(date(2027, 2, 20))
    create_date(
        staff_api, customer, kind="CUSTOM", label="Leap", day=29, month=2, year=2028
    )

    before = dates_seen(staff_api, customer, days=14)
    assert before["next"] == {"Leap": "2028-02-29"}
    assert before["upcoming"] == []

    shop_day(date(2028, 2, 20))
    assert dates_seen(staff_api, customer, days=14)["upcoming"] == [
        {"date": "2028-02-29", "label": "Leap", "years": None}
    ]

    shop_day(date(2029, 2, 20))
    assert dates_seen(staff_api, customer, days=14)["upcoming"] == [
        {"date": "2029-02-28", "label": "Leap", "years": 1}
    ]


def test_a_relatives_birthday_with_a_year_counts_from_her_birth(
    staff_api, customer, shop_day
):
    shop_day(date(2026, 12, 4))
    relative_create = (
        "mutation($c: ID!, $b: KinshipBirthdayInput) { kinshipRelativeCreate("
        'customer: $c, input: {name: "Mia", relation: "child", birthday: $b}) '
        "{ errors { field code } } }"
    )

    unborn = staff_api.data(
        relative_create,
        {"c": uid(customer), "b": {"day": 20, "month": 12, "year": 2026}},
    )
    born = staff_api.data(
        relative_create,
        {"c": uid(customer), "b": {"day": 1, "month": 12, "year": 2026}},
    )

    assert unborn["kinshipRelativeCreate"]["errors"] == [
        {"field": "birthday", "code": "OUT_OF_RANGE"}
    ]
    assert born["kinshipRelativeCreate"]["errors"] == []
    assert dates_seen(staff_api, customer) == {
        "next": {"": "2027-12-01"},
        "soonest": {"date": "2027-12-01", "label": "Birthday", "years": 1},
        "upcoming": [{"date": "2027-12-01", "label": "Birthday", "years": 1}],
    }


def test_upcoming_dates_agree_with_the_next_occurrence_of_each_date(customer):
    rows = [
        dated(customer, day, month, year=year, recurring=recurring, label=label)
        for label, day, month, year, recurring in [
            ("no year", 10, 3, None, True),
            ("past", 10, 3, 2001, True),
            ("this year", 10, 3, 2027, True),
            ("next year", 10, 3, 2028, True),
            ("leap", 29, 2, 2028, True),
            ("old leap", 29, 2, 2024, True),
            ("once", 10, 3, 2028, False),
            ("once, gone", 10, 3, 2026, False),
            ("new year", 1, 1, 2028, True),
        ]
    ]

    for today in [date(2027, 1, 1), date(2027, 3, 11), date(2028, 2, 28)]:
        last = date.fromordinal(today.toordinal() + 366)
        first_seen: dict[str, date] = {}
        for item in upcoming_dates(today, 366):
            first_seen.setdefault(item.label, item.date)
            assert item.years is None or item.years > 0
        expected = {
            row.label: when
            for row in rows
            if (when := next_occurrence(row, today)) is not None and when <= last
        }
        assert first_seen == expected, today


def test_a_birth_year_ahead_of_the_day_is_no_birthday(customer, other_customer):
    birthday(customer, 14, 3, 2020)
    birthday(other_customer, 14, 3, 2025)
    # Written directly: the checks refuse a birthday in the future.
    CustomerProfile.objects.filter(customer=customer).update(birth_year=2027)

    assert birthdays_on(date(2026, 3, 14)) == [other_customer.pk]
    assert birthdays_on(date(2027, 3, 14)) == sorted([customer.pk, other_customer.pk])
