from decimal import Decimal

import pytest

from saleor_kinship.loyalty.models import LoyaltyAccount

CUSTOMERS = """
query($filter: KinshipCustomerFilterInput, $sortBy: KinshipCustomerSortingInput,
      $first: Int, $after: String) {
  customers(filter: $filter, sortBy: $sortBy, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { email } }
  }
}
"""


@pytest.fixture
def members(shop, staff_user):
    """Five customers with points, tiers and scores, as the programme left them."""
    rows = {
        "ann": (120, 120, "Bronze", "champions", "310.00", 0.91),
        "bob": (900, 2500, "Gold", "loyal", "95.50", 0.75),
        "cid": (640, 640, "Silver", "at_risk", None, None),
        "dee": (0, 0, "", "", None, None),
        "eve": (640, 700, "Silver", "at_risk", "12.00", 0.10),
    }
    for name, (balance, lifetime, tier, segment, value, alive) in rows.items():
        customer = shop.create_customer(f"{name}@example.com")
        LoyaltyAccount.objects.create(
            customer=customer,
            balance=balance,
            lifetime_points=lifetime,
            tier=tier,
            rfm_segment=segment,
            predicted_value_12m=Decimal(value) if value else None,
            p_alive=alive,
        )
    shop.create_customer("fay@example.com")  # no account at all


def emails(api, **variables):
    data = api.data(CUSTOMERS, {"first": 50, **variables})["customers"]
    return [edge["node"]["email"].split("@")[0] for edge in data["edges"]]


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        ({"tiers": ["Silver", "Gold"]}, {"bob", "cid", "eve"}),
        ({"segments": ["at_risk"]}, {"cid", "eve"}),
        ({"balance": {"gte": 600, "lte": 900}}, {"bob", "cid", "eve"}),
        ({"balance": {"lte": 0}}, {"dee", "fay"}),
        ({"predictedValue": {"gte": "90"}}, {"ann", "bob"}),
        ({"probabilityActive": {"lte": 0.5}}, {"eve"}),
        ({"tiers": ["Silver"], "probabilityActive": {"gte": 0.05}}, {"eve"}),
    ],
)
def test_staff_filter_customers_by_loyalty(staff_api, members, condition, expected):
    assert set(emails(staff_api, filter=condition)) == expected


@pytest.mark.parametrize(
    ("sort_by", "expected"),
    [
        (
            {"field": "BALANCE", "direction": "DESC"},
            ["bob", "eve", "cid", "ann", "fay", "dee"],
        ),
        (
            {"field": "LIFETIME_POINTS", "direction": "ASC"},
            ["dee", "fay", "ann", "cid", "eve", "bob"],
        ),
        (
            {"field": "TIER", "direction": "DESC"},
            ["bob", "eve", "cid", "ann", "fay", "dee"],
        ),
        (
            {"field": "PREDICTED_VALUE", "direction": "DESC"},
            ["ann", "bob", "eve", "fay", "dee", "cid"],
        ),
        (
            {"field": "PROBABILITY_ACTIVE", "direction": "ASC"},
            ["cid", "dee", "fay", "eve", "bob", "ann"],
        ),
    ],
)
def test_sorted_pages_follow_each_other_without_gaps(
    staff_api, members, sort_by, expected
):
    seen, after = [], None
    while True:
        page = staff_api.data(
            CUSTOMERS, {"first": 2, "after": after, "sortBy": sort_by}
        )["customers"]
        seen += [edge["node"]["email"].split("@")[0] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]

    assert seen == expected
    assert emails(staff_api, sortBy=sort_by) == expected


def test_a_non_finite_bound_is_refused(staff_api, members):
    body = staff_api.query(
        CUSTOMERS, {"first": 5, "filter": {"predictedValue": {"gte": "NaN"}}}
    )
    assert body["errors"][0]["extensions"]["exception"]["code"] == "INVALID"


def test_a_customer_list_with_loyalty_runs_a_fixed_number_of_queries(
    staff_api, members, shop, count_queries
):
    query = """{ customers(first: 50) { edges { node { email loyalty {
        balance tier nextTier pointsToNextTier expiringSoon { points } } } } } }"""
    with count_queries() as six:
        staff_api.data(query)
    for number in range(5):
        shop.create_customer(f"more{number}@example.com")
    with count_queries() as eleven:
        data = staff_api.data(query)

    assert len(data["customers"]["edges"]) == 11
    assert len(eleven.captured_queries) == len(six.captured_queries)


def test_staff_are_listed_once_they_have_ordered(shop, staff_api, staff_user):
    shop.create_customer("ann@example.com")
    assert emails(staff_api) == ["ann"]

    shop.place_order("12.00", customer=staff_user)

    assert sorted(emails(staff_api)) == ["ann", "staff"]
    [staff] = staff_api.data(
        '{ customers(first: 5, search: "staff") { edges { node { email } } } }'
    )["customers"]["edges"]
    assert staff["node"]["email"] == staff_user.email
