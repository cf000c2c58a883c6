"""Every field a customer can reach below the root fields she may use, asked by
every kind of requestor along every path to it (`me`, `customer(id:)` for
staff, `_entities` for Ann's user, her own mutations' payloads).

A customer reads her own "self" fields, is refused "staff" fields and gets
null for "hidden" ones; through `_entities` nobody but Ann and holders of
MANAGE_USERS reads anything of Ann's.
"""

import json
from collections import defaultdict
from typing import Any

import pytest
from django.db import transaction
from graphql.type.definition import GraphQLNonNull, GraphQLUnionType, get_named_type

from .conftest import REQUESTORS
from .policy import DENIED_CODES, HIDDEN, KINDS, NESTED, ROOT, SELF, STAFF
from .schema_walk import Reach, reachable, root_fields, selection

KEY = "key"
# User.id echoes the key a gateway sent to anyone; see test_root_fields.py.
POLICIES = {**NESTED, "User.id": KEY}

# Where a customer's requests start, and the arguments they take.
ROOTS: dict[str, tuple[str, str, Any]] = {
    "me": ("query", "me", None),
    "loyaltyTiers": ("query", "loyaltyTiers", None),
    "_service": ("query", "_service", None),
    "_entities": (
        "query",
        "_entities(representations: $representations)",
        "representations",
    ),
    "kinshipMyProfileUpdate": (
        "mutation",
        "kinshipMyProfileUpdate(input: $input)",
        "input",
    ),
    "kinshipResellerApply": (
        "mutation",
        "kinshipResellerApply(message: $message)",
        "message",
    ),
}
VARIABLE_TYPES = {
    "id": "ID!",
    "representations": "[_Any!]!",
    "input": "KinshipMyProfileInput!",
    "message": "String",
}


def reaches() -> list[tuple[str, Reach]]:
    found = []
    for root in ROOTS:
        start = get_named_type(root_fields(ROOTS[root][0])[root].type)
        found += [
            (root, reach) for reach in reachable(start.name, POLICIES.get, {SELF})
        ]
    return found


REACHES = reaches()


def variables(root: str, ids: dict[str, str]) -> dict[str, Any]:
    values = {
        "representations": [{"__typename": "User", "id": ids["User"]}],
        "input": {"contactHandle": "@ann"},
        "message": "",
    }
    name = ROOTS[root][2]
    return {name: values[name]} if name else {}


# Arguments of fields below the root that the types alone cannot give.
FIELD_ARGUMENTS = {"statements": '(dateFrom: "2000-01-01", dateTo: "2099-12-31")'}


def arguments(name: str, field: Any) -> str:
    """Connections want a page size; other required arguments come from a table."""
    if name in FIELD_ARGUMENTS:
        return FIELD_ARGUMENTS[name]
    required = [
        argument
        for argument, value in field.args.items()
        if isinstance(value.type, GraphQLNonNull)
    ]
    if required:
        raise LookupError(f"{name}({', '.join(required)}): add to FIELD_ARGUMENTS")
    return "(first: 20)" if "first" in field.args else ""


def write(root: str, reach: Reach, as_staff: bool) -> tuple[str, list[str]]:
    """Return the request and the response path of the field (lists flattened)."""
    operation, call, variable = ROOTS[root]
    if root == "me" and as_staff:
        # Staff read Ann's fields through customer(id:), not their own `me`.
        call, variable = "customer(id: $id)", "id"
    steps = []
    owner = get_named_type(root_fields(operation)[root].type)
    if isinstance(owner, GraphQLUnionType):
        (owner,) = owner.types
    for step in reach.path:
        field = owner.fields[step]
        steps.append(f"{step}{arguments(step, field)}")
        owner = get_named_type(field.type)
    field = owner.fields[reach.field_name]
    inner = f"{reach.field_name}{arguments(reach.field_name, field)}"
    inner += f" {selection(field.type)}"
    for step in reversed(steps):
        inner = f"{step} {{ {inner} }}"
    if root == "_entities":
        inner = f"... on User {{ {inner} }}"
    declared = f"(${variable}: {VARIABLE_TYPES[variable]})" if variable else ""
    text = f"{operation}{declared} {{ {call} {{ {inner} }} }}"
    response_root = "customer" if root == "me" and as_staff else root
    return text, [response_root, *reach.path, reach.field_name]


def values_at(data: Any, path: list[str]) -> list[Any]:
    """Every value at a path, descending into lists."""
    values = [data]
    for step in path:
        found = []
        for value in values:
            items = value if isinstance(value, list) else [value]
            found += [item.get(step) for item in items if isinstance(item, dict)]
        values = found
    flat: list[Any] = []
    for value in values:
        flat += value if isinstance(value, list) else [value]
    return flat


def errors_at(body: dict[str, Any]) -> list[tuple[list[str], str]]:
    return [
        (
            [step for step in error.get("path", []) if isinstance(step, str)],
            error.get("extensions", {}).get("exception", {}).get("code", ""),
        )
        for error in body.get("errors", [])
    ]


def test_every_reachable_field_has_a_decided_policy():
    undecided = sorted({reach.key for _, reach in REACHES} - set(POLICIES))

    assert undecided == [], (
        f"{', '.join(undecided)}: a customer can reach it; decide in "
        "tests/permissions/policy.py (NESTED) whether she reads it"
    )


BY_KEY: dict[str, list[tuple[str, Reach]]] = defaultdict(list)
for _root, _reach in REACHES:
    BY_KEY[_reach.key].append((_root, _reach))


def judge(
    policy: str, kind: str, root: str, path: list[str], body: dict[str, Any]
) -> tuple[list[str], bool]:
    """Return what went wrong for one requestor, and whether she reached the
    object that holds the field (else the check proved nothing)."""
    data = body.get("data") or {}
    given = [value for value in values_at(data, path) if value is not None]
    parents = [v for v in values_at(data, path[:-1]) if isinstance(v, dict)]
    errors = errors_at(body)
    as_staff = kind in STAFF
    is_self = root != "_entities" or kind == "customer"
    where = f"{kind} via {'.'.join(path)}"
    problems = []

    if as_staff or policy == KEY or (is_self and policy == SELF):
        if errors:
            problems.append(f"{where}: errors {json.dumps(body['errors'])[:200]}")
        if as_staff and policy == HIDDEN and parents and not given:
            problems.append(f"{where}: staff should see it")
        return problems, bool(parents) and not as_staff

    if is_self and policy == HIDDEN:
        if errors or given:
            problems.append(f"{where}: expected null, got {given[:3]}")
        return problems, bool(parents)

    if is_self:  # a staff field, asked by the customer herself
        refused = {code for error_path, code in errors if error_path == path}
        if parents and (not refused or not refused <= DENIED_CODES):
            problems.append(f"{where}: not refused: {json.dumps(body)[:300]}")
        if given:
            problems.append(f"{where}: leaked {given[:3]}")
        # A refused non-null field nulls its parent: still reached.
        return problems, bool(parents or refused)

    # Another customer's user through _entities: refused at or above the field.
    above = {
        code
        for error_path, code in errors
        if path[: len(error_path)] == error_path and error_path != path[:1]
    }
    if given or not above or not above <= DENIED_CODES:
        problems.append(f"{where}: leaked: {json.dumps(body)[:300]}")
    return problems, False


@pytest.mark.parametrize("key", sorted(BY_KEY))
def test_each_requestor_reads_only_what_the_policy_allows(request, ids, key):
    policy = POLICIES.get(key)
    if policy is None:
        pytest.fail(f"{key}: decide in policy.py (NESTED) whether she reads it")

    leaks, reached = [], []
    for root, reach in BY_KEY[key]:
        for kind in KINDS:
            as_staff = kind in STAFF
            if root == "me" and not as_staff and kind not in ROOT["me"].data:
                continue  # `me` is null for them: nothing below to check.
            if ROOT[root].outcome(kind) != "data" and not (root == "me" and as_staff):
                continue  # refused at the root: the root matrix checks that.
            text, path = write(root, reach, as_staff)
            api = request.getfixturevalue(REQUESTORS[kind])
            given = variables(root, ids)
            if root == "me" and as_staff:
                given["id"] = ids["User"]
            with transaction.atomic():
                body = api.query(text, given)
                transaction.set_rollback(True)
            problems, reached_it = judge(policy, kind, root, path, body)
            leaks += problems
            reached += [kind] * reached_it

    assert leaks == [], f"{key}:\n" + "\n".join(leaks)
    assert reached, (
        f"{key}: no customer reached it; give Ann (or Rita) data there in "
        "tests/permissions/conftest.py so that the check is not empty"
    )
