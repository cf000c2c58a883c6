from datetime import timedelta

import pytest

from saleor_kinship.relationships.dates import shop_today
from saleor_kinship.relationships.models import KinshipGift, Relative

from .conftest import gid, mutation_errors, uid

GIFT_FIELDS = """
  id occasion description status date cost currency recipientName
  relative { name }
"""

CREATE = (
    """
mutation($customer: ID!, $input: KinshipGiftCreateInput!) {
  kinshipGiftCreate(customer: $customer, input: $input) {
    errors { field code message }
    gift {"""
    + GIFT_FIELDS
    + "} } }"
)

UPDATE = (
    """
mutation($id: ID!, $input: KinshipGiftUpdateInput!) {
  kinshipGiftUpdate(id: $id, input: $input) {
    errors { field code message }
    gift {"""
    + GIFT_FIELDS
    + "} } }"
)

GIFTS = (
    "query($id: ID!, $after: String) { customer(id: $id) { "
    "gifts(first: 2, after: $after) { totalCount "
    "edges { node { occasion date } } pageInfo { hasNextPage endCursor } } } }"
)


@pytest.fixture
def mia(customer):
    return Relative.objects.create(customer=customer, name="Mia", relation="child")


def test_a_gift_for_a_relative_planned_then_given(staff_api, customer, mia):
    created = staff_api.data(
        CREATE,
        {
            "customer": uid(customer),
            "input": {
                "relative": gid("KinshipRelative", mia.pk),
                "occasion": "Birthday",
                "description": "Riding boots, size 34",
                "status": "PLANNED",
                "date": "2026-03-03",
                "cost": "59.90",
                "currency": "eur",
            },
        },
    )["kinshipGiftCreate"]

    assert created["errors"] == []
    gift = created["gift"]
    assert {key: value for key, value in gift.items() if key != "id"} == {
        "occasion": "Birthday",
        "description": "Riding boots, size 34",
        "status": "PLANNED",
        "date": "2026-03-03",
        "cost": "59.90",
        "currency": "EUR",
        "recipientName": "Mia",
        "relative": {"name": "Mia"},
    }

    given = staff_api.data(
        UPDATE, {"id": gift["id"], "input": {"status": "GIVEN", "date": "2026-03-02"}}
    )["kinshipGiftUpdate"]["gift"]
    assert (given["status"], given["date"], given["cost"]) == (
        "GIVEN",
        "2026-03-02",
        "59.90",
    )


def test_a_gift_for_the_customer_herself_without_a_cost(staff_api, customer):
    gift = staff_api.data(
        CREATE,
        {
            "customer": uid(customer),
            "input": {"occasion": "Thank you", "status": "GIVEN", "date": "2025-12-20"},
        },
    )["kinshipGiftCreate"]["gift"]

    assert (
        gift["relative"],
        gift["recipientName"],
        gift["cost"],
        gift["currency"],
    ) == (
        None,
        "",
        None,
        None,
    )
    assert KinshipGift.objects.get().created_by.email == "staff@example.com"


def test_removing_the_relative_keeps_the_gift_and_her_name(staff_api, customer, mia):
    staff_api.data(
        CREATE,
        {
            "customer": uid(customer),
            "input": {
                "relative": gid("KinshipRelative", mia.pk),
                "status": "GIVEN",
                "date": "2025-03-03",
            },
        },
    )
    staff_api.data(
        "mutation($id: ID!) { kinshipRelativeDelete(id: $id) { errors { code } } }",
        {"id": gid("KinshipRelative", mia.pk)},
    )

    gift = KinshipGift.objects.get()
    assert (gift.relative, gift.recipient_name) == (None, "Mia")


@pytest.mark.parametrize(
    ("given", "field", "code"),
    [
        ({"cost": "10", "currency": "XYZ"}, "currency", "UNKNOWN_CURRENCY"),
        ({"cost": "10"}, "currency", "REQUIRED"),
        ({"cost": "-1", "currency": "USD"}, "cost", "OUT_OF_RANGE"),
        ({"cost": "10.005", "currency": "USD"}, "cost", "INVALID"),
        ({"cost": "10.5", "currency": "JPY"}, "cost", "INVALID"),
        ({"occasion": "o" * 201}, "occasion", "TOO_LONG"),
        ({"description": "d" * 2001}, "description", "TOO_LONG"),
        ({"relative": gid("KinshipRelative", 777)}, "relative", "NOT_FOUND"),
    ],
)
def test_bad_gifts_are_refused(staff_api, customer, given, field, code):
    body = staff_api.data(
        CREATE,
        {
            "customer": uid(customer),
            "input": {"status": "PLANNED", "date": "2026-05-01", **given},
        },
    )
    assert mutation_errors(body, "kinshipGiftCreate") == [
        {"field": field, "code": code}
    ]
    assert not KinshipGift.objects.exists()


def test_a_gift_given_cannot_be_in_the_future(staff_api, customer, channel):
    tomorrow = shop_today() + timedelta(days=1)
    body = staff_api.data(
        CREATE,
        {
            "customer": uid(customer),
            "input": {"status": "GIVEN", "date": tomorrow.isoformat()},
        },
    )
    assert mutation_errors(body, "kinshipGiftCreate") == [
        {"field": "date", "code": "OUT_OF_RANGE"}
    ]


def test_the_gift_of_another_customers_relative_is_refused(
    staff_api, customer, other_customer
):
    bobs = Relative.objects.create(customer=other_customer, name="Jo", relation="child")
    body = staff_api.data(
        CREATE,
        {
            "customer": uid(customer),
            "input": {
                "relative": gid("KinshipRelative", bobs.pk),
                "status": "PLANNED",
                "date": "2026-05-01",
            },
        },
    )
    assert mutation_errors(body, "kinshipGiftCreate") == [
        {"field": "relative", "code": "NOT_FOUND"}
    ]


def test_gifts_newest_first_in_pages(staff_api, customer):
    for day in ("2024-05-01", "2026-01-10", "2025-07-07"):
        staff_api.data(
            CREATE,
            {
                "customer": uid(customer),
                "input": {"occasion": day, "status": "GIVEN", "date": day},
            },
        )

    first = staff_api.data(GIFTS, {"id": uid(customer)})["customer"]["gifts"]
    second = staff_api.data(
        GIFTS, {"id": uid(customer), "after": first["pageInfo"]["endCursor"]}
    )["customer"]["gifts"]

    assert [edge["node"]["date"] for edge in first["edges"]] == [
        "2026-01-10",
        "2025-07-07",
    ]
    assert [edge["node"]["date"] for edge in second["edges"]] == ["2024-05-01"]
    assert (first["totalCount"], first["pageInfo"]["hasNextPage"]) == (3, True)
    assert second["pageInfo"]["hasNextPage"] is False


def test_staff_remove_a_gift(staff_api, customer):
    gift = KinshipGift.objects.create(
        customer=customer, status="planned", date="2026-01-01"
    )
    data = staff_api.data(
        "mutation($id: ID!) { kinshipGiftDelete(id: $id) "
        "{ errors { code } deletedId } }",
        {"id": gid("KinshipGift", gift.pk)},
    )
    assert data["kinshipGiftDelete"] == {
        "errors": [],
        "deletedId": gid("KinshipGift", gift.pk),
    }
    assert not KinshipGift.objects.exists()


def test_a_currency_without_a_cost_is_kept_for_the_cost_to_come(staff_api, customer):
    created = staff_api.data(
        CREATE,
        {
            "customer": uid(customer),
            "input": {"status": "PLANNED", "date": "2030-05-01", "currency": "eur"},
        },
    )["kinshipGiftCreate"]
    costed = staff_api.data(
        UPDATE, {"id": created["gift"]["id"], "input": {"cost": "12.5"}}
    )["kinshipGiftUpdate"]
    cleared = staff_api.data(
        UPDATE, {"id": created["gift"]["id"], "input": {"cost": None}}
    )["kinshipGiftUpdate"]

    assert created["errors"] == []
    assert (created["gift"]["cost"], created["gift"]["currency"]) == (None, "EUR")
    assert (costed["gift"]["cost"], costed["gift"]["currency"]) == ("12.50", "EUR")
    assert (cleared["gift"]["cost"], cleared["gift"]["currency"]) == (None, "EUR")
    gift = KinshipGift.objects.get()
    assert (gift.cost, gift.currency) == (None, "EUR")


def test_a_cost_of_minus_zero_is_zero(staff_api, customer):
    gift = staff_api.data(
        CREATE,
        {
            "customer": uid(customer),
            "input": {
                "status": "PLANNED",
                "date": "2030-05-01",
                "cost": "-0",
                "currency": "USD",
            },
        },
    )["kinshipGiftCreate"]["gift"]

    assert gift["cost"] == "0.00"
    listed = staff_api.data(
        "query($id: ID!) { customer(id: $id) { gifts(first: 1) { edges { node "
        "{ cost } } } } }",
        {"id": uid(customer)},
    )["customer"]["gifts"]["edges"]
    assert listed == [{"node": {"cost": "0.00"}}]


def test_text_of_a_gift_is_trimmed_where_it_is_one_line(staff_api, customer):
    gift = staff_api.data(
        CREATE,
        {
            "customer": uid(customer),
            "input": {
                "status": "PLANNED",
                "date": "2030-05-01",
                "occasion": "  Name day ",
                "description": "   ",
            },
        },
    )["kinshipGiftCreate"]["gift"]

    assert (gift["occasion"], gift["description"]) == ("Name day", "")
