from decimal import Decimal

import pytest

from saleor_kinship.resellers import status

RESELLERS = """
query($first: Int, $after: String, $status: KinshipResellerStatus,
      $search: String, $sortBy: KinshipResellerSortingInput) {
  kinshipResellers(first: $first, after: $after, status: $status,
                   search: $search, sortBy: $sortBy) {
    totalCount
    edges { node { customer { email } } }
    pageInfo { hasNextPage endCursor }
  }
}
"""


@pytest.fixture
def three(shop, make_reseller, link_customer, customer, other_customer, channel_pln):
    """Rita: 2 customers, 150 USD at 10 %. Sara: 1, 300 USD at 20 %. Tina: none."""
    rita = make_reseller("rita@example.com", first_name="Rita", last_name="Moss")
    sara = make_reseller("sara@example.com", first_name="Sara", last_name="Adams")
    tina = make_reseller("tina@example.com", first_name="Tina", last_name="Zed")
    status.update_rate(sara.pk, Decimal(20))
    carl = shop.create_customer("carl@example.com")
    link_customer(customer, rita)
    link_customer(other_customer, rita)
    link_customer(carl, sara)
    for buyer, price in ((customer, "100.00"), (other_customer, "50.00")):
        shop.mark_paid(shop.place_order(price, customer=buyer))
    shop.mark_paid(shop.place_order("300.00", customer=carl))
    # Tina leads in zloty only.
    link_customer(shop.create_customer("dora@example.com"), tina)
    return rita, sara, tina


def emails(connection) -> list[str]:
    return [edge["node"]["customer"]["email"] for edge in connection["edges"]]


@pytest.mark.parametrize(
    ("sort_by", "expected"),
    [
        ({"field": "CUSTOMERS", "direction": "DESC"}, ["rita", "tina", "sara"]),
        ({"field": "REVENUE", "direction": "DESC"}, ["sara", "rita", "tina"]),
        ({"field": "COMMISSION"}, ["tina", "rita", "sara"]),
        ({"field": "NAME"}, ["sara", "rita", "tina"]),
        ({"field": "NAME", "direction": "DESC"}, ["tina", "rita", "sara"]),
    ],
)
def test_resellers_sort_by_what_the_merchant_picks(staff_api, three, sort_by, expected):
    data = staff_api.data(RESELLERS, {"first": 10, "sortBy": sort_by})
    assert emails(data["kinshipResellers"]) == [f"{n}@example.com" for n in expected]


def test_ties_fall_back_to_the_newest_reseller_last_in_ascending_order(
    staff_api, three
):
    # Sara and Tina have one customer each; the primary key breaks the tie.
    data = staff_api.data(RESELLERS, {"first": 10, "sortBy": {"field": "CUSTOMERS"}})
    assert emails(data["kinshipResellers"]) == [
        "sara@example.com",
        "tina@example.com",
        "rita@example.com",
    ]


@pytest.mark.parametrize("field", ["CUSTOMERS", "REVENUE", "COMMISSION", "NAME"])
def test_pages_of_a_sorted_list_follow_each_other(staff_api, three, field):
    sort_by = {"field": field, "direction": "DESC"}
    whole = emails(
        staff_api.data(RESELLERS, {"first": 10, "sortBy": sort_by})["kinshipResellers"]
    )

    first = staff_api.data(RESELLERS, {"first": 2, "sortBy": sort_by})
    cursor = first["kinshipResellers"]["pageInfo"]["endCursor"]
    second = staff_api.data(RESELLERS, {"first": 2, "after": cursor, "sortBy": sort_by})

    assert first["kinshipResellers"]["pageInfo"]["hasNextPage"] is True
    assert emails(first["kinshipResellers"]) + emails(second["kinshipResellers"]) == (
        whole
    )
    assert second["kinshipResellers"]["pageInfo"]["hasNextPage"] is False


def test_revenue_is_sorted_within_the_channel_named(
    staff_api, three, shop, channel_pln, customer
):
    rita, _, tina = three
    dora = tina.links.get().customer
    shop.mark_paid(shop.place_order("500.00", customer=dora, channel=channel_pln))
    shop.mark_paid(shop.place_order("10.00", customer=customer, channel=channel_pln))

    sort_by = {"field": "REVENUE", "direction": "DESC", "channel": "channel-pln"}
    data = staff_api.data(RESELLERS, {"first": 10, "sortBy": sort_by})

    assert emails(data["kinshipResellers"]) == [
        "tina@example.com",
        "rita@example.com",
        "sara@example.com",
    ]


def test_applicants_are_found_by_status_and_search(staff_api, three, shop):
    from saleor_kinship.core.requestor import Requestor

    newcomer = shop.create_customer("nina@example.com", first_name="Nina")
    status.apply(newcomer, "Hello", Requestor(user=newcomer))

    applied = staff_api.data(RESELLERS, {"first": 10, "status": "APPLIED"})
    approved = staff_api.data(RESELLERS, {"first": 10, "status": "APPROVED"})
    found = staff_api.data(RESELLERS, {"first": 10, "search": "adams"})

    assert emails(applied["kinshipResellers"]) == ["nina@example.com"]
    assert approved["kinshipResellers"]["totalCount"] == 3
    assert emails(found["kinshipResellers"]) == ["sara@example.com"]


def test_a_list_of_resellers_runs_a_fixed_number_of_queries(
    staff_api, make_reseller, link_customer, shop, count_queries
):
    query = """
    query($from: Date!, $to: Date!) {
      kinshipResellers(first: 20, sortBy: {field: REVENUE}) {
        edges { node {
          id status commissionRate customersBrought
          customer { email }
          statusHistory { status changedBy { email } }
          customerTiers { tier customers }
          customersLinked(dateFrom: $from, dateTo: $to)
          statements(dateFrom: $from, dateTo: $to) { currency commissionNet }
        } }
      }
    }
    """
    variables = {"from": "2020-01-01", "to": "2030-12-31"}

    def add_reseller(number):
        reseller = make_reseller(f"r{number}@example.com")
        buyer = shop.create_customer(f"b{number}@example.com")
        link_customer(buyer, reseller)
        shop.mark_paid(shop.place_order("10.00", customer=buyer))

    for number in range(2):
        add_reseller(number)
    with count_queries() as few:
        small = staff_api.data(query, variables)
    for number in range(2, 8):
        add_reseller(number)
    with count_queries() as many:
        large = staff_api.data(query, variables)

    assert len(small["kinshipResellers"]["edges"]) == 2
    assert len(large["kinshipResellers"]["edges"]) == 8
    assert len(many) == len(few)
    print(f"\nreseller list: {len(few)} queries for 2 resellers, {len(many)} for 8")


@pytest.mark.parametrize(
    "client_fixture", ["customer_api", "staff_api_without_permission"]
)
def test_the_list_needs_manage_users(request, rita, client_fixture):
    body = request.getfixturevalue(client_fixture).query(RESELLERS, {"first": 5})
    assert body["data"] == {"kinshipResellers": None}
    assert body["errors"][0]["extensions"]["exception"]["code"] == "PERMISSION_DENIED"
