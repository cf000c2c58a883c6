"""Variables are read as their declared types, strictly, before anything runs.

An Int takes only a whole number in 32 bits (not 1.9, "1" or true), a String
only a string, and a value a scalar cannot read is refused naming the
variable, where in it, and what its type expects.
"""

import json
import logging

import pytest

from saleor_kinship.graphql.core.ids import customer_global_id
from saleor_kinship.loyalty.models import LedgerEntry
from saleor_kinship.relationships.models import ImportantDate, KinshipGift

WHOLE_NUMBER = "Int expects a whole number from -2147483648 to 2147483647"

ADJUST = """
mutation($customer: ID!, $points: Int!) {
  loyaltyPointsAdjust(customerId: $customer, points: $points, reason: "x") {
    errors { code } entry { points }
  }
}
"""
IMPORTANT_DATE = """
mutation($customer: ID!, $input: KinshipImportantDateCreateInput!) {
  kinshipImportantDateCreate(customer: $customer, input: $input) {
    errors { field code } importantDate { day month }
  }
}
"""
GIFT = """
mutation($customer: ID!, $input: KinshipGiftCreateInput!) {
  kinshipGiftCreate(customer: $customer, input: $input) {
    errors { field code } gift { cost }
  }
}
"""
CUSTOMERS = """
query($filter: KinshipCustomerFilterInput, $sortBy: KinshipCustomerSortingInput) {
  customers(first: 5, filter: $filter, sortBy: $sortBy) { totalCount }
}
"""
ATTENTION = "query($days: Int) { kinshipNeedsAttention(days: $days) { days } }"


def refusals(body):
    """Return the messages of a request refused as a whole, checking the code."""
    assert "data" not in body, body
    assert {error["extensions"]["exception"]["code"] for error in body["errors"]} == {
        "GRAPHQL_ERROR"
    }
    return [error["message"] for error in body["errors"]]


@pytest.fixture
def ann(customer):
    return customer_global_id(customer.pk)


@pytest.fixture
def no_failure_logged(caplog):
    yield
    assert [
        record for record in caplog.records if record.levelno >= logging.ERROR
    ] == []


@pytest.mark.parametrize(
    ("points", "shown"),
    [
        (1.9, "1.9"),
        (-0.5, "-0.5"),
        ("3", '"3"'),
        (True, "true"),
        (2147483648, "2147483648"),
        (-2147483649, "-2147483649"),
        ([3], "[3]"),
    ],
)
def test_points_that_are_no_whole_number_store_nothing(
    staff_api, ann, no_failure_logged, points, shown
):
    body = staff_api.query(ADJUST, {"customer": ann, "points": points})

    assert refusals(body) == [f'Variable "$points": {WHOLE_NUMBER}, not {shown}.']
    assert not LedgerEntry.objects.exists()


def test_an_id_is_a_string_or_an_integer(staff_api, no_failure_logged):
    body = staff_api.query(ADJUST, {"customer": 4.0, "points": 1})

    assert refusals(body) == [
        'Variable "$customer": ID expects a string or an integer, not 4.0.'
    ]
    assert not LedgerEntry.objects.exists()


def test_a_whole_number_written_with_a_point_is_a_whole_number(staff_api, ann):
    # JSON has one kind of number: 25.0 is 25, as GraphQL's own clients read it.
    data = staff_api.data(ADJUST, {"customer": ann, "points": 25.0})

    assert data["loyaltyPointsAdjust"] == {"errors": [], "entry": {"points": 25}}
    assert LedgerEntry.objects.get().points == 25


def test_points_written_in_the_query_are_typed_by_graphql(staff_api, ann):
    body = staff_api.query(
        ADJUST.replace("$points: Int!", "").replace("$points", "1.9"),
        {"customer": ann},
    )

    assert refusals(body) == [
        'Argument "points" has invalid value 1.9.\nExpected type "Int", found 1.9.'
    ]
    assert not LedgerEntry.objects.exists()


def test_a_number_too_large_for_json_is_named(staff_api, ann, no_failure_logged):
    # Python reads 1e999 as infinity.
    body = f'{{"query": {json.dumps(ADJUST)}, "variables": '
    body += f'{{"customer": "{ann}", "points": 1e999}}}}'
    response = staff_api.http.post(
        "/graphql/",
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {staff_api.token}",
    )

    assert refusals(response.json()) == [
        f'Variable "$points": {WHOLE_NUMBER}, not Infinity.'
    ]
    assert not LedgerEntry.objects.exists()


@pytest.mark.parametrize(
    ("given", "message"),
    [
        (
            {"kind": "BIRTHDAY", "day": 1.5, "month": 1},
            f'Variable "$input" at input.day: {WHOLE_NUMBER}, not 1.5.',
        ),
        (
            {"kind": "BIRTHDAY", "day": "1", "month": 1},
            f'Variable "$input" at input.day: {WHOLE_NUMBER}, not "1".',
        ),
        (
            {"kind": "BIRTHDAY", "day": 1, "month": False},
            f'Variable "$input" at input.month: {WHOLE_NUMBER}, not false.',
        ),
        (
            {"kind": "BIRTHDAY", "day": 1, "month": 1, "label": 7},
            'Variable "$input" at input.label: String expects a string, not 7.',
        ),
        (
            {"kind": "BIRTHDAY", "day": 1, "month": 1, "recurring": "yes"},
            'Variable "$input" at input.recurring: Boolean expects true or false, '
            'not "yes".',
        ),
        (
            {"kind": "birthday", "day": 1, "month": 1},
            'Variable "$input" at input.kind: KinshipImportantDateKind expects '
            'one of BIRTHDAY, ANNIVERSARY, CUSTOM, not "birthday".',
        ),
        (
            {"kind": "BIRTHDAY", "month": 1},
            'Variable "$input" at input.day: Int! is required here, '
            "and no value was given.",
        ),
        (
            {"kind": "BIRTHDAY", "day": None, "month": 1},
            'Variable "$input" at input.day: Int! expects a value, not null.',
        ),
        (
            {"kind": "BIRTHDAY", "day": 1, "month": 1, "weekday": 3},
            'Variable "$input" at input.weekday: '
            'KinshipImportantDateCreateInput has no field "weekday".',
        ),
        (
            "1 January",
            'Variable "$input": KinshipImportantDateCreateInput expects an object, '
            'not "1 January".',
        ),
    ],
)
def test_an_input_field_of_the_wrong_type_is_named_and_nothing_is_stored(
    staff_api, ann, no_failure_logged, given, message
):
    body = staff_api.query(IMPORTANT_DATE, {"customer": ann, "input": given})

    assert refusals(body) == [message]
    assert not ImportantDate.objects.exists()


def test_a_cost_that_is_no_decimal_is_named(staff_api, ann, no_failure_logged):
    gift = {"status": "PLANNED", "date": "2026-01-01", "currency": "USD"}
    expected = 'Decimal expects a decimal number, such as "12.50", not "abc".'

    variable = staff_api.query(
        GIFT, {"customer": ann, "input": {**gift, "cost": "abc"}}
    )
    literal = staff_api.query(
        GIFT.replace("$input: KinshipGiftCreateInput!", "").replace(
            "$input",
            '{status: PLANNED, date: "2026-01-01", currency: "USD", cost: "abc"}',
        ),
        {"customer": ann},
    )
    flag = staff_api.query(GIFT, {"customer": ann, "input": {**gift, "cost": True}})

    assert refusals(variable) == [f'Variable "$input" at input.cost: {expected}']
    assert refusals(literal) == [f'Argument "input" at input.cost: {expected}']
    assert refusals(flag) == [
        'Variable "$input" at input.cost: Decimal expects a decimal number, '
        'such as "12.50", not true.'
    ]
    assert not KinshipGift.objects.exists()
    # A readable cost still goes through.
    data = staff_api.data(GIFT, {"customer": ann, "input": {**gift, "cost": "12.5"}})
    assert data["kinshipGiftCreate"] == {"errors": [], "gift": {"cost": "12.50"}}


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        (
            {"filter": {"balance": {"gte": 2147483648}}},
            f'Variable "$filter" at filter.balance.gte: {WHOLE_NUMBER}, '
            "not 2147483648.",
        ),
        (
            {"filter": {"predictedValue": {"gte": "abc"}}},
            'Variable "$filter" at filter.predictedValue.gte: Decimal expects a '
            'decimal number, such as "12.50", not "abc".',
        ),
        (
            {"filter": {"tiers": ["Gold", 3]}},
            'Variable "$filter" at filter.tiers[1]: String expects a string, not 3.',
        ),
        (
            {"filter": {"tiers": ["Gold", None]}},
            'Variable "$filter" at filter.tiers[1]: String! expects a value, not null.',
        ),
        (
            {"filter": {"probabilityActive": {"gte": "0.5"}}},
            'Variable "$filter" at filter.probabilityActive.gte: Float expects a '
            'finite number, not "0.5".',
        ),
        (
            {"sortBy": {"field": "BALANCE", "direction": "desc"}},
            'Variable "$sortBy" at sortBy.direction: KinshipCustomerSortDirection '
            'expects one of ASC, DESC, not "desc".',
        ),
    ],
)
def test_a_filter_of_the_wrong_type_is_named(
    staff_api, no_failure_logged, variables, message
):
    body = staff_api.query(CUSTOMERS, variables)

    assert refusals(body) == [message]


def test_readable_filters_still_run(staff_api, customer):
    data = staff_api.data(
        CUSTOMERS,
        {
            "filter": {"balance": {"gte": 0}, "probabilityActive": {"lte": 1}},
            "sortBy": {"field": "BALANCE", "direction": "DESC"},
        },
    )

    assert data == {"customers": {"totalCount": 0}}


@pytest.mark.parametrize(
    ("days", "shown"), [(1e999, "Infinity"), (14.5, "14.5"), ("14", '"14"')]
)
def test_days_that_are_no_whole_number_are_named(
    staff_api, no_failure_logged, days, shown
):
    body = staff_api.query(ATTENTION, {"days": days})

    assert refusals(body) == [f'Variable "$days": {WHOLE_NUMBER}, not {shown}.']
    assert staff_api.data(ATTENTION, {"days": 7}) == {
        "kinshipNeedsAttention": {"days": 7}
    }
