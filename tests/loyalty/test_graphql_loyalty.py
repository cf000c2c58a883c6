from decimal import Decimal

import graphene
import pytest

from saleor_kinship.core.requestor import Requestor
from saleor_kinship.graphql.core.context import KinshipContext
from saleor_kinship.graphql.core.errors import format_error
from saleor_kinship.graphql.core.ids import customer_global_id
from saleor_kinship.graphql.customers.types import KinshipCustomer
from saleor_kinship.loyalty.models import LedgerEntry, LoyaltyAccount

CUSTOMER_LOYALTY = """
query($id: ID!) {
  customer(id: $id) {
    loyalty {
      balance tier rfmSegment rfmRecency rfmFrequency rfmMonetary
      probabilityActive expectedPurchases90d predictedValue12m
      predictedValueCurrency
    }
  }
}
"""

ADJUST = """
mutation($customerId: ID!, $points: Int!, $reason: String!) {
  loyaltyPointsAdjust(customerId: $customerId, points: $points, reason: $reason) {
    errors { field code message }
    entry { kind points reason staffMemberId }
    loyalty { balance lifetimePoints }
  }
}
"""


def code_of(body):
    return [error["extensions"]["exception"]["code"] for error in body["errors"]]


def scored(customer, **values):
    LoyaltyAccount.objects.update_or_create(customer=customer, defaults=values)


def test_another_customer_cannot_read_her_points(customer, other_customer):
    # Reach Ann's customer object as Bob, below any root check.
    schema = graphene.Schema(query=KinshipCustomer)
    bob = Requestor(user=other_customer)
    result = schema.execute(
        "{ loyalty { balance } }",
        root_value=customer,
        context_value=KinshipContext(request=None, requestor=bob),
    )
    assert result.data == {"loyalty": None}
    assert [format_error(e)["extensions"] for e in result.errors] == [
        {"exception": {"code": "PERMISSION_DENIED"}}
    ]


def test_a_customer_cannot_look_up_another_by_id(other_customer_api, customer):
    body = other_customer_api.query(
        CUSTOMER_LOYALTY, {"id": customer_global_id(customer.pk)}
    )
    assert body["data"] == {"customer": None}
    assert code_of(body) == ["PERMISSION_DENIED"]


def test_scores_are_for_staff_only(customer_api, customer):
    scored(customer, rfm_segment="at_risk", p_alive=0.2)

    body = customer_api.query("{ me { loyalty { balance rfmSegment } } }")

    assert body["data"] == {"me": {"loyalty": {"balance": 0, "rfmSegment": None}}}
    assert code_of(body) == ["PERMISSION_DENIED"]


def test_staff_read_any_customers_points_and_scores(staff_api, shop, customer):
    shop.mark_paid(shop.place_order("80.00", customer=customer))
    scored(
        customer,
        rfm_recency=5,
        rfm_frequency=4,
        rfm_monetary=3,
        rfm_segment="champions",
        p_alive=0.93,
        expected_purchases_90d=1.25,
        predicted_value_12m=Decimal("310.40"),
        predicted_value_currency="USD",
    )

    data = staff_api.data(CUSTOMER_LOYALTY, {"id": customer_global_id(customer.pk)})

    assert data["customer"]["loyalty"] == {
        "balance": 80,
        "tier": "Bronze",
        "rfmSegment": "champions",
        "rfmRecency": 5,
        "rfmFrequency": 4,
        "rfmMonetary": 3,
        "probabilityActive": 0.93,
        "expectedPurchases90d": 1.25,
        "predictedValue12m": "310.40",
        "predictedValueCurrency": "USD",
    }


def test_a_customer_without_points_sees_an_empty_account(customer_api):
    data = customer_api.data(
        "{ me { loyalty { balance tier nextTier progress ledger(first: 5) {"
        " totalCount } } } }"
    )
    assert data["me"]["loyalty"] == {
        "balance": 0,
        "tier": None,
        "nextTier": "Bronze",
        "progress": 1.0,
        "ledger": {"totalCount": 0},
    }


def test_the_ledger_pages_newest_first(customer_api, shop, customer):
    for amount in ("1.00", "2.00", "3.00", "4.00", "5.00"):
        shop.mark_paid(shop.place_order(amount, customer=customer))
    page = """query($after: String) { me { loyalty {
        ledger(first: 2, after: $after) {
          totalCount pageInfo { hasNextPage endCursor } edges { node { points } }
        } } } }"""

    first = customer_api.data(page)["me"]["loyalty"]["ledger"]
    second = customer_api.data(page, {"after": first["pageInfo"]["endCursor"]})
    second = second["me"]["loyalty"]["ledger"]

    assert [edge["node"]["points"] for edge in first["edges"]] == [5, 4]
    assert [edge["node"]["points"] for edge in second["edges"]] == [3, 2]
    assert first["totalCount"] == 5
    assert second["pageInfo"]["hasNextPage"] is True


def test_the_programme_tiers_are_public(anonymous_api, channel):
    assert anonymous_api.data("{ loyaltyTiers { name threshold } }") == {
        "loyaltyTiers": [
            {"name": "Bronze", "threshold": 0},
            {"name": "Silver", "threshold": 500},
            {"name": "Gold", "threshold": 2000},
        ]
    }


def test_staff_adjust_points_with_a_reason(staff_api, staff_user, customer):
    data = staff_api.data(
        ADJUST,
        {
            "customerId": customer_global_id(customer.pk),
            "points": 250,
            "reason": "  Sorry for the late parcel  ",
        },
    )["loyaltyPointsAdjust"]

    assert data == {
        "errors": [],
        "entry": {
            "kind": "ADJUST",
            "points": 250,
            "reason": "Sorry for the late parcel",
            "staffMemberId": customer_global_id(staff_user.pk),
        },
        "loyalty": {"balance": 250, "lifetimePoints": 0},
    }
    assert LedgerEntry.objects.get().staff == staff_user


def test_an_app_adjustment_is_recorded_with_the_app(
    app_api, app_with_permission, customer
):
    app_api.data(
        ADJUST,
        {"customerId": customer_global_id(customer.pk), "points": 5, "reason": "Sync"},
    )
    entry = LedgerEntry.objects.get()
    assert (entry.staff, entry.app_id) == (None, str(app_with_permission.pk))


@pytest.mark.parametrize(
    ("points", "reason", "error"),
    [
        (10, "", {"field": "reason", "code": "REQUIRED"}),
        (10, "   ", {"field": "reason", "code": "REQUIRED"}),
        (10, "x" * 501, {"field": "reason", "code": "TOO_LONG"}),
        (0, "Nothing", {"field": "points", "code": "INVALID"}),
        (-101, "Voucher", {"field": "points", "code": "INSUFFICIENT_POINTS"}),
        (2**31 - 100, "Too generous", {"field": "points", "code": "OUT_OF_RANGE"}),
    ],
)
def test_a_refused_adjustment_writes_nothing(
    staff_api, customer, points, reason, error
):
    customer_id = customer_global_id(customer.pk)
    staff_api.data(ADJUST, {"customerId": customer_id, "points": 100, "reason": "Gift"})

    data = staff_api.data(
        ADJUST, {"customerId": customer_id, "points": points, "reason": reason}
    )["loyaltyPointsAdjust"]

    assert [
        {"field": item["field"], "code": item["code"]} for item in data["errors"]
    ] == [error]
    assert data["errors"][0]["message"]
    assert (data["entry"], data["loyalty"]) == (None, None)
    assert LedgerEntry.objects.count() == 1
    assert LoyaltyAccount.objects.get().balance == 100


@pytest.mark.parametrize(
    ("customer_id", "code"),
    [("not-an-id", "INVALID"), (customer_global_id(999999), "NOT_FOUND")],
)
def test_an_adjustment_of_an_unknown_customer_is_refused(staff_api, customer_id, code):
    data = staff_api.data(
        ADJUST, {"customerId": customer_id, "points": 5, "reason": "Gift"}
    )["loyaltyPointsAdjust"]
    assert [(item["field"], item["code"]) for item in data["errors"]] == [
        ("customerId", code)
    ]
    assert not LedgerEntry.objects.exists()


@pytest.mark.parametrize("client", ["customer_api", "staff_api_without_permission"])
def test_only_manage_users_may_adjust(request, client, customer):
    api = request.getfixturevalue(client)
    body = api.query(
        ADJUST,
        {"customerId": customer_global_id(customer.pk), "points": 5, "reason": "Me"},
    )
    assert code_of(body) == ["PERMISSION_DENIED"]
    assert not LedgerEntry.objects.exists()
