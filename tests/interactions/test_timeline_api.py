from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone
from graphql_relay import to_global_id

from saleor_kinship.graphql.core.ids import customer_global_id
from saleor_kinship.interactions.models import Interaction

ENTRY = "id kind occurredAt summary body channel orderId isAutomatic author { email }"

CREATE = (
    """
mutation($customer: ID!, $input: KinshipInteractionCreateInput!) {
  kinshipInteractionCreate(customer: $customer, input: $input) {
    errors { field code message }
    interaction { """
    + ENTRY
    + " } } }"
)

UPDATE = """
mutation($id: ID!, $input: KinshipInteractionUpdateInput!) {
  kinshipInteractionUpdate(id: $id, input: $input) {
    errors { field code message }
    interaction { kind summary body }
  }
}
"""

DELETE = """
mutation($id: ID!) { kinshipInteractionDelete(id: $id) { errors { field code } } }
"""

TIMELINE = """
query($id: ID!, $first: Int, $after: String, $last: Int, $before: String,
      $kinds: [KinshipInteractionKind!], $from: DateTime, $to: DateTime) {
  customer(id: $id) {
    interactions(first: $first, after: $after, last: $last, before: $before,
                 kinds: $kinds, occurredFrom: $from, occurredTo: $to) {
      totalCount
      edges { node { summary kind } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }
}
"""

START = datetime(2026, 2, 1, 10, tzinfo=UTC)


def errors_of(body, name):
    return [(error["field"], error["code"]) for error in body[name]["errors"]]


def summaries(page):
    return [edge["node"]["summary"] for edge in page["edges"]]


def entry(customer, summary, hours, kind="note"):
    return Interaction.objects.create(
        customer=customer,
        kind=kind,
        summary=summary,
        occurred_at=START + timedelta(hours=hours),
    )


def timeline(api, customer, **variables):
    data = api.data(TIMELINE, {"id": customer_global_id(customer.pk), **variables})
    return data["customer"]["interactions"]


def test_staff_write_a_call_on_the_timeline(staff_api, shop, customer):
    order = shop.place_order("10.00", customer=customer)
    order_id = to_global_id("Order", str(order.id))
    data = staff_api.data(
        CREATE,
        {
            "customer": customer_global_id(customer.pk),
            "input": {
                "kind": "CALL",
                "occurredAt": "2026-02-03T15:30:00+00:00",
                "summary": "  Asked about the <b>lilac</b> vase  ",
                "body": "She wants it for her mother's 70th & will call back.",
                "channel": "default-channel",
                "order": order_id,
            },
        },
    )["kinshipInteractionCreate"]

    assert data["errors"] == []
    assert {
        key: value for key, value in data["interaction"].items() if key != "id"
    } == {
        "kind": "CALL",
        "occurredAt": "2026-02-03T15:30:00+00:00",
        "summary": "Asked about the <b>lilac</b> vase",
        "body": "She wants it for her mother's 70th & will call back.",
        "channel": "default-channel",
        "orderId": order_id,
        "isAutomatic": False,
        "author": {"email": "staff@example.com"},
    }
    assert Interaction.objects.get(kind="call").order_id == str(order.id)


@pytest.mark.parametrize(
    ("given", "field", "code"),
    [
        ({"kind": "ORDER_PAID", "summary": "Paid"}, "kind", "INVALID"),
        ({"kind": "TIER_CHANGED", "summary": "Gold"}, "kind", "INVALID"),
        ({"kind": "NOTE", "summary": "s" * 201}, "summary", "TOO_LONG"),
        ({"kind": "NOTE", "summary": "   "}, "summary", "REQUIRED"),
        ({"kind": "NOTE", "summary": "Hi", "body": "b" * 10_001}, "body", "TOO_LONG"),
        ({"kind": "NOTE", "summary": "Hi", "order": "not-an-id"}, "order", "INVALID"),
        (
            {"kind": "NOTE", "summary": "Hi", "order": customer_global_id(1)},
            "order",
            "INVALID",
        ),
    ],
)
def test_bad_entries_are_refused(staff_api, customer, given, field, code):
    body = staff_api.data(
        CREATE, {"customer": customer_global_id(customer.pk), "input": given}
    )
    assert errors_of(body, "kinshipInteractionCreate") == [(field, code)]
    assert not Interaction.objects.filter(author__isnull=False).exists()


def test_an_order_is_one_of_the_customers_own(
    staff_api, shop, customer, other_customer
):
    bobs = shop.place_order("10.00", customer=other_customer)
    guests = shop.place_order("10.00", email="guest@example.com")
    anns = shop.place_order("10.00", customer=customer)
    note = entry(customer, "First", 1)

    def create(order_id):
        return staff_api.data(
            CREATE,
            {
                "customer": customer_global_id(customer.pk),
                "input": {"kind": "NOTE", "summary": "Hi", "order": order_id},
            },
        )

    refused = [
        create(to_global_id("Order", str(order.id))) for order in (bobs, guests)
    ] + [
        create(to_global_id("Order", "4f1c0e5e-0000-4000-8000-000000000009")),
        create(to_global_id("Order", "not-a-uuid")),
    ]
    moved = staff_api.data(
        UPDATE,
        {
            "id": to_global_id("KinshipInteraction", note.pk),
            "input": {"order": to_global_id("Order", str(bobs.id))},
        },
    )

    for body in refused:
        assert body["kinshipInteractionCreate"]["errors"] == [
            {
                "field": "order",
                "code": "NOT_FOUND",
                "message": "The customer has no order with this id.",
            }
        ]
    assert errors_of(moved, "kinshipInteractionUpdate") == [("order", "NOT_FOUND")]
    assert not Interaction.objects.filter(author__isnull=False).exists()
    note.refresh_from_db()
    assert note.order_id == ""
    accepted = create(to_global_id("Order", str(anns.id)))
    assert accepted["kinshipInteractionCreate"]["errors"] == []


def test_an_entry_may_be_dated_up_to_a_day_ahead(staff_api, customer):
    def create(when):
        return staff_api.data(
            CREATE,
            {
                "customer": customer_global_id(customer.pk),
                "input": {"kind": "MEETING", "summary": "Tea", "occurredAt": when},
            },
        )["kinshipInteractionCreate"]

    soon = create((timezone.now() + timedelta(hours=20)).isoformat())
    later = create((timezone.now() + timedelta(days=1, hours=1)).isoformat())

    assert soon["errors"] == []
    assert [(e["field"], e["code"]) for e in later["errors"]] == [
        ("occurredAt", "OUT_OF_RANGE")
    ]
    assert Interaction.objects.filter(kind="meeting").count() == 1


def test_staff_change_and_remove_their_entries(staff_api, customer):
    note = entry(customer, "First", 1)
    note_id = to_global_id("KinshipInteraction", note.pk)

    changed = staff_api.data(
        UPDATE, {"id": note_id, "input": {"kind": "VISIT", "body": "Came by."}}
    )["kinshipInteractionUpdate"]
    assert changed == {
        "errors": [],
        "interaction": {"kind": "VISIT", "summary": "First", "body": "Came by."},
    }
    refused = staff_api.data(UPDATE, {"id": note_id, "input": {"kind": "ORDER_PAID"}})
    assert errors_of(refused, "kinshipInteractionUpdate") == [("kind", "INVALID")]

    staff_api.data(DELETE, {"id": note_id})
    assert not Interaction.objects.filter(pk=note.pk).exists()


def test_automatic_entries_cannot_be_changed_or_removed(staff_api, shop, customer):
    order = shop.place_order("10.00", customer=customer)
    placed = Interaction.objects.get(key=f"order:{order.id}:placed")
    placed_id = to_global_id("KinshipInteraction", placed.pk)

    update = staff_api.data(UPDATE, {"id": placed_id, "input": {"summary": "Nope"}})
    delete = staff_api.data(DELETE, {"id": placed_id})

    assert errors_of(update, "kinshipInteractionUpdate") == [("id", "INVALID_STATE")]
    assert errors_of(delete, "kinshipInteractionDelete") == [("id", "INVALID_STATE")]
    placed.refresh_from_db()
    assert placed.summary == "Order #1 placed: 10.00 USD"


def test_the_timeline_is_newest_first_and_pages_stay_put(staff_api, customer):
    for hour in range(5):
        entry(customer, f"e{hour}", hour)

    first = timeline(staff_api, customer, first=2)
    entry(customer, "newest", 99)  # lands on the first page, not the next
    second = timeline(
        staff_api, customer, first=2, after=first["pageInfo"]["endCursor"]
    )
    third = timeline(
        staff_api, customer, first=2, after=second["pageInfo"]["endCursor"]
    )

    assert [summaries(first), summaries(second), summaries(third)] == [
        ["e4", "e3"],
        ["e2", "e1"],
        ["e0"],
    ]
    assert (
        second["pageInfo"]["hasPreviousPage"],
        third["pageInfo"]["hasNextPage"],
    ) == (
        True,
        False,
    )
    back = timeline(
        staff_api, customer, last=2, before=third["pageInfo"]["startCursor"]
    )
    assert summaries(back) == ["e2", "e1"]
    assert back["pageInfo"]["hasPreviousPage"] is True


def test_entries_at_the_same_moment_page_by_id(staff_api, customer):
    for name in ("a", "b", "c"):
        entry(customer, name, 0)

    first = timeline(staff_api, customer, first=2)
    rest = timeline(staff_api, customer, first=2, after=first["pageInfo"]["endCursor"])

    assert summaries(first) + summaries(rest) == ["c", "b", "a"]


def test_the_timeline_filters_by_kind_and_dates(staff_api, customer):
    entry(customer, "visit", 1, kind="visit")
    entry(customer, "call", 2, kind="call")
    entry(customer, "late call", 30, kind="call")
    entry(customer, "note", 3)

    calls = timeline(staff_api, customer, first=10, kinds=["CALL"])
    window = timeline(
        staff_api,
        customer,
        first=10,
        **{
            "from": (START + timedelta(hours=2)).isoformat(),
            "to": (START + timedelta(hours=3)).isoformat(),
        },
    )
    both = timeline(
        staff_api,
        customer,
        first=10,
        kinds=["CALL", "VISIT"],
        to=(START + timedelta(hours=5)).isoformat(),
    )

    assert (summaries(calls), calls["totalCount"]) == (["late call", "call"], 2)
    assert (summaries(window), window["totalCount"]) == (["note", "call"], 2)
    assert summaries(both) == ["call", "visit"]


def test_a_customers_entries_stay_on_her_timeline(staff_api, customer, other_customer):
    entry(customer, "ann's", 1)
    entry(other_customer, "bob's", 2)
    assert summaries(timeline(staff_api, customer, first=10)) == ["ann's"]


def test_customers_cannot_write_timelines(customer_api, customer):
    body = customer_api.query(
        CREATE,
        {
            "customer": customer_global_id(customer.pk),
            "input": {"kind": "NOTE", "summary": "I was here"},
        },
    )
    assert body["errors"][0]["extensions"]["exception"]["code"] == "PERMISSION_DENIED"
    assert not Interaction.objects.filter(kind="note").exists()
