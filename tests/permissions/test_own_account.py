"""Staff do not give themselves points, reseller standing, rates or customers."""

from decimal import Decimal

import pytest
from django.utils import timezone

from saleor_kinship.graphql.core.ids import customer_global_id
from saleor_kinship.loyalty.models import LedgerEntry
from saleor_kinship.resellers.models import (
    Reseller,
    ResellerLink,
    ResellerStatus,
    ResellerStatusChange,
)
from tests.conftest import GraphQLClient
from tests.resellers.conftest import reseller_gid

ADJUST = """
mutation($customerId: ID!, $points: Int!, $reason: String!) {
  loyaltyPointsAdjust(customerId: $customerId, points: $points, reason: $reason) {
    errors { field code message }
    entry { points }
  }
}
"""

MY_BALANCE = "{ me { loyalty { balance } } }"

DECIDE = """
mutation($id: ID!) {
  approve: kinshipResellerApprove(id: $id) {
    reseller { status } errors { field code message }
  }
  reject: kinshipResellerReject(id: $id, reason: "No") {
    reseller { status } errors { field code message }
  }
}
"""

APPROVE = """
mutation($id: ID!) { kinshipResellerApprove(id: $id) { errors { code } } }
"""

RATE = """
mutation($id: ID!, $rate: KinshipPercent!) {
  kinshipResellerUpdate(id: $id, commissionRate: $rate) {
    reseller { commissionRate } errors { field code message }
  }
}
"""

LINK = """
mutation($customerId: ID!, $resellerId: ID!, $since: DateTime!) {
  kinshipResellerLink(customerId: $customerId, resellerId: $resellerId,
                      since: $since) {
    link { isActive } errors { field code message }
  }
}
"""


def own_account_error(field: str, action: str) -> list[dict[str, str]]:
    return [
        {
            "field": field,
            "code": "PERMISSION_DENIED",
            "message": f"You cannot {action}; ask another staff member.",
        }
    ]


@pytest.fixture
def colleague_api(db) -> GraphQLClient:
    """A second staff member with MANAGE_USERS."""
    from django.contrib.auth.models import Permission

    from devhost.account.models import User
    from devhost.account.tokens import issue_user_token

    colleague = User.objects.create_user("colleague@example.com", is_staff=True)
    colleague.user_permissions.add(Permission.objects.get(codename="manage_users"))
    return GraphQLClient(issue_user_token(colleague.pk))


@pytest.fixture
def staff_reseller(staff_user, staff_api) -> Reseller:
    """The staff member's own application to resell, as she sent it."""
    data = staff_api.data(
        'mutation { kinshipResellerApply(message: "Me too") { errors { code } } }'
    )
    assert data["kinshipResellerApply"]["errors"] == []
    return Reseller.objects.get(customer=staff_user)


def test_staff_cannot_adjust_their_own_points(staff_api, staff_user):
    data = staff_api.data(
        ADJUST,
        {
            "customerId": customer_global_id(staff_user.pk),
            "points": 500,
            "reason": "Long service",
        },
    )

    assert data["loyaltyPointsAdjust"] == {
        "entry": None,
        "errors": own_account_error("customerId", "adjust your own points"),
    }
    assert not LedgerEntry.objects.filter(customer=staff_user).exists()
    assert staff_api.data(MY_BALANCE)["me"]["loyalty"]["balance"] == 0


def test_a_colleague_adjusts_a_staff_members_points(
    colleague_api, staff_api, staff_user
):
    data = colleague_api.data(
        ADJUST,
        {
            "customerId": customer_global_id(staff_user.pk),
            "points": 500,
            "reason": "Long service",
        },
    )

    assert data["loyaltyPointsAdjust"] == {"entry": {"points": 500}, "errors": []}
    assert staff_api.data(MY_BALANCE)["me"]["loyalty"]["balance"] == 500


def test_staff_cannot_decide_on_their_own_application(staff_api, staff_reseller):
    data = staff_api.data(DECIDE, {"id": reseller_gid(staff_reseller)})

    refusal = own_account_error("id", "decide on your own reseller standing")
    assert data == {
        "approve": {"reseller": None, "errors": refusal},
        "reject": {"reseller": None, "errors": refusal},
    }
    staff_reseller.refresh_from_db()
    assert staff_reseller.status == ResellerStatus.APPLIED
    # Only her application is in the history.
    assert ResellerStatusChange.objects.filter(reseller=staff_reseller).count() == 1


def test_a_colleague_approves_a_staff_members_application(
    colleague_api, staff_reseller
):
    data = colleague_api.data(DECIDE, {"id": reseller_gid(staff_reseller)})

    assert data["approve"] == {"reseller": {"status": "APPROVED"}, "errors": []}


@pytest.fixture
def approved_staff_reseller(staff_reseller, colleague_api) -> Reseller:
    data = colleague_api.data(APPROVE, {"id": reseller_gid(staff_reseller)})
    assert data["kinshipResellerApprove"]["errors"] == []
    staff_reseller.refresh_from_db()
    return staff_reseller


def test_staff_cannot_set_their_own_commission_rate(staff_api, approved_staff_reseller):
    data = staff_api.data(
        RATE, {"id": reseller_gid(approved_staff_reseller), "rate": "50"}
    )

    assert data["kinshipResellerUpdate"] == {
        "reseller": None,
        "errors": own_account_error("id", "set your own commission rate"),
    }
    approved_staff_reseller.refresh_from_db()
    assert approved_staff_reseller.commission_rate == Decimal(10)


def test_staff_cannot_link_customers_to_themselves(
    staff_api, colleague_api, approved_staff_reseller, customer
):
    variables = {
        "customerId": customer_global_id(customer.pk),
        "resellerId": reseller_gid(approved_staff_reseller),
        "since": timezone.now().isoformat(),
    }

    refused = staff_api.data(LINK, variables)["kinshipResellerLink"]
    assert refused == {
        "link": None,
        "errors": own_account_error(
            "resellerId", "link customers to yourself as their reseller"
        ),
    }
    assert not ResellerLink.objects.exists()

    linked = colleague_api.data(LINK, variables)["kinshipResellerLink"]
    assert linked == {"link": {"isActive": True}, "errors": []}
