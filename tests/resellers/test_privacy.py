"""A reseller sees her own standing, never the customers she brought."""

import json

import pytest
from graphql import GraphQLList, GraphQLNonNull, GraphQLObjectType

from saleor_kinship.graphql.api import schema
from saleor_kinship.graphql.core.ids import customer_global_id

from .conftest import reseller_gid
from .test_attribution import ledger


def reachable_types(type_name: str) -> dict[str, set[str]]:
    """Return each object type reachable from `type_name`, with its field names."""
    seen: dict[str, set[str]] = {}
    pending = [schema.get_type(type_name)]
    while pending:
        current = pending.pop()
        while isinstance(current, GraphQLNonNull | GraphQLList):
            current = current.of_type
        if not isinstance(current, GraphQLObjectType) or current.name in seen:
            continue
        seen[current.name] = set(current.fields)
        pending.extend(field.type for field in current.fields.values())
    return seen


def test_no_field_path_from_her_standing_reaches_a_customer_or_an_order():
    customer_field = schema.get_type("KinshipCustomer").fields["reseller"]
    assert str(customer_field.type) == "KinshipResellerAccount"

    reachable = reachable_types("KinshipResellerAccount")

    assert reachable == {
        "KinshipResellerAccount": {
            "status",
            "commissionRate",
            "appliedAt",
            "approvedAt",
            "customersBrought",
            "statements",
            "message",
        },
        "KinshipCommissionStatement": {
            "currency",
            "dateFrom",
            "dateTo",
            "orders",
            "revenue",
            "commissionAccrued",
            "commissionReversed",
            "commissionNet",
        },
    }
    # "orders" of a statement is a count, not a list of orders.
    orders = schema.get_type("KinshipCommissionStatement").fields["orders"]
    assert str(orders.type) == "Int!"


def test_what_she_can_ask_about_herself_names_none_of_her_customers(
    rita_api, rita, customer, link_customer, shop
):
    link_customer(customer, rita)
    order = shop.place_order("100.00", customer=customer)
    shop.mark_paid(order)
    assert ledger(order)  # she did earn on Ann's order

    body = rita_api.query(
        """
        { me { reseller {
            status commissionRate appliedAt approvedAt customersBrought message
            statements(dateFrom: "2020-01-01", dateTo: "2030-12-31") {
              currency orders revenue commissionNet
            }
        } } }
        """
    )

    text = json.dumps(body)
    assert "errors" not in body
    assert body["data"]["me"]["reseller"]["customersBrought"] == 1
    for secret in ("ann@example.com", "Ann", "Lee", str(order.id)):
        assert secret not in text


@pytest.mark.parametrize(
    ("query", "variable"),
    [
        ("query($id: ID!) { kinshipReseller(id: $id) { id } }", "reseller"),
        ("{ kinshipResellers(first: 5) { totalCount } }", None),
        ("query($id: ID!) { customer(id: $id) { email } }", "customer"),
        ("{ me { resellerLinks { id } } }", None),
    ],
    ids=["one reseller", "the list", "a customer", "her links"],
)
def test_the_staff_views_are_closed_to_her(
    rita_api, rita, customer, link_customer, query, variable
):
    link_customer(customer, rita)
    ids = {"reseller": reseller_gid(rita), "customer": customer_global_id(customer.pk)}

    body = rita_api.query(query, {"id": ids[variable]} if variable else {})

    assert body["errors"][0]["extensions"]["exception"]["code"] == "PERMISSION_DENIED"
    assert "ann@example.com" not in json.dumps(body)


def test_another_customer_cannot_read_her_standing(other_customer_api, rita, staff_api):
    # Only through `me` (herself) or `customer(id)` (staff) is her standing read.
    body = staff_api.data(
        "query($id: ID!) { customer(id: $id) { reseller { status } } }",
        {"id": customer_global_id(rita.customer_id)},
    )
    assert body == {"customer": {"reseller": {"status": "APPROVED"}}}

    refused = other_customer_api.query(
        "query($id: ID!) { customer(id: $id) { reseller { status } } }",
        {"id": customer_global_id(rita.customer_id)},
    )
    assert refused["errors"][0]["extensions"]["exception"]["code"] == (
        "PERMISSION_DENIED"
    )
