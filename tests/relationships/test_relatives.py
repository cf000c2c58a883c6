import threading

import pytest
from django.db import connection, transaction

from saleor_kinship.relationships.models import ImportantDate, Relative
from saleor_kinship.relationships.relations import add_relative

from .conftest import gid, mutation_errors, uid

RELATIVE_FIELDS = """
  id name relation reverseRelation note
  customer { id email }
  birthday { day month year }
"""

CREATE = (
    """
mutation($customer: ID!, $input: KinshipRelativeCreateInput!) {
  kinshipRelativeCreate(customer: $customer, input: $input) {
    errors { field code message }
    relative {"""
    + RELATIVE_FIELDS
    + "} } }"
)

UPDATE = (
    """
mutation($id: ID!, $input: KinshipRelativeUpdateInput!) {
  kinshipRelativeUpdate(id: $id, input: $input) {
    errors { field code message }
    relative {"""
    + RELATIVE_FIELDS
    + "} } }"
)

DELETE = """
mutation($id: ID!) {
  kinshipRelativeDelete(id: $id) { errors { field code } deletedId }
}
"""

RELATIVES = (
    "query($id: ID!) { customer(id: $id) { relatives(first: 20) { totalCount "
    "edges { node {" + RELATIVE_FIELDS + "} } } } }"
)


def relatives_of(api, customer):
    data = api.data(RELATIVES, {"id": uid(customer)})
    return [edge["node"] for edge in data["customer"]["relatives"]["edges"]]


def test_a_named_relative_with_a_birthday(staff_api, customer):
    data = staff_api.data(
        CREATE,
        {
            "customer": uid(customer),
            "input": {
                "name": "Mia",
                "relation": " Child ",
                "birthday": {"day": 3, "month": 3, "year": 2015},
                "note": "Loves horses.",
            },
        },
    )

    relative = data["kinshipRelativeCreate"]["relative"]
    assert data["kinshipRelativeCreate"]["errors"] == []
    assert relative == {
        "id": relative["id"],
        "name": "Mia",
        "relation": "child",
        "reverseRelation": "parent",
        "note": "Loves horses.",
        "customer": None,
        "birthday": {"day": 3, "month": 3, "year": 2015},
    }
    assert relatives_of(staff_api, customer) == [relative]
    birthday = ImportantDate.objects.get(customer=customer)
    assert (birthday.kind, birthday.day, birthday.month, birthday.relative.name) == (
        "birthday",
        3,
        3,
        "Mia",
    )


def test_a_mother_seen_from_her_daughters_side_is_her_parent(
    staff_api, customer, other_customer
):
    # "Bob is Ann's parent", added on Ann's page.
    data = staff_api.data(
        CREATE,
        {
            "customer": uid(customer),
            "input": {"relativeCustomer": uid(other_customer), "relation": "parent"},
        },
    )
    assert data["kinshipRelativeCreate"]["errors"] == []

    [on_anns_page] = relatives_of(staff_api, customer)
    [on_bobs_page] = relatives_of(staff_api, other_customer)
    assert (on_anns_page["name"], on_anns_page["relation"]) == ("Bob Ray", "parent")
    assert on_anns_page["customer"]["email"] == "bob@example.com"
    assert (on_bobs_page["name"], on_bobs_page["relation"]) == ("Ann Lee", "child")
    assert on_bobs_page["reverseRelation"] == "parent"
    assert on_bobs_page["customer"]["email"] == "ann@example.com"


def test_changing_the_relation_on_one_side_changes_the_other(
    staff_api, customer, other_customer
):
    staff_api.data(
        CREATE,
        {
            "customer": uid(customer),
            "input": {"relativeCustomer": uid(other_customer), "relation": "friend"},
        },
    )
    [on_bobs_page] = relatives_of(staff_api, other_customer)

    # On Bob's page: Ann is Bob's sibling.
    data = staff_api.data(
        UPDATE, {"id": on_bobs_page["id"], "input": {"relation": "child"}}
    )

    assert data["kinshipRelativeUpdate"]["relative"]["relation"] == "child"
    assert [node["relation"] for node in relatives_of(staff_api, customer)] == [
        "parent"
    ]


def test_removing_one_side_removes_both(staff_api, customer, other_customer):
    staff_api.data(
        CREATE,
        {
            "customer": uid(customer),
            "input": {"relativeCustomer": uid(other_customer), "relation": "partner"},
        },
    )
    [on_bobs_page] = relatives_of(staff_api, other_customer)

    data = staff_api.data(DELETE, {"id": on_bobs_page["id"]})

    assert data["kinshipRelativeDelete"] == {
        "errors": [],
        "deletedId": on_bobs_page["id"],
    }
    assert relatives_of(staff_api, customer) == []
    assert relatives_of(staff_api, other_customer) == []
    assert not Relative.objects.exists()


def test_a_customers_birthday_is_read_from_her_profile(
    staff_api, customer, other_customer
):
    staff_api.data(
        "mutation($c: ID!) { kinshipProfileUpdate(customer: $c, input: "
        "{birthday: {day: 9, month: 12}}) { errors { code } } }",
        {"c": uid(other_customer)},
    )
    staff_api.data(
        CREATE,
        {
            "customer": uid(customer),
            "input": {"relativeCustomer": uid(other_customer), "relation": "sibling"},
        },
    )
    [bob] = relatives_of(staff_api, customer)
    assert bob["birthday"] == {"day": 9, "month": 12, "year": None}


@pytest.mark.parametrize(
    ("given", "field", "code"),
    [
        ({"name": "Mia", "relation": "cousin"}, "relation", "NOT_FOUND"),
        ({"name": "Mia", "relation": ""}, "relation", "NOT_FOUND"),
        ({"name": "  ", "relation": "child"}, "name", "REQUIRED"),
        ({"name": "M" * 201, "relation": "child"}, "name", "TOO_LONG"),
        ({"name": "Mia", "relation": "child", "note": "n" * 2001}, "note", "TOO_LONG"),
        (
            {"name": "Mia", "relation": "child", "birthday": {"day": 31, "month": 4}},
            "birthday",
            "INVALID",
        ),
        (
            {
                "name": "Mia",
                "relation": "child",
                "birthday": {"day": 1, "month": 1, "year": 3000},
            },
            "birthday",
            "OUT_OF_RANGE",
        ),
    ],
)
def test_bad_relatives_are_refused(staff_api, customer, given, field, code):
    body = staff_api.data(CREATE, {"customer": uid(customer), "input": given})

    assert mutation_errors(body, "kinshipRelativeCreate") == [
        {"field": field, "code": code}
    ]
    assert not Relative.objects.exists()
    assert not ImportantDate.objects.exists()


def test_a_customer_cannot_be_her_own_relative(staff_api, customer):
    body = staff_api.data(
        CREATE,
        {
            "customer": uid(customer),
            "input": {"relativeCustomer": uid(customer), "relation": "friend"},
        },
    )
    assert mutation_errors(body, "kinshipRelativeCreate") == [
        {"field": "relativeCustomer", "code": "INVALID"}
    ]
    assert not Relative.objects.exists()


def test_a_customer_relatives_birthday_belongs_on_her_profile(
    staff_api, customer, other_customer
):
    body = staff_api.data(
        CREATE,
        {
            "customer": uid(customer),
            "input": {
                "relativeCustomer": uid(other_customer),
                "relation": "friend",
                "birthday": {"day": 1, "month": 5},
            },
        },
    )
    assert mutation_errors(body, "kinshipRelativeCreate") == [
        {"field": "birthday", "code": "INVALID"}
    ]


def test_two_customers_are_related_once_from_either_side(
    staff_api, customer, other_customer
):
    staff_api.data(
        CREATE,
        {
            "customer": uid(customer),
            "input": {"relativeCustomer": uid(other_customer), "relation": "friend"},
        },
    )
    body = staff_api.data(
        CREATE,
        {
            "customer": uid(other_customer),
            "input": {"relativeCustomer": uid(customer), "relation": "sibling"},
        },
    )

    assert mutation_errors(body, "kinshipRelativeCreate") == [
        {"field": "relativeCustomer", "code": "UNIQUE"}
    ]
    assert sorted(Relative.objects.values_list("relation", flat=True)) == [
        "friend",
        "friend",
    ]


def test_editing_a_named_relative(staff_api, customer):
    created = staff_api.data(
        CREATE,
        {
            "customer": uid(customer),
            "input": {
                "name": "Mia",
                "relation": "child",
                "birthday": {"day": 1, "month": 6},
            },
        },
    )["kinshipRelativeCreate"]["relative"]

    data = staff_api.data(
        UPDATE,
        {
            "id": created["id"],
            "input": {
                "name": "Mia Lee",
                "birthday": {"day": 2, "month": 6},
                "note": "",
            },
        },
    )

    relative = data["kinshipRelativeUpdate"]["relative"]
    assert (relative["name"], relative["birthday"]) == (
        "Mia Lee",
        {"day": 2, "month": 6, "year": None},
    )
    assert ImportantDate.objects.get(customer=customer).day == 2
    body = staff_api.data(UPDATE, {"id": created["id"], "input": {"relation": "aunt"}})
    assert mutation_errors(body, "kinshipRelativeUpdate") == [
        {"field": "relation", "code": "NOT_FOUND"}
    ]
    assert Relative.objects.get().relation == "child"


def test_removing_a_named_relative_removes_her_birthday(staff_api, customer):
    created = staff_api.data(
        CREATE,
        {
            "customer": uid(customer),
            "input": {
                "name": "Mia",
                "relation": "child",
                "birthday": {"day": 1, "month": 6},
            },
        },
    )["kinshipRelativeCreate"]["relative"]

    staff_api.data(DELETE, {"id": created["id"]})

    assert not ImportantDate.objects.exists()


def test_an_unknown_relative_is_not_found(staff_api):
    body = staff_api.data(DELETE, {"id": gid("KinshipRelative", 4242)})
    assert mutation_errors(body, "kinshipRelativeDelete") == [
        {"field": "id", "code": "NOT_FOUND"}
    ]


def test_relatives_need_manage_users(customer_api, customer):
    body = customer_api.query(
        CREATE,
        {"customer": uid(customer), "input": {"name": "Mia", "relation": "child"}},
    )
    assert body["errors"][0]["extensions"]["exception"]["code"] == "PERMISSION_DENIED"
    assert not Relative.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_relating_two_customers_from_both_sides_at_once_keeps_one_pair():
    from devhost.account.models import User

    ann = User.objects.create_user("ann@example.com")
    bob = User.objects.create_user("bob@example.com")
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def relate(customer, relative, relation):
        try:
            start.wait()
            with transaction.atomic():
                add_relative(
                    customer.pk,
                    relation=relation,
                    relative_customer_id=relative.pk,
                    today=__import__("datetime").date(2026, 1, 1),
                )
            outcomes.append("added")
        except Exception as error:  # the refusal of the second writer
            outcomes.append(type(error).__name__)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=relate, args=(ann, bob, "parent")),
        threading.Thread(target=relate, args=(bob, ann, "friend")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["ValidationError", "added"]
    rows = {(row.customer_id, row.relation) for row in Relative.objects.all()}
    assert rows in (
        {(bob.pk, "child"), (ann.pk, "parent")},
        {(ann.pk, "friend"), (bob.pk, "friend")},
    )
    assert len({row.pair for row in Relative.objects.all()}) == 1
