"""Valued customers gone quiet, read from loyalty's scores."""

from datetime import UTC, datetime
from decimal import Decimal

from saleor_kinship.loyalty.models import LoyaltyAccount
from saleor_kinship.relationships.profiles import profile_for

QUIET = """
{ kinshipNeedsAttention {
    quietCustomers(first: 10) {
      totalCount
      edges { node { customer { email } rfmSegment pAlive predictedValue12m
                     lastOrderAt } }
    }
} }
"""

LAST_ORDER = datetime(2025, 6, 1, tzinfo=UTC)


def account(customer, segment, p_alive=None, value=None):
    return LoyaltyAccount.objects.create(
        customer=customer,
        rfm_segment=segment,
        p_alive=p_alive,
        predicted_value_12m=value,
        predicted_value_currency="USD" if value is not None else "",
        last_order_at=LAST_ORDER,
    )


def test_at_risk_and_fading_loyal_customers_most_valuable_first(staff_api, shop):
    people = {
        name: shop.create_customer(f"{name}@example.com")
        for name in ("risk", "fading", "steady", "new", "private", "unscored")
    }
    account(people["risk"], "at_risk", 0.7, Decimal("120.00"))
    account(people["fading"], "loyal", 0.2, Decimal("340.00"))
    account(people["steady"], "loyal", 0.9, Decimal("900.00"))
    account(people["new"], "new", 0.1, Decimal("50.00"))
    account(people["private"], "at_risk", 0.3, Decimal("999.00"))
    account(people["unscored"], "at_risk")
    private = profile_for(people["private"])
    private.profiling_consent = False
    private.save()

    data = staff_api.data(QUIET)["kinshipNeedsAttention"]["quietCustomers"]

    assert data["totalCount"] == 3
    assert [edge["node"] for edge in data["edges"]] == [
        {
            "customer": {"email": "fading@example.com"},
            "rfmSegment": "loyal",
            "pAlive": 0.2,
            "predictedValue12m": "340.00",
            "lastOrderAt": LAST_ORDER.isoformat(),
        },
        {
            "customer": {"email": "risk@example.com"},
            "rfmSegment": "at_risk",
            "pAlive": 0.7,
            "predictedValue12m": "120.00",
            "lastOrderAt": LAST_ORDER.isoformat(),
        },
        {
            "customer": {"email": "unscored@example.com"},
            "rfmSegment": "at_risk",
            "pAlive": None,
            "predictedValue12m": None,
            "lastOrderAt": LAST_ORDER.isoformat(),
        },
    ]
