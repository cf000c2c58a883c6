import json
from datetime import timedelta

import pytest
from django.test import Client

from saleor_kinship.graphql.core.ids import customer_global_id

CUSTOMERS = """
query Customers($first: Int, $after: String, $last: Int, $before: String) {
  customers(first: $first, after: $after, last: $last, before: $before) {
    totalCount
    edges { cursor node { id email firstName } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}
"""


def code_of(body):
    return [error["extensions"]["exception"]["code"] for error in body["errors"]]


def test_me_is_the_signed_in_customer_with_saleors_global_id(customer_api, customer):
    data = customer_api.data("{ me { id email firstName lastName } }")

    assert data["me"] == {
        "id": customer_global_id(customer.pk),
        "email": "ann@example.com",
        "firstName": "Ann",
        "lastName": "Lee",
    }
    # Saleor's ids are base64 of "User:<pk>", so they pass between the APIs.
    assert (
        data["me"]["id"]
        == __import__("base64").b64encode(f"User:{customer.pk}".encode()).decode()
    )


def test_me_is_null_for_an_anonymous_request(anonymous_api):
    assert anonymous_api.data("{ me { id } }") == {"me": None}


def test_staff_with_manage_users_reads_a_customer_by_saleor_id(staff_api, customer):
    data = staff_api.data(
        "query($id: ID!) { customer(id: $id) { email } }",
        {"id": customer_global_id(customer.pk)},
    )
    assert data == {"customer": {"email": "ann@example.com"}}


@pytest.mark.parametrize(
    "client_fixture",
    [
        "anonymous_api",
        "customer_api",
        "staff_api_without_permission",
        "app_api_without_permission",
    ],
)
def test_customer_list_is_refused_without_manage_users(request, client_fixture):
    api = request.getfixturevalue(client_fixture)

    body = api.query(CUSTOMERS, {"first": 5})

    assert body["data"] == {"customers": None}
    assert code_of(body) == ["PERMISSION_DENIED"]


def test_an_app_with_manage_users_lists_customers(app_api, customer, other_customer):
    data = app_api.data(CUSTOMERS, {"first": 5})
    emails = [edge["node"]["email"] for edge in data["customers"]["edges"]]
    assert sorted(emails) == ["ann@example.com", "bob@example.com"]


def test_pages_walk_forward_and_back_without_overlap(staff_api, shop):
    for number in range(7):
        shop.create_customer(f"c{number}@example.com")
    everyone = staff_api.data(CUSTOMERS, {"first": 100})["customers"]
    assert everyone["totalCount"] == 7
    order = [edge["node"]["email"] for edge in everyone["edges"]]

    first = staff_api.data(CUSTOMERS, {"first": 3})["customers"]
    second = staff_api.data(
        CUSTOMERS, {"first": 3, "after": first["pageInfo"]["endCursor"]}
    )["customers"]
    back = staff_api.data(
        CUSTOMERS, {"last": 2, "before": second["pageInfo"]["startCursor"]}
    )["customers"]

    emails = lambda page: [edge["node"]["email"] for edge in page["edges"]]  # noqa: E731
    assert emails(first) == order[:3]
    assert emails(second) == order[3:6]
    assert emails(back) == order[1:3]
    assert first["pageInfo"]["hasNextPage"] is True
    assert second["pageInfo"]["hasPreviousPage"] is True
    assert back["pageInfo"]["hasPreviousPage"] is True


def test_a_new_customer_does_not_shift_the_next_page(staff_api, shop):
    for number in range(4):
        shop.create_customer(f"c{number}@example.com")
    first = staff_api.data(CUSTOMERS, {"first": 2})["customers"]
    shop.create_customer("newcomer@example.com")  # newest first: lands on page 1

    second = staff_api.data(
        CUSTOMERS, {"first": 2, "after": first["pageInfo"]["endCursor"]}
    )["customers"]

    seen = {edge["node"]["email"] for edge in first["edges"]}
    assert not seen & {edge["node"]["email"] for edge in second["edges"]}
    assert "newcomer@example.com" not in {
        edge["node"]["email"] for edge in second["edges"]
    }


@pytest.mark.parametrize(
    ("variables", "code"),
    [
        ({}, "REQUIRED"),
        ({"first": 101}, "OUT_OF_RANGE"),
        ({"first": 0}, "OUT_OF_RANGE"),
        ({"first": 2, "after": "not-a-cursor"}, "INVALID"),
    ],
)
def test_bad_paging_is_refused_with_a_code(staff_api, variables, code):
    body = staff_api.query(CUSTOMERS, variables)
    assert code_of(body) == [code]


@pytest.mark.parametrize(
    "bad_id",
    ["abc", "", "T3JkZXI6MQ==", "VXNlcjp4", "VXNlcjotMQ=="],
    ids=["garbage", "empty", "an Order id", "User:x", "User:-1"],
)
def test_a_malformed_or_foreign_id_is_refused(staff_api, bad_id):
    body = staff_api.query(
        "query($id: ID!) { customer(id: $id) { id } }", {"id": bad_id}
    )
    assert body["data"] == {"customer": None}
    assert code_of(body) == ["INVALID"]


def test_an_unknown_customer_id_reads_as_null(staff_api):
    data = staff_api.data(
        "query($id: ID!) { customer(id: $id) { id } }",
        {"id": customer_global_id(999999)},
    )
    assert data == {"customer": None}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("{not json", "The request body is not JSON."),
        ("[1, 2]", "Send a JSON object with a `query`."),
        ('{"query": 5}', "Send a JSON object with a `query` string."),
        (
            '{"query": "{ me { id } }", "variables": [1]}',
            "`variables` must be a JSON object.",
        ),
    ],
)
def test_a_malformed_request_gets_a_coded_error_not_a_500(db, body, message):
    response = Client().post("/graphql/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {
        "errors": [
            {"message": message, "extensions": {"exception": {"code": "GRAPHQL_ERROR"}}}
        ]
    }


def test_a_syntax_error_is_reported_with_its_location(anonymous_api):
    body = anonymous_api.query("{ me { id ")
    assert code_of(body) == ["GRAPHQL_ERROR"]
    assert body["errors"][0]["locations"] == [{"line": 1, "column": 11}]
    assert "Traceback" not in json.dumps(body)


def test_an_unknown_field_is_a_graphql_error(anonymous_api):
    body = anonymous_api.query("{ nothingHere }")
    assert code_of(body) == ["GRAPHQL_ERROR"]
    assert "nothingHere" in body["errors"][0]["message"]


@pytest.mark.parametrize(
    ("header", "code"),
    [
        ("Bearer not-a-token", "AUTHENTICATION_FAILED"),
        ("Token abc", "AUTHENTICATION_FAILED"),
        ("Bearer ", "AUTHENTICATION_FAILED"),
    ],
)
def test_a_bad_token_is_refused_at_the_door(db, header, code):
    response = Client().post(
        "/graphql/",
        json.dumps({"query": "{ me { id } }"}),
        content_type="application/json",
        HTTP_AUTHORIZATION=header,
    )
    assert response.status_code == 401
    assert code_of(response.json()) == [code]


def test_an_expired_token_is_refused_with_its_own_code(customer, settings):
    from django.core import signing

    from devhost.account.tokens import SALT

    # A token signed 13 hours ago, past the 12-hour lifetime.
    signer = signing.TimestampSigner(salt=SALT)
    past = signer.timestamp
    signer.timestamp = lambda: signing.b62_encode(
        int(signing.b62_decode(past())) - int(timedelta(hours=13).total_seconds())
    )
    token = signer.sign_object({"user": customer.pk})

    response = Client().post(
        "/graphql/",
        json.dumps({"query": "{ me { id } }"}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 401
    assert code_of(response.json()) == ["TOKEN_EXPIRED"]


def test_a_browser_get_shows_graphiql(db):
    response = Client().get("/graphql/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert b"GraphiQL" in response.content


def test_a_token_of_a_deactivated_customer_is_refused(customer, customer_api):
    customer.is_active = False
    customer.save()
    response = customer_api.post("{ me { id } }")
    assert response.status_code == 401
    assert code_of(response.json()) == ["AUTHENTICATION_FAILED"]
