"""`_entities`: how a federation gateway reaches kinship's side of a user."""

import json

import pytest

from saleor_kinship.graphql.core.ids import customer_global_id

ENTITIES = """
query Entities($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on User { id kinship { id email firstName } }
  }
}
"""


def user(pk):
    return {"__typename": "User", "id": customer_global_id(pk)}


def codes(body):
    return [
        (error.get("path"), error["extensions"]["exception"]["code"])
        for error in body.get("errors", [])
    ]


def test_a_customer_reads_her_own_kinship_through_her_user(customer_api, customer):
    data = customer_api.data(ENTITIES, {"representations": [user(customer.pk)]})

    assert data == {
        "_entities": [
            {
                "id": customer_global_id(customer.pk),
                "kinship": {
                    "id": customer_global_id(customer.pk),
                    "email": "ann@example.com",
                    "firstName": "Ann",
                },
            }
        ]
    }


@pytest.mark.parametrize(
    "client_fixture", ["anonymous_api", "customer_api", "staff_api_without_permission"]
)
def test_another_customers_kinship_is_refused(request, client_fixture, other_customer):
    api = request.getfixturevalue(client_fixture)

    body = api.query(ENTITIES, {"representations": [user(other_customer.pk)]})

    assert body["data"] == {
        "_entities": [{"id": customer_global_id(other_customer.pk), "kinship": None}]
    }
    assert codes(body) == [(["_entities", 0, "kinship"], "PERMISSION_DENIED")]
    assert "bob@example.com" not in json.dumps(body)


def test_staff_resolve_many_users_in_one_query_and_unknown_ids_are_null(
    staff_api, shop, count_queries
):
    customers = [shop.create_customer(f"c{n}@example.com") for n in range(4)]
    one = {"representations": [user(customers[0].pk)]}
    many = {"representations": [user(c.pk) for c in customers] + [user(999_999)]}

    staff_api.data(ENTITIES, one)  # warm up: the first request loads permissions
    with count_queries() as for_one:
        staff_api.data(ENTITIES, one)
    with count_queries() as for_many:
        data = staff_api.data(ENTITIES, many)

    assert [entity and entity["kinship"]["email"] for entity in data["_entities"]] == [
        "c0@example.com",
        "c1@example.com",
        "c2@example.com",
        "c3@example.com",
        None,
    ]
    assert len(for_many.captured_queries) == len(for_one.captured_queries)


def test_malformed_representations_get_coded_errors_at_their_index(staff_api, customer):
    representations = [
        {"__typename": "Order", "id": customer_global_id(customer.pk)},
        "User:1",
        {"__typename": "User"},
        {"__typename": "User", "id": "not-an-id"},
        {"__typename": "User", "email": "ann@example.com"},
        {"__typename": "User", "id": "T3JkZXI6MQ=="},  # Order:1
        user(customer.pk),
    ]

    body = staff_api.query(ENTITIES, {"representations": representations})

    assert body["data"]["_entities"][:6] == [None] * 6
    assert body["data"]["_entities"][6]["kinship"]["email"] == "ann@example.com"
    assert codes(body) == [(["_entities", index], "INVALID") for index in range(6)]
    messages = [error["message"] for error in body["errors"]]
    assert "not 'Order'" in messages[0]
    assert "representations[3].id" in messages[3]


def test_representations_written_in_the_query_work_too(customer_api, customer):
    user_id = customer_global_id(customer.pk)
    query = (
        f'{{ _entities(representations: [{{__typename: "User", id: "{user_id}"}}]) '
        "{ ... on User { kinship { email } } } }"
    )
    assert customer_api.data(query) == {
        "_entities": [{"kinship": {"email": "ann@example.com"}}]
    }
