"""A commission rate is a KinshipPercent: a string or a number, such as 5.5."""

from decimal import Decimal

import pytest

from saleor_kinship.resellers.models import Reseller

from .conftest import codes, reseller_gid

BY_VARIABLE = """
mutation Rate($id: ID!, $rate: KinshipPercent!) {
  kinshipResellerUpdate(id: $id, commissionRate: $rate) {
    reseller { commissionRate } errors { field code message }
  }
}
"""

AS_FLOAT = BY_VARIABLE.replace("$rate: KinshipPercent!", "$rate: Float!")


def written_in(rate: str) -> str:
    return BY_VARIABLE.replace("$rate: KinshipPercent!", "").replace(
        "commissionRate: $rate", f"commissionRate: {rate}"
    )


@pytest.mark.parametrize("rate", [5.5, "5.5", 12.25, 7, "7"])
def test_a_rate_is_taken_as_a_number_or_a_string(rita, staff_api, rate):
    data = staff_api.data(BY_VARIABLE, {"id": reseller_gid(rita), "rate": rate})

    assert data["kinshipResellerUpdate"] == {
        "reseller": {"commissionRate": str(rate)},
        "errors": [],
    }
    rita.refresh_from_db()
    assert rita.commission_rate == Decimal(str(rate))


@pytest.mark.parametrize("literal", ["5.5", '"5.5"'])
def test_a_rate_written_in_the_query_is_taken_as_a_number_or_a_string(
    rita, staff_api, literal
):
    data = staff_api.data(written_in(literal), {"id": reseller_gid(rita)})

    assert data["kinshipResellerUpdate"]["reseller"] == {"commissionRate": "5.5"}
    rita.refresh_from_db()
    assert rita.commission_rate == Decimal("5.5")


def test_a_float_computed_by_a_client_is_refused_for_its_places(rita, staff_api):
    data = staff_api.data(BY_VARIABLE, {"id": reseller_gid(rita), "rate": 0.1 + 0.2})

    assert codes(data["kinshipResellerUpdate"]) == [("commissionRate", "INVALID")]
    rita.refresh_from_db()
    assert rita.commission_rate == Decimal(10)


def test_a_variable_declared_as_float_is_refused_before_it_is_read(rita, staff_api):
    body = staff_api.query(AS_FLOAT, {"id": reseller_gid(rita), "rate": 5.5})

    [error] = body["errors"]
    assert error["message"] == (
        'Variable "rate" of type "Float!" used in position expecting type '
        '"KinshipPercent!".'
    )
    assert error["extensions"]["exception"]["code"] == "GRAPHQL_ERROR"
    rita.refresh_from_db()
    assert rita.commission_rate == Decimal(10)


READ_RATE = """
query($id: ID!) { kinshipReseller(id: $id) { commissionRate } }
"""


@pytest.mark.parametrize("rate", ["-0", "-0.0000", -0.0])
def test_a_negative_zero_rate_is_zero(rita, staff_api, rate):
    data = staff_api.data(BY_VARIABLE, {"id": reseller_gid(rita), "rate": rate})

    assert data["kinshipResellerUpdate"] == {
        "reseller": {"commissionRate": "0"},
        "errors": [],
    }
    read = staff_api.data(READ_RATE, {"id": reseller_gid(rita)})
    assert read == {"kinshipReseller": {"commissionRate": "0"}}


def test_a_default_rate_of_negative_zero_is_answered_as_zero(
    customer, customer_api, staff_api, configure, channel
):
    configure(channel, default_commission_rate="-0")
    customer_api.data("mutation { kinshipResellerApply { errors { code } } }")
    reseller = Reseller.objects.get(customer=customer)

    data = staff_api.data(
        """mutation($id: ID!) { kinshipResellerApprove(id: $id) {
            reseller { commissionRate } errors { code } } }""",
        {"id": reseller_gid(reseller)},
    )

    assert data["kinshipResellerApprove"] == {
        "reseller": {"commissionRate": "0"},
        "errors": [],
    }
