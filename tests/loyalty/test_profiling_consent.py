"""A customer who declines profiling has no scores: not shown, matched or kept."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from saleor_kinship.graphql.core.ids import customer_global_id
from saleor_kinship.loyalty.models import LoyaltyAccount

from .test_scoring import AS_OF, small_shop  # noqa: F401 (a fixture)

CONSENT = """
mutation($consent: Boolean!) {
  kinshipMyProfileUpdate(input: {profilingConsent: $consent}) {
    errors { field code message }
    profile { profilingConsent }
  }
}
"""

CUSTOMERS = """
query($search: String, $filter: KinshipCustomerFilterInput,
      $sortBy: KinshipCustomerSortingInput) {
  customers(first: 20, search: $search, filter: $filter, sortBy: $sortBy) {
    edges { node {
      email
      profile { profilingConsent }
      loyalty {
        balance lifetimePoints tier
        rfmSegment rfmRecency rfmFrequency rfmMonetary probabilityActive
        expectedPurchases90d predictedValue12m predictedValueCurrency scoredAt
      }
    } }
  }
}
"""

UNSCORED = {
    "rfmSegment": None,
    "rfmRecency": None,
    "rfmFrequency": None,
    "rfmMonetary": None,
    "probabilityActive": None,
    "expectedPurchases90d": None,
    "predictedValue12m": None,
    "predictedValueCurrency": None,
    "scoredAt": None,
}


def scores_of(customer, **values):
    LoyaltyAccount.objects.update_or_create(
        customer=customer,
        defaults={
            "rfm_recency": 5,
            "rfm_frequency": 5,
            "rfm_monetary": 4,
            "rfm_segment": "champions",
            "p_alive": 0.93,
            "expected_purchases_90d": 1.4,
            "predicted_value_12m": Decimal("41.88"),
            "predicted_value_currency": "USD",
            "scored_at": "2026-03-31T03:40:00+00:00",
            **values,
        },
    )


def names(api, **variables):
    edges = api.data(CUSTOMERS, variables)["customers"]["edges"]
    return [edge["node"]["email"].split("@")[0] for edge in edges]


@pytest.fixture
def ann_declined(shop, customer, customer_api, other_customer):
    """Ann (120 points, Bronze) and Bob, both champions; Ann then declines."""
    shop.mark_paid(shop.place_order("120.00", customer=customer))
    scores_of(customer)
    scores_of(other_customer, predicted_value_12m=Decimal("20.00"), p_alive=0.5)

    payload = customer_api.data(CONSENT, {"consent": False})

    assert payload["kinshipMyProfileUpdate"] == {
        "errors": [],
        "profile": {"profilingConsent": False},
    }
    return customer


def test_staff_see_no_scores_of_a_customer_who_declined(staff_api, ann_declined):
    [ann] = staff_api.data(CUSTOMERS, {"search": "ann"})["customers"]["edges"]

    assert ann["node"]["profile"] == {"profilingConsent": False}
    # Her points and tier are the programme she joined: they stay.
    assert ann["node"]["loyalty"] == {
        "balance": 120,
        "lifetimePoints": 120,
        "tier": "Bronze",
        **UNSCORED,
    }


@pytest.mark.parametrize(
    "condition",
    [
        {"segments": ["champions"]},
        {"predictedValue": {"gte": "0"}},
        {"probabilityActive": {"lte": 1}},
    ],
)
def test_no_score_filter_matches_a_customer_who_declined(
    staff_api, ann_declined, condition
):
    assert names(staff_api, filter=condition) == ["bob"]
    assert names(staff_api, search="ann", filter=condition) == []
    assert names(staff_api, search="ann", filter={"tiers": ["Bronze"]}) == ["ann"]


@pytest.mark.parametrize("field", ["PREDICTED_VALUE", "PROBABILITY_ACTIVE"])
def test_score_sorting_places_her_with_the_unscored(
    staff_api, staff_user, ann_declined, field
):
    # By her stored scores she would come first; she sorts as unscored,
    # below every score.
    descending = names(staff_api, sortBy={"field": field, "direction": "DESC"})
    ascending = names(staff_api, sortBy={"field": field, "direction": "ASC"})

    assert descending == ["bob", "ann"]
    assert ascending == ["ann", "bob"]


def test_consent_given_again_shows_scores_again(staff_api, customer_api, ann_declined):
    customer_api.data(CONSENT, {"consent": True})

    data = staff_api.data(
        CUSTOMERS, {"search": "ann", "filter": {"segments": ["champions"]}}
    )
    [ann] = data["customers"]["edges"]
    assert ann["node"]["loyalty"]["rfmSegment"] == "champions"
    assert ann["node"]["loyalty"]["predictedValue12m"] == "41.88"


def test_a_points_adjustment_answers_no_scores_of_a_customer_who_declined(
    staff_api, ann_declined
):
    data = staff_api.data(
        """mutation($id: ID!) {
          loyaltyPointsAdjust(customerId: $id, points: 5, reason: "Welcome gift") {
            errors { field code message }
            loyalty { balance rfmSegment predictedValue12m scoredAt }
          }
        }""",
        {"id": customer_global_id(ann_declined.pk)},
    )["loyaltyPointsAdjust"]

    assert data == {
        "errors": [],
        "loyalty": {
            "balance": 125,
            "rfmSegment": None,
            "predictedValue12m": None,
            "scoredAt": None,
        },
    }


def test_the_rescoring_leaves_out_a_customer_who_declined(
    small_shop,  # noqa: F811
    staff_api,
):
    from devhost.account.tokens import issue_user_token
    from tests.conftest import GraphQLClient

    a_api = GraphQLClient(issue_user_token(small_shop["A"].pk))
    call_command("kinship_rescore", "--as-of", str(AS_OF), stdout=StringIO())
    points_before = LoyaltyAccount.objects.get(customer=small_shop["A"]).balance

    a_api.data(CONSENT, {"consent": False})
    output = StringIO()
    call_command("kinship_rescore", "--as-of", str(AS_OF), stdout=output)

    assert output.getvalue().startswith("Scored 4 customers as of 2026-03-31")
    stored = LoyaltyAccount.objects.get(customer=small_shop["A"])
    assert (stored.rfm_segment, stored.rfm_recency, stored.scored_at) == (
        "",
        None,
        None,
    )
    assert stored.balance == points_before == 150
    # The others are compared among themselves: D, the biggest spender of
    # four now, scores 1 + floor(5 * 3 / 4) = 4 for monetary, not 5.
    d = LoyaltyAccount.objects.get(customer=small_shop["D"])
    assert (d.rfm_monetary, d.rfm_segment) == (4, "at_risk")
    assert names(staff_api, filter={"segments": ["champions"]}) == []

    a_api.data(CONSENT, {"consent": True})
    call_command("kinship_rescore", "--as-of", str(AS_OF), stdout=StringIO())

    assert LoyaltyAccount.objects.get(customer=small_shop["A"]).rfm_segment == (
        "champions"
    )


def test_hiding_scores_runs_a_fixed_number_of_queries(
    staff_api, ann_declined, shop, count_queries
):
    variables = {
        "filter": {"segments": ["champions"], "probabilityActive": {"gte": 0}},
        "sortBy": {"field": "PREDICTED_VALUE", "direction": "DESC"},
    }
    with count_queries() as few:
        staff_api.data(CUSTOMERS, variables)
    for number in range(6):
        customer = shop.create_customer(f"more{number}@example.com")
        scores_of(customer)
        if number % 2:
            customer.kinship_profile.profiling_consent = False
            customer.kinship_profile.save()
    with count_queries() as more:
        shown = names(staff_api, **variables)

    assert len(shown) == 4
    assert len(more.captured_queries) == len(few.captured_queries)
