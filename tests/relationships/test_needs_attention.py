from datetime import timedelta

from saleor_kinship.relationships.dates import shop_today
from saleor_kinship.relationships.models import FollowUp, ImportantDate

from .conftest import uid

ATTENTION = """
query($days: Int) {
  kinshipNeedsAttention(days: $days) {
    today days
    followUpsDue(first: 10) {
      totalCount edges { node { note dueOn isOverdue customer { email } } }
    }
    upcomingDates(first: 10) {
      totalCount edges { node { date kind label customer { email } relative { name } } }
    }
  }
}
"""


def test_follow_ups_due_today_or_before_oldest_first(
    staff_api, customer, other_customer, channel
):
    today = shop_today()
    FollowUp.objects.create(customer=customer, due_on=today, note="today")
    FollowUp.objects.create(
        customer=other_customer, due_on=today - timedelta(days=9), note="late"
    )
    FollowUp.objects.create(
        customer=customer, due_on=today + timedelta(days=1), note="tomorrow"
    )
    FollowUp.objects.create(
        customer=customer,
        due_on=today - timedelta(days=2),
        note="done",
        done_at="2020-01-01T00:00Z",
    )

    data = staff_api.data(ATTENTION)["kinshipNeedsAttention"]

    assert (data["today"], data["days"]) == (today.isoformat(), 14)
    assert data["followUpsDue"]["totalCount"] == 2
    assert [edge["node"] for edge in data["followUpsDue"]["edges"]] == [
        {
            "note": "late",
            "dueOn": (today - timedelta(days=9)).isoformat(),
            "isOverdue": True,
            "customer": {"email": "bob@example.com"},
        },
        {
            "note": "today",
            "dueOn": today.isoformat(),
            "isOverdue": False,
            "customer": {"email": "ann@example.com"},
        },
    ]


def test_dates_in_the_next_days(staff_api, customer, other_customer, channel):
    today = shop_today()
    in_three = today + timedelta(days=3)
    in_twenty = today + timedelta(days=20)
    staff_api.data(
        "mutation($c: ID!, $b: KinshipBirthdayInput) { kinshipProfileUpdate("
        "customer: $c, input: {birthday: $b}) { errors { code } } }",
        {"c": uid(customer), "b": {"day": in_twenty.day, "month": in_twenty.month}},
    )
    staff_api.data(
        "mutation($c: ID!, $b: KinshipBirthdayInput) { kinshipRelativeCreate("
        'customer: $c, input: {name: "Mia", relation: "child", birthday: $b}) '
        "{ errors { code } } }",
        {"c": uid(other_customer), "b": {"day": in_three.day, "month": in_three.month}},
    )

    soon = staff_api.data(ATTENTION)["kinshipNeedsAttention"]["upcomingDates"]
    later = staff_api.data(ATTENTION, {"days": 30})["kinshipNeedsAttention"][
        "upcomingDates"
    ]

    mias = {
        "date": in_three.isoformat(),
        "kind": "BIRTHDAY",
        "label": "Birthday",
        "customer": {"email": "bob@example.com"},
        "relative": {"name": "Mia"},
    }
    assert [edge["node"] for edge in soon["edges"]] == [mias]
    assert [edge["node"] for edge in later["edges"]] == [
        mias,
        {
            "date": in_twenty.isoformat(),
            "kind": "BIRTHDAY",
            "label": "Birthday",
            "customer": {"email": "ann@example.com"},
            "relative": None,
        },
    ]
    assert later["totalCount"] == 2


def test_upcoming_dates_page_through(staff_api, customer, channel):
    today = shop_today()
    for offset in range(5):
        day = today + timedelta(days=offset)
        ImportantDate.objects.create(
            customer=customer,
            kind="custom",
            label=f"d{offset}",
            day=day.day,
            month=day.month,
        )
    query = (
        "query($after: String) { kinshipNeedsAttention { upcomingDates(first: 2, "
        "after: $after) { edges { node { label } } pageInfo { hasNextPage endCursor } "
        "} } }"
    )
    labels, after = [], None
    while True:
        page = staff_api.data(query, {"after": after})["kinshipNeedsAttention"][
            "upcomingDates"
        ]
        labels.append([edge["node"]["label"] for edge in page["edges"]])
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]

    assert labels == [["d0", "d1"], ["d2", "d3"], ["d4"]]


def test_a_window_over_a_year_is_refused(staff_api):
    body = staff_api.query(ATTENTION, {"days": 367})
    assert body["data"] == {"kinshipNeedsAttention": None}
    assert body["errors"][0]["extensions"]["exception"]["code"] == "OUT_OF_RANGE"


def test_the_list_is_for_staff_with_manage_users(
    customer_api, staff_api_without_permission
):
    for api in (customer_api, staff_api_without_permission):
        body = api.query(ATTENTION)
        assert body["data"] == {"kinshipNeedsAttention": None}
        assert body["errors"][0]["extensions"]["exception"]["code"] == (
            "PERMISSION_DENIED"
        )
