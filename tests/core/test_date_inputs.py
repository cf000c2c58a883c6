"""Every Date and DateTime the schema takes, given a day that does not exist or
one out of range: mutations name the field in `errors { field code message }`
and store nothing; queries answer a coded error naming the argument.

The table below must hold every Date and DateTime argument and input field
of the schema; a new one fails the first test until it is added.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from django.utils import timezone
from graphql.type.definition import (
    GraphQLInputObjectType,
    GraphQLObjectType,
    get_named_type,
)
from graphql_relay import to_global_id

from devhost.account.tokens import issue_user_token
from saleor_kinship.core.requestor import Requestor
from saleor_kinship.graphql.api import schema
from saleor_kinship.graphql.core.ids import customer_global_id
from saleor_kinship.interactions.models import Interaction
from saleor_kinship.relationships.models import FollowUp, KinshipGift
from saleor_kinship.resellers import links, status
from saleor_kinship.resellers.models import ResellerLink, ResellerStatus
from tests.conftest import GraphQLClient

DATE_TYPES = {"Date", "DateTime"}


def date_inputs_of_the_schema() -> set[str]:
    """Return `Type.field.argument` and `InputType.field` of every Date(Time)."""
    found = set()
    for name, graphql_type in schema.get_type_map().items():
        if name.startswith("__"):
            continue
        if isinstance(graphql_type, GraphQLObjectType):
            for field_name, field in graphql_type.fields.items():
                for argument, definition in field.args.items():
                    if get_named_type(definition.type).name in DATE_TYPES:
                        found.add(f"{name}.{field_name}.{argument}")
        elif isinstance(graphql_type, GraphQLInputObjectType):
            for field_name, field in graphql_type.fields.items():
                if get_named_type(field.type).name in DATE_TYPES:
                    found.add(f"{name}.{field_name}")
    return found


@dataclass(frozen=True)
class Case:
    """How to send one Date(Time) input, and the name its errors give it."""

    scalar: str
    query: str
    variables: Callable[[dict[str, str], str], dict[str, Any]]
    field: str
    mutation: str | None = None


def _gift(world: dict[str, str], value: str) -> dict[str, Any]:
    return {"customer": world["ann"], "input": {"status": "PLANNED", "date": value}}


def _follow_up(world: dict[str, str], value: str) -> dict[str, Any]:
    return {"customer": world["ann"], "input": {"dueOn": value}}


def _entry(world: dict[str, str], value: str) -> dict[str, Any]:
    return {
        "customer": world["ann"],
        "input": {"kind": "NOTE", "summary": "Hi", "occurredAt": value},
    }


def _update(key: str, field: str) -> Callable[[dict[str, str], str], dict[str, Any]]:
    return lambda world, value: {"id": world[key], "input": {field: value}}


def _create(mutation: str, input_type: str) -> str:
    return (
        f"mutation($customer: ID!, $input: {input_type}!) {{ {mutation}"
        "(customer: $customer, input: $input) { errors { field code message } } }"
    )


def _change(mutation: str, input_type: str) -> str:
    return (
        f"mutation($id: ID!, $input: {input_type}!) {{ {mutation}"
        "(id: $id, input: $input) { errors { field code message } } }"
    )


LINK = """
mutation($customer: ID!, $reseller: ID!, $value: DateTime!) {
  kinshipResellerLink(customerId: $customer, resellerId: $reseller, since: $value) {
    errors { field code message }
  }
}
"""
UNLINK = """
mutation($customer: ID!, $value: DateTime!) {
  kinshipResellerUnlink(customerId: $customer, until: $value) {
    errors { field code message }
  }
}
"""
TIMELINE = """
query($id: ID!, $value: DateTime) {
  customer(id: $id) { interactions(first: 5, %s: $value) { totalCount } }
}
"""
STAFF_VIEW = """
query($id: ID!, $from: Date!, $to: Date!) {
  kinshipReseller(id: $id) {
    %s(dateFrom: $from, dateTo: $to) %s
  }
}
"""
OWN_VIEW = """
query($from: Date!, $to: Date!) {
  me { reseller { statements(dateFrom: $from, dateTo: $to) { orders } } }
}
"""
FIGURES = "{ currency orders revenue commissionNet }"


def _period(argument: str) -> Callable[[dict[str, str], str], dict[str, Any]]:
    def variables(world: dict[str, str], value: str) -> dict[str, Any]:
        period = {"from": "2026-01-01", "to": "2026-01-31"}
        period["from" if argument == "dateFrom" else "to"] = value
        return {"id": world["rita"], **period}

    return variables


CASES = {
    "KinshipGiftCreateInput.date": Case(
        "Date", _create("kinshipGiftCreate", "KinshipGiftCreateInput"), _gift, "date"
    ),
    "KinshipGiftUpdateInput.date": Case(
        "Date",
        _change("kinshipGiftUpdate", "KinshipGiftUpdateInput"),
        _update("gift", "date"),
        "date",
    ),
    "KinshipFollowUpCreateInput.dueOn": Case(
        "Date",
        _create("kinshipFollowUpCreate", "KinshipFollowUpCreateInput"),
        _follow_up,
        "dueOn",
    ),
    "KinshipFollowUpUpdateInput.dueOn": Case(
        "Date",
        _change("kinshipFollowUpUpdate", "KinshipFollowUpUpdateInput"),
        _update("follow_up", "dueOn"),
        "dueOn",
    ),
    "KinshipInteractionCreateInput.occurredAt": Case(
        "DateTime",
        _create("kinshipInteractionCreate", "KinshipInteractionCreateInput"),
        _entry,
        "occurredAt",
    ),
    "KinshipInteractionUpdateInput.occurredAt": Case(
        "DateTime",
        _change("kinshipInteractionUpdate", "KinshipInteractionUpdateInput"),
        _update("entry", "occurredAt"),
        "occurredAt",
    ),
    "Mutation.kinshipResellerLink.since": Case(
        "DateTime",
        LINK,
        lambda world, value: {
            "customer": world["bob"],
            "reseller": world["rita"],
            "value": value,
        },
        "since",
    ),
    "Mutation.kinshipResellerUnlink.until": Case(
        "DateTime",
        UNLINK,
        lambda world, value: {"customer": world["ann"], "value": value},
        "until",
    ),
    **{
        f"KinshipCustomer.interactions.{argument}": Case(
            "DateTime",
            TIMELINE % argument,
            lambda world, value: {"id": world["ann"], "value": value},
            argument,
        )
        for argument in ("occurredFrom", "occurredTo")
    },
    **{
        f"KinshipReseller.{field}.{argument}": Case(
            "Date",
            STAFF_VIEW % (field, FIGURES if field == "statements" else ""),
            _period(argument),
            argument,
        )
        for field in ("statements", "customersLinked")
        for argument in ("dateFrom", "dateTo")
    },
    **{
        f"KinshipResellerAccount.statements.{argument}": Case(
            "Date", OWN_VIEW, _period(argument), argument
        )
        for argument in ("dateFrom", "dateTo")
    },
}


@pytest.fixture
def world(staff_api, customer, other_customer, shop, staff_user) -> dict[str, str]:
    """Ann with a gift, a follow-up and a note, linked to Rita; Bob unlinked."""
    staff = Requestor(user=staff_user, permissions=frozenset({"MANAGE_USERS"}))
    rita = shop.create_customer("rita@example.com", first_name="Rita")
    application = status.apply(rita, "", Requestor(user=rita))
    reseller = status.change_status(application.pk, ResellerStatus.APPROVED, "", staff)
    links.link(customer.pk, reseller.pk, timezone.now(), staff)
    ann = customer_global_id(customer.pk)
    gift = KinshipGift.objects.create(
        customer=customer, status="planned", date=timezone.now().date()
    )
    follow_up = FollowUp.objects.create(customer=customer, due_on=timezone.now().date())
    entry = Interaction.objects.create(
        customer=customer, kind="note", summary="Met", occurred_at=timezone.now()
    )
    return {
        "ann": ann,
        "bob": customer_global_id(other_customer.pk),
        "rita": to_global_id("KinshipReseller", reseller.pk),
        "rita_customer": str(rita.pk),
        "gift": to_global_id("KinshipGift", gift.pk),
        "follow_up": to_global_id("KinshipFollowUp", follow_up.pk),
        "entry": to_global_id("KinshipInteraction", entry.pk),
    }


@pytest.fixture
def api_for(world, staff_api) -> Callable[[Case], GraphQLClient]:
    """The staff client, or Rita's own for her account's statements."""
    rita = GraphQLClient(issue_user_token(int(world["rita_customer"])))
    return lambda case: rita if case.query == OWN_VIEW else staff_api


def stored() -> list[Any]:
    return [
        list(model.objects.order_by("pk").values())
        for model in (KinshipGift, FollowUp, Interaction, ResellerLink)
    ]


def is_mutation(case: Case) -> bool:
    return case.query.lstrip().startswith("mutation")


def test_the_table_holds_every_date_input_of_the_schema():
    assert date_inputs_of_the_schema() == set(CASES)


UNREADABLE = {
    "Date": [
        "2026-04-31",
        "2026-02-29",
        "2026-13-01",
        "2026-04",
        "",
        "tomorrow",
        # ISO 8601 forms Python reads but YYYY-MM-DD is not: basic, week dates.
        "20260401",
        "2026-W14-3",
        "2026-04-01T00:00",
    ],
    "DateTime": [
        "2026-04-31T10:00:00+00:00",
        "2026-04-01T24:00:00+00:00",
        "2026-04-01T10:00:00+25:00",
        "",
        "now",
        "20260401T100000",
        "2026-04-01 10:00:00",
        "2026-04-01T10",
        "2026-04-01T10:00:00+0200",
        "2026-04-01T10:00:00,5",
    ],
}


@pytest.mark.parametrize("key", sorted(CASES))
def test_a_value_that_is_no_date_is_refused_naming_the_field(world, api_for, key):
    case = CASES[key]
    api = api_for(case)
    before = stored()

    answers = []
    for value in UNREADABLE[case.scalar]:
        body = api.query(case.query, case.variables(world, value))
        answers.append(_answer(body, case))

    expected_message = (
        "is not a date written as YYYY-MM-DD."
        if case.scalar == "Date"
        else "is not a date and time in ISO 8601"
    )
    assert [
        (field, code, value in message and expected_message in message)
        for value, (field, code, message) in zip(
            UNREADABLE[case.scalar], answers, strict=True
        )
    ] == [(case.field, "INVALID", True)] * len(UNREADABLE[case.scalar])
    assert stored() == before


def _answer(body: dict[str, Any], case: Case) -> tuple[str | None, str, str]:
    """Return (field, code, message) of the one error of a refused request."""
    if is_mutation(case):
        payload = next(iter(body["data"].values()))
        [error] = payload["errors"]
        return error["field"], error["code"], error["message"]
    [error] = body["errors"]
    argument, _, message = error["message"].partition(": ")
    return argument, error["extensions"]["exception"]["code"], message


OUT_OF_RANGE = {
    "Date": ["0001-01-01", "1899-12-31", "2201-01-01", "9999-12-31"],
    "DateTime": [
        "0001-01-01T00:00:00+05:00",
        "0001-01-01T00:00:00",
        "1899-12-31T12:00:00+00:00",
        "9999-12-31T23:59:59-05:00",
    ],
}


@pytest.mark.parametrize(
    "key", sorted(key for key, case in CASES.items() if is_mutation(case))
)
def test_a_mutation_refuses_a_date_out_of_range(world, api_for, key):
    case = CASES[key]
    api = api_for(case)
    before = stored()

    answers = [
        _answer(api.query(case.query, case.variables(world, value)), case)[:2]
        for value in OUT_OF_RANGE[case.scalar]
    ]

    assert answers == [(case.field, "OUT_OF_RANGE")] * len(OUT_OF_RANGE[case.scalar])
    assert stored() == before


@pytest.mark.parametrize(
    "key", sorted(key for key, case in CASES.items() if not is_mutation(case))
)
def test_a_query_takes_the_extremes_of_the_calendar(world, api_for, key):
    case = CASES[key]
    api = api_for(case)

    for value in OUT_OF_RANGE[case.scalar]:
        body = api.query(case.query, case.variables(world, value))
        errors = body.get("errors", [])
        if errors:
            # Only dateFrom after dateTo may be refused, and with its own words.
            assert [error["message"] for error in errors] == [
                "dateTo must not come before dateFrom."
            ], value


def test_a_day_that_does_not_exist_in_the_query_text_names_the_field(world, staff_api):
    body = staff_api.query(
        'mutation($id: ID!) { kinshipGiftUpdate(id: $id, input: {date: "2026-04-31"})'
        " { errors { field code message } } }",
        {"id": world["gift"]},
    )

    assert body["data"]["kinshipGiftUpdate"]["errors"] == [
        {
            "field": "date",
            "code": "INVALID",
            "message": "'2026-04-31' is not a date written as YYYY-MM-DD.",
        }
    ]


def test_an_unreadable_argument_in_the_query_text_is_named(world, staff_api):
    body = staff_api.query(
        "query($id: ID!) { kinshipReseller(id: $id) { customersLinked("
        'dateFrom: "2026-01-01", dateTo: "2026-04-31") } }',
        {"id": world["rita"]},
    )

    assert body["data"] == {"kinshipReseller": None}
    assert [
        (error["message"], error["extensions"]["exception"]["code"])
        for error in body["errors"]
    ] == [("dateTo: '2026-04-31' is not a date written as YYYY-MM-DD.", "INVALID")]


def test_the_bounds_are_the_first_and_last_day_allowed(world, staff_api):
    create = CASES["KinshipFollowUpCreateInput.dueOn"]
    answers = [
        staff_api.data(create.query, create.variables(world, day))[
            "kinshipFollowUpCreate"
        ]["errors"]
        for day in ("1900-01-01", "2200-12-31", "1899-12-31", "2201-01-01")
    ]

    message = "Give a date from 1900-01-01 to 2200-12-31."
    assert answers == [
        [],
        [],
        [{"field": "dueOn", "code": "OUT_OF_RANGE", "message": message}],
        [{"field": "dueOn", "code": "OUT_OF_RANGE", "message": message}],
    ]
    assert sorted(
        FollowUp.objects.filter(due_on__year__in=(1900, 2200)).values_list(
            "due_on", flat=True
        )
    ) == [date(1900, 1, 1), date(2200, 12, 31)]
