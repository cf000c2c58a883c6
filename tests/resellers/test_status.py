from decimal import Decimal

import pytest

from saleor_kinship.interactions.models import Interaction
from saleor_kinship.resellers.models import (
    Reseller,
    ResellerStatus,
    ResellerStatusChange,
)

from .conftest import codes, reseller_gid

APPLY = """
mutation Apply($message: String) {
  kinshipResellerApply(message: $message) {
    reseller { status message appliedAt commissionRate customersBrought }
    errors { field code message }
  }
}
"""

DECIDE = """
mutation Decide($id: ID!, $reason: String) {
  approve: kinshipResellerApprove(id: $id, reason: $reason) {
    reseller { status commissionRate }
    errors { field code message }
  }
}
"""

REJECT = """
mutation Reject($id: ID!, $reason: String) {
  kinshipResellerReject(id: $id, reason: $reason) {
    reseller { status }
    errors { field code message }
  }
}
"""

SUSPEND = """
mutation Suspend($id: ID!, $reason: String) {
  kinshipResellerSuspend(id: $id, reason: $reason) {
    reseller { status }
    errors { field code message }
  }
}
"""

UPDATE = """
mutation Rate($id: ID!, $rate: KinshipPercent!) {
  kinshipResellerUpdate(id: $id, commissionRate: $rate) {
    reseller { commissionRate }
    errors { field code message }
  }
}
"""

HISTORY = """
query($id: ID!) {
  kinshipReseller(id: $id) {
    status
    statusHistory {
      previousStatus status reason changedBy { email } changedByApp
    }
  }
}
"""

ME = "{ me { reseller { status message commissionRate } } }"


def applied(customer_api) -> Reseller:
    payload = customer_api.data(APPLY, {"message": "I sell at the market."})
    assert payload["kinshipResellerApply"]["errors"] == []
    return Reseller.objects.get()


def test_a_customer_applies_and_sees_her_status(customer_api, customer):
    data = customer_api.data(APPLY, {"message": "  I sell at the market. "})

    reseller = data["kinshipResellerApply"]["reseller"]
    assert reseller["status"] == "APPLIED"
    assert reseller["message"] == "I sell at the market."
    assert reseller["commissionRate"] is None
    assert reseller["customersBrought"] == 0
    assert customer_api.data(ME) == {
        "me": {
            "reseller": {
                "status": "APPLIED",
                "message": "I sell at the market.",
                "commissionRate": None,
            }
        }
    }


def test_a_customer_who_never_applied_has_no_reseller_standing(customer_api):
    assert customer_api.data(ME) == {"me": {"reseller": None}}


def test_applying_twice_is_refused_and_changes_nothing(customer_api):
    applied(customer_api)

    payload = customer_api.data(APPLY, {"message": "Again"})["kinshipResellerApply"]

    assert codes(payload) == [(None, "UNIQUE")]
    assert payload["errors"][0]["message"] == "You have already applied."
    assert payload["reseller"] is None
    assert Reseller.objects.get().message == "I sell at the market."
    assert ResellerStatusChange.objects.count() == 1


def test_an_anonymous_visitor_cannot_apply(anonymous_api):
    body = anonymous_api.query(APPLY, {"message": "hi"})
    assert body["data"] == {"kinshipResellerApply": None}
    assert body["errors"][0]["extensions"]["exception"]["code"] == (
        "AUTHENTICATION_FAILED"
    )
    assert not Reseller.objects.exists()


def test_an_overlong_message_is_refused(customer_api):
    payload = customer_api.data(APPLY, {"message": "x" * 2001})
    assert codes(payload["kinshipResellerApply"]) == [("message", "TOO_LONG")]
    assert not Reseller.objects.exists()


def test_approval_sets_the_programmes_default_rate(
    customer_api, staff_api, configure, channel
):
    configure(channel, default_commission_rate="7.5")
    reseller = applied(customer_api)

    payload = staff_api.data(DECIDE, {"id": reseller_gid(reseller)})["approve"]

    assert payload == {
        "reseller": {"status": "APPROVED", "commissionRate": "7.5"},
        "errors": [],
    }
    reseller.refresh_from_db()
    assert reseller.approved_at is not None


def test_approving_twice_is_refused_and_changes_nothing(customer_api, staff_api):
    reseller = applied(customer_api)
    staff_api.data(DECIDE, {"id": reseller_gid(reseller)})

    payload = staff_api.data(DECIDE, {"id": reseller_gid(reseller)})["approve"]

    assert codes(payload) == [("id", "INVALID_STATE")]
    assert payload["errors"][0]["message"] == "This reseller is already approved."
    assert ResellerStatusChange.objects.filter(reseller=reseller).count() == 2


def test_suspension_and_reinstatement_keep_who_when_and_why(
    customer_api, staff_api, staff_user, customer
):
    reseller = applied(customer_api)
    gid = reseller_gid(reseller)
    staff_api.data(DECIDE, {"id": gid, "reason": "Knows the market."})
    suspended = staff_api.data(SUSPEND, {"id": gid, "reason": "Unpaid invoices."})
    reinstated = staff_api.data(DECIDE, {"id": gid, "reason": "Invoices paid."})

    assert suspended["kinshipResellerSuspend"]["reseller"] == {"status": "SUSPENDED"}
    assert reinstated["approve"]["reseller"]["status"] == "APPROVED"
    history = staff_api.data(HISTORY, {"id": gid})["kinshipReseller"]
    assert history["statusHistory"] == [
        {
            "previousStatus": "SUSPENDED",
            "status": "APPROVED",
            "reason": "Invoices paid.",
            "changedBy": {"email": "staff@example.com"},
            "changedByApp": None,
        },
        {
            "previousStatus": "APPROVED",
            "status": "SUSPENDED",
            "reason": "Unpaid invoices.",
            "changedBy": {"email": "staff@example.com"},
            "changedByApp": None,
        },
        {
            "previousStatus": "APPLIED",
            "status": "APPROVED",
            "reason": "Knows the market.",
            "changedBy": {"email": "staff@example.com"},
            "changedByApp": None,
        },
        {
            "previousStatus": None,
            "status": "APPLIED",
            "reason": "I sell at the market.",
            "changedBy": {"email": "ann@example.com"},
            "changedByApp": None,
        },
    ]
    # Each change is on her timeline, once.
    summaries = list(
        Interaction.objects.filter(customer=customer, kind="reseller_changed")
        .order_by("pk")
        .values_list("summary", flat=True)
    )
    assert summaries == [
        "Applied to become a reseller",
        "Approved as a reseller at 10% commission",
        "Suspended as a reseller",
        "Reinstated as a reseller",
    ]
    keys = set(
        Interaction.objects.filter(customer=customer).values_list("key", flat=True)
    )
    change_ids = ResellerStatusChange.objects.values_list("pk", flat=True)
    assert keys == {f"reseller:status:{pk}" for pk in change_ids}


def test_an_app_with_manage_users_decides_and_is_recorded_as_the_app(
    customer_api, app_api, app_with_permission, staff_api
):
    reseller = applied(customer_api)
    app_api.data(REJECT, {"id": reseller_gid(reseller), "reason": "No shop."})

    history = staff_api.data(HISTORY, {"id": reseller_gid(reseller)})
    assert history["kinshipReseller"]["status"] == "REJECTED"
    assert history["kinshipReseller"]["statusHistory"][0]["changedBy"] is None
    assert history["kinshipReseller"]["statusHistory"][0]["changedByApp"] == str(
        app_with_permission.pk
    )


def test_reject_and_suspend_need_a_reason(customer_api, staff_api):
    reseller = applied(customer_api)

    payload = staff_api.data(REJECT, {"id": reseller_gid(reseller), "reason": " "})

    assert codes(payload["kinshipResellerReject"]) == [("reason", "REQUIRED")]
    assert Reseller.objects.get().status == ResellerStatus.APPLIED


@pytest.mark.parametrize(
    ("mutation", "name"),
    [(REJECT, "kinshipResellerReject"), (SUSPEND, "kinshipResellerSuspend")],
)
def test_moves_that_do_not_fit_the_status_are_refused(
    customer_api, staff_api, mutation, name
):
    reseller = applied(customer_api)
    staff_api.data(REJECT, {"id": reseller_gid(reseller), "reason": "No."})

    payload = staff_api.data(mutation, {"id": reseller_gid(reseller), "reason": "x"})

    assert codes(payload[name]) == [("id", "INVALID_STATE")]
    assert Reseller.objects.get().status == ResellerStatus.REJECTED


def test_a_rejected_application_can_be_approved_later(customer_api, staff_api):
    reseller = applied(customer_api)
    staff_api.data(REJECT, {"id": reseller_gid(reseller), "reason": "Not yet."})

    payload = staff_api.data(DECIDE, {"id": reseller_gid(reseller)})["approve"]

    assert payload["reseller"]["status"] == "APPROVED"


def test_status_is_mirrored_into_private_metadata(
    customer_api, staff_api, customer, django_capture_on_commit_callbacks
):
    # The mirror is written by a task queued when the mutation commits.
    with django_capture_on_commit_callbacks(execute=True):
        reseller = applied(customer_api)
    customer.refresh_from_db()
    assert customer.private_metadata["kinship.reseller_status"] == "applied"

    with django_capture_on_commit_callbacks(execute=True):
        staff_api.data(DECIDE, {"id": reseller_gid(reseller)})

    customer.refresh_from_db()
    assert customer.private_metadata["kinship.reseller_status"] == "approved"


def test_no_mirror_when_the_shop_switched_it_off(
    customer_api, customer, configure, channel, django_capture_on_commit_callbacks
):
    configure(channel, mirror_to_metadata=False)
    with django_capture_on_commit_callbacks(execute=True):
        applied(customer_api)
    customer.refresh_from_db()
    assert "kinship.reseller_status" not in customer.private_metadata


@pytest.mark.parametrize(
    "client_fixture",
    ["customer_api", "staff_api_without_permission", "app_api_without_permission"],
)
def test_deciding_needs_manage_users(request, customer_api, client_fixture):
    reseller = applied(customer_api)
    api = request.getfixturevalue(client_fixture)

    body = api.query(DECIDE, {"id": reseller_gid(reseller)})

    assert body["data"] == {"approve": None}
    assert body["errors"][0]["extensions"]["exception"]["code"] == "PERMISSION_DENIED"
    assert Reseller.objects.get().status == ResellerStatus.APPLIED


@pytest.mark.parametrize(
    ("bad_id", "code"),
    [
        ("garbage", "INVALID"),
        ("VXNlcjox", "INVALID"),
        ("S2luc2hpcFJlc2VsbGVyOjk5", "NOT_FOUND"),
    ],
    ids=["garbage", "a User id", "no such reseller"],
)
def test_a_bad_reseller_id_is_an_error_in_the_payload(staff_api, bad_id, code):
    payload = staff_api.data(DECIDE, {"id": bad_id})["approve"]
    assert codes(payload) == [("id", code)]


@pytest.mark.parametrize(
    ("rate", "code"),
    [
        ("-1", "OUT_OF_RANGE"),
        ("100.01", "OUT_OF_RANGE"),
        ("12.34567", "INVALID"),
        ("NaN", "INVALID"),
    ],
)
def test_a_rate_outside_0_to_100_percent_is_refused(rita, staff_api, rate, code):
    payload = staff_api.data(UPDATE, {"id": reseller_gid(rita), "rate": rate})

    assert codes(payload["kinshipResellerUpdate"]) == [("commissionRate", code)]
    rita.refresh_from_db()
    assert rita.commission_rate == Decimal(10)


@pytest.mark.parametrize("rate", ["0", "12.5", "100"])
def test_staff_set_a_rate(rita, staff_api, rate):
    payload = staff_api.data(UPDATE, {"id": reseller_gid(rita), "rate": rate})

    assert payload["kinshipResellerUpdate"]["errors"] == []
    rita.refresh_from_db()
    assert rita.commission_rate == Decimal(rate)


def test_a_rate_that_is_not_a_number_is_a_graphql_error(rita, staff_api):
    body = staff_api.query(UPDATE, {"id": reseller_gid(rita), "rate": "ten"})
    assert body["errors"][0]["extensions"]["exception"]["code"] == "GRAPHQL_ERROR"
    rita.refresh_from_db()
    assert rita.commission_rate == Decimal(10)


def test_a_rate_set_before_approval_is_kept_at_approval(customer_api, staff_api):
    reseller = applied(customer_api)
    staff_api.data(UPDATE, {"id": reseller_gid(reseller), "rate": "15"})

    payload = staff_api.data(DECIDE, {"id": reseller_gid(reseller)})["approve"]

    assert payload["reseller"]["commissionRate"] == "15"
