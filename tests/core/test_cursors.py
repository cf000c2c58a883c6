"""Keyset cursors of every connection in the schema: what a list gave out is
taken back; anything else is refused with INVALID, never an internal error.

The connections are found by walking the schema, so a new list is checked
without being added here.
"""

import base64
import json
from collections import deque
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from graphql.type.definition import (
    GraphQLInputObjectType,
    GraphQLNonNull,
    GraphQLObjectType,
    get_named_type,
)
from graphql_relay import to_global_id

from saleor_kinship.core.requestor import Requestor
from saleor_kinship.emails.models import Delivery
from saleor_kinship.graphql.api import schema
from saleor_kinship.graphql.core.ids import customer_global_id
from saleor_kinship.loyalty.adjustments import adjust_points
from saleor_kinship.loyalty.models import LoyaltyAccount
from saleor_kinship.relationships.dates import shop_today
from saleor_kinship.resellers import links, status
from saleor_kinship.resellers.models import ResellerStatus

# Root fields that need an argument to reach a row, and what it is.
ROOT_ARGUMENTS = {"customer": ("id", "ID!"), "kinshipReseller": ("id", "ID!")}
# Root fields not walked: federation plumbing, and the requestor's own account
# (reached as `customer`).
NOT_WALKED = {"_entities", "_service", "me"}


def _walk() -> list[tuple[tuple[str, ...], str, Any, str]]:
    """Return (path to the type, connection field, its definition, the type)
    of every connection reachable from Query, each by the shortest path."""
    found = []
    query = schema.get_query_type()
    queue: deque[tuple[GraphQLObjectType, tuple[str, ...]]] = deque([(query, ())])
    seen = {query.name}
    while queue:
        named, path = queue.popleft()
        for name, field in named.fields.items():
            if not path and name in NOT_WALKED:
                continue
            target = get_named_type(field.type)
            if target.name.endswith("Connection"):
                found.append((path, name, field, named.name))
            elif isinstance(target, GraphQLObjectType) and target.name not in seen:
                seen.add(target.name)
                queue.append((target, (*path, name)))
    return found


def _sort_variants(field: Any) -> list[dict[str, Any] | None]:
    """No sorting, then every sort field the list offers."""
    if "sortBy" not in field.args:
        return [None]
    sorting = get_named_type(field.args["sortBy"].type)
    assert isinstance(sorting, GraphQLInputObjectType)
    choices = get_named_type(sorting.fields["field"].type)
    return [None, *({"field": value.name} for value in choices.values)]


def _targets() -> list[Any]:
    targets = []
    for path, name, field, _ in _walk():
        for sort_by in _sort_variants(field):
            label = ".".join((*path, name)) + (
                f"[{sort_by['field']}]" if sort_by else ""
            )
            targets.append(pytest.param(path, name, sort_by, id=label))
    return targets


TARGETS = _targets()


def request(path: tuple[str, ...], name: str, sort_by: Any) -> str:
    """Write a query reaching the connection, its paging in variables."""
    declared = ["$first: Int", "$last: Int", "$after: String", "$before: String"]
    root_arguments = ""
    if path and path[0] in ROOT_ARGUMENTS:
        argument, graphql_type = ROOT_ARGUMENTS[path[0]]
        declared.append(f"$root: {graphql_type}")
        root_arguments = f"({argument}: $root)"
    elif path:
        required = [
            argument
            for argument, definition in schema.get_query_type()
            .fields[path[0]]
            .args.items()
            if isinstance(definition.type, GraphQLNonNull)
        ]
        assert not required, f"{path[0]}: add its arguments to ROOT_ARGUMENTS"
    paging = "first: $first, last: $last, after: $after, before: $before"
    if sort_by:
        paging += f", sortBy: {{field: {sort_by['field']}}}"
    inner = f"{name}({paging}) {{ edges {{ cursor }} pageInfo {{ hasNextPage }} }}"
    for index, step in reversed(list(enumerate(path))):
        inner = f"{step}{root_arguments if index == 0 else ''} {{ {inner} }}"
    return f"query({', '.join(declared)}) {{ {inner} }}"


def connection_of(data: Any, path: tuple[str, ...], name: str) -> Any:
    for step in (*path, name):
        assert data is not None, f"nothing at {step}: the rows are missing"
        data = data[step]
    return data


@pytest.fixture
def rows(shop, customer, other_customer, staff_api, staff_user):
    """Two rows or more in every list the schema has; the ids the roots need."""
    staff = Requestor(user=staff_user, permissions=frozenset({"MANAGE_USERS"}))
    resellers = []
    for person in (customer, other_customer):
        application = status.apply(person, "", Requestor(user=person))
        resellers.append(
            status.change_status(application.pk, ResellerStatus.APPROVED, "", staff)
        )
    rita = shop.create_customer("rita@example.com", first_name="Rita")
    carl = shop.create_customer("carl@example.com", first_name="Carl")
    for brought in (rita, carl):
        links.link(brought.pk, resellers[0].pk, timezone.now(), staff)

    today = shop_today()
    ann = customer_global_id(customer.pk)
    for offset in (1, 2):
        day = today + timedelta(days=offset)
        for mutation, values in [
            ("kinshipRelativeCreate", {"name": f"Kid {offset}", "relation": "child"}),
            (
                "kinshipImportantDateCreate",
                {"kind": "CUSTOM", "day": day.day, "month": day.month},
            ),
            (
                "kinshipGiftCreate",
                {"status": "PLANNED", "date": day.isoformat()},
            ),
            (
                "kinshipFollowUpCreate",
                {"dueOn": (today - timedelta(days=offset)).isoformat()},
            ),
            ("kinshipInteractionCreate", {"kind": "CALL", "summary": "Hello"}),
        ]:
            input_type = schema.get_mutation_type().fields[mutation].args["input"].type
            payload = staff_api.data(
                f"mutation($customer: ID!, $input: {input_type}) {{ {mutation}"
                "(customer: $customer, input: $input) { errors { code } } }",
                {"customer": ann, "input": values},
            )
            assert payload[mutation]["errors"] == []
        adjust_points(customer.pk, 5 * offset, "Welcome", now=timezone.now())
        Delivery.objects.create(
            key=f"test:{offset}",
            trigger="thank_you",
            status="pending",
            customer=customer,
            channel="default-channel",
        )
    adjust_points(other_customer.pk, 5, "Welcome", now=timezone.now())
    LoyaltyAccount.objects.update(rfm_segment="at_risk", last_order_at=timezone.now())
    return {
        "customer": ann,
        "kinshipReseller": to_global_id("KinshipReseller", resellers[0].pk),
    }


def test_the_walk_reaches_every_list_of_the_schema():
    lists = {
        (name, field_name)
        for name, graphql_type in schema.get_type_map().items()
        if isinstance(graphql_type, GraphQLObjectType)
        and not name.endswith(("Connection", "Edge"))
        for field_name, field in graphql_type.fields.items()
        if get_named_type(field.type).name.endswith("Connection")
    }

    reached = {(owner, name) for _, name, _, owner in _walk()}

    assert reached == lists
    assert len(lists) >= 13


@pytest.mark.parametrize(("path", "name", "sort_by"), TARGETS)
def test_every_list_takes_back_the_cursors_it_gave(
    staff_api, rows, path, name, sort_by
):
    query = request(path, name, sort_by)
    root = {"root": rows[path[0]]} if path and path[0] in rows else {}

    def page(**paging: Any) -> Any:
        data = staff_api.data(query, {**root, **paging})
        return connection_of(data, path, name)

    first = page(first=1)
    assert first["pageInfo"]["hasNextPage"], "the list needs two rows here"
    start = first["edges"][0]["cursor"]
    second = page(first=1, after=start)["edges"][0]["cursor"]
    back = page(last=1, before=second)["edges"][0]["cursor"]

    assert second != start
    assert back == start


def _cursor(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode()


MALFORMED = {
    "not base64": "%%%not*base64%%%",
    "base64 with a stray character": _cursor("[1]")[:-1] + "!",
    "not JSON": _cursor("not json"),
    "JSON, not a list": _cursor('{"pk": 1}'),
    "an empty list": _cursor("[]"),
    "too long a list": _cursor("[1, 2, 3, 4, 5, 6]"),
    "NaN": _cursor("[NaN, NaN]"),
    # Every length a list's sort could have, with values of the wrong type.
    **{
        f"{size} x {label}": _cursor(json.dumps([value] * size))
        for size in (1, 2, 3, 4)
        for label, value in [
            ("text", "x"),
            ("null", None),
            ("huge number", 10**30),
        ]
    },
    "a date that does not exist": _cursor('["2026-04-31", 1]'),
    "a moment without an offset": _cursor('["2026-04-01T10:00:00", 1]'),
    "a moment before year 1 in UTC": _cursor('["0001-01-01T00:00:00+05:00", 1]'),
    "a pk as text": _cursor('["2026-04-01T10:00:00+00:00", "1"]'),
}


@pytest.mark.parametrize(("path", "name", "sort_by"), TARGETS)
def test_every_list_refuses_a_cursor_it_did_not_give(
    staff_api, rows, path, name, sort_by
):
    query = request(path, name, sort_by)
    root = {"root": rows[path[0]]} if path and path[0] in rows else {}

    wrong = {}
    for direction, size in (("after", "first"), ("before", "last")):
        refused = [
            ("INVALID", f"{direction}: the cursor is not one this list gave out.")
        ]
        for label, cursor in MALFORMED.items():
            body = staff_api.query(query, {**root, size: 2, direction: cursor})
            answer = [
                (error["extensions"]["exception"]["code"], error["message"])
                for error in body.get("errors", [])
            ]
            if answer != refused:
                wrong[direction, label] = answer

    assert wrong == {}
