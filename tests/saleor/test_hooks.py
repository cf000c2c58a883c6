"""Saleor's order and customer hooks, and its tokens, as kinship sees them.

The same scenarios as the reference host's event and endpoint tests, driven
through Saleor's own mutations and Saleor's own JWTs.
"""

import logging
from datetime import timedelta
from decimal import ROUND_FLOOR, Decimal

import pytest
from graphql_relay import to_global_id

from saleor.core.jwt import JWT_ACCESS_TYPE, jwt_encode, jwt_user_payload
from saleor.graphql.tests.fixtures import ApiClient
from saleor_kinship.loyalty.models import LedgerEntry

ORDER_CANCEL = """
mutation Cancel($id: ID!) {
  orderCancel(id: $id) { errors { field code message } order { status } }
}
"""

DRAFT_ORDER_COMPLETE = """
mutation Complete($id: ID!) {
  draftOrderComplete(id: $id) { errors { field code message } order { status } }
}
"""

CUSTOMER_CREATE = """
mutation Create($email: String!) {
  customerCreate(input: {email: $email}) { user { id } errors { field code } }
}
"""

STORY = """
query Story($id: ID!) {
  customer(id: $id) {
    loyalty { balance lifetimePoints }
    interactions(first: 20) { edges { node { kind summary } } }
  }
}
"""


def points_for(order):
    total = Decimal(str(order["total"]["gross"]["amount"]))
    return total, int(total.to_integral_value(rounding=ROUND_FLOOR))


def story(kinship_staff_api, customer):
    body = kinship_staff_api.post_graphql(
        STORY, {"id": to_global_id("User", customer.pk)}
    ).json()
    assert "errors" not in body, body["errors"]
    card = body["data"]["customer"]
    kinds = [
        edge["node"]["kind"]
        for edge in reversed(card["interactions"]["edges"])
        if edge["node"]["kind"].startswith("ORDER_")
    ]
    return card["loyalty"], kinds


def cancel(saleor_shop, order_id):
    saleor_shop._mutate(ORDER_CANCEL, {"id": order_id}, "orderCancel")


def test_a_saleor_order_paid_then_refunded_in_full_tells_its_story(
    saleor_shop, draft_order, customer_user, kinship_staff_api
):
    order = saleor_shop.complete_and_pay(draft_order)
    total, earned = points_for(order)

    saleor_shop.refund(order["id"], total)

    loyalty, kinds = story(kinship_staff_api, customer_user)
    assert kinds == ["ORDER_PLACED", "ORDER_PAID", "ORDER_REFUNDED"]
    assert loyalty == {"balance": 0, "lifetimePoints": 0}
    entries = LedgerEntry.objects.filter(order_id=str(draft_order.pk))
    assert sorted(entry.points for entry in entries) == [-earned, earned]


def test_cancelling_a_paid_saleor_order_takes_its_points_back(
    saleor_shop, draft_order, customer_user, kinship_staff_api
):
    order = saleor_shop.complete_and_pay(draft_order)
    _, earned = points_for(order)
    assert earned > 0

    cancel(saleor_shop, order["id"])

    loyalty, kinds = story(kinship_staff_api, customer_user)
    assert kinds == ["ORDER_PLACED", "ORDER_PAID", "ORDER_CANCELLED"]
    assert loyalty["balance"] == 0


def test_cancelling_an_unpaid_saleor_order_earns_nothing(
    saleor_shop, draft_order, customer_user, kinship_staff_api
):
    order_id = to_global_id("Order", draft_order.pk)
    saleor_shop._mutate(DRAFT_ORDER_COMPLETE, {"id": order_id}, "draftOrderComplete")

    cancel(saleor_shop, order_id)

    loyalty, kinds = story(kinship_staff_api, customer_user)
    assert kinds == ["ORDER_PLACED", "ORDER_CANCELLED"]
    assert loyalty == {"balance": 0, "lifetimePoints": 0}
    assert not LedgerEntry.objects.filter(order_id=str(draft_order.pk)).exists()


def test_a_guest_saleor_order_earns_for_the_account_opened_later(
    saleor_shop, draft_order, kinship_staff_api, permission_manage_users
):
    draft_order.user = None
    draft_order.user_email = "zoe@example.com"
    draft_order.save(update_fields=["user", "user_email"])
    _, earned = points_for(saleor_shop.complete_and_pay(draft_order))
    saleor_shop.api.user.user_permissions.add(permission_manage_users)

    created = saleor_shop._mutate(
        CUSTOMER_CREATE, {"email": "Zoe@Example.com"}, "customerCreate"
    )

    body = kinship_staff_api.post_graphql(
        "query($id: ID!) { customer(id: $id) { loyalty { balance } } }",
        {"id": created["user"]["id"]},
    ).json()
    assert body == {"data": {"customer": {"loyalty": {"balance": earned}}}}


def test_a_failing_kinship_hook_leaves_saleors_mutation_alone(
    saleor_shop, draft_order, customer_user, monkeypatch, caplog
):
    def broken(*args, **kwargs):
        raise RuntimeError("the queue is down")

    monkeypatch.setattr("saleor_kinship.plugin.enqueue_order_event", broken)
    order_id = to_global_id("Order", draft_order.pk)

    with caplog.at_level(logging.ERROR, logger="saleor_kinship"):
        payload = saleor_shop._mutate(
            DRAFT_ORDER_COMPLETE, {"id": order_id}, "draftOrderComplete"
        )

    assert payload["order"]["status"] == "UNFULFILLED"
    logged = [r for r in caplog.records if r.name.startswith("saleor_kinship")]
    assert [r.getMessage() for r in logged] == [
        f"Kinship could not queue created for order {draft_order.pk}"
    ]
    assert customer_user.email not in caplog.text


def code_of(response):
    return [error["extensions"]["exception"]["code"] for error in response["errors"]]


def test_an_expired_saleor_token_is_refused_with_its_own_code(
    kinship_plugin, kinship_url, customer_user
):
    payload = jwt_user_payload(customer_user, JWT_ACCESS_TYPE, timedelta(seconds=-5))
    client = ApiClient(user=None, api_path=kinship_url)

    response = client.post(
        {"query": "{ me { id } }"}, HTTP_AUTHORIZATION=f"JWT {jwt_encode(payload)}"
    )

    assert response.status_code == 401
    assert code_of(response.json()) == ["TOKEN_EXPIRED"]


@pytest.mark.parametrize(
    "header", ["Bearer not-a-token", "JWT abc.def.ghi", "Bearer ", "Token abc"]
)
def test_a_bad_authorization_header_is_refused_at_the_door(
    kinship_plugin, kinship_url, header
):
    client = ApiClient(user=None, api_path=kinship_url)

    response = client.post({"query": "{ me { id } }"}, HTTP_AUTHORIZATION=header)

    assert response.status_code == 401
    assert code_of(response.json()) == ["AUTHENTICATION_FAILED"]


def test_the_token_of_a_deactivated_saleor_customer_is_refused(
    kinship_customer_api, customer_user
):
    customer_user.is_active = False
    customer_user.save(update_fields=["is_active"])

    response = kinship_customer_api.post_graphql("{ me { id } }")

    assert response.status_code == 401
    assert code_of(response.json()) == ["AUTHENTICATION_FAILED"]
