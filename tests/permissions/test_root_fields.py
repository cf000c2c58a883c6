"""Every root query and mutation, asked by every kind of requestor.

Each request carries real ids (Ann's rows, see conftest); a requestor the
policy refuses must get null and a PERMISSION_DENIED or AUTHENTICATION_FAILED
error, and nothing else; one it allows gets data and no error.
"""

import json
from typing import Any

import pytest
from django.db import transaction
from graphql_relay import to_global_id

from .conftest import REQUESTORS
from .policy import DENIED_CODES, KINDS, ROOT
from .schema_walk import build_arguments, root_fields, write_request

# Arguments the types alone cannot give.
BUILDERS: dict[str, dict[str, Any]] = {
    "customer": {"id": lambda ids: ids["User"]},
    "kinshipCustomerExport": {"id": lambda ids: ids["User"]},
    "_entities": {
        "representations": lambda ids: [{"__typename": "User", "id": ids["User"]}]
    },
    "kinshipEmailPreview": {"customerId": lambda ids: ids["User"]},
    "kinshipRelativeCreate": {
        "input": lambda ids: {"relation": "child", "name": "Eve"}
    },
    "kinshipProfileUpdate": {"input": lambda ids: {"notes": "Checked."}},
    "kinshipMyProfileUpdate": {"input": lambda ids: {"contactHandle": "@ann"}},
}

FIELDS = [
    (operation, name)
    for operation in ("query", "mutation")
    for name in sorted(root_fields(operation))
]


def codes_at(body: dict[str, Any], field: str) -> list[str]:
    return [
        error.get("extensions", {}).get("exception", {}).get("code", "")
        for error in body.get("errors", [])
        if (error.get("path") or [None])[0] == field
    ]


def test_every_root_field_has_a_decided_policy():
    fields = {name for _, name in FIELDS}

    undecided = sorted(fields - set(ROOT))
    stale = sorted(set(ROOT) - fields)

    assert undecided == [], (
        f"{', '.join(undecided)}: decide who may use it in "
        "tests/permissions/policy.py (ROOT)"
    )
    assert stale == [], f"{', '.join(stale)}: no longer in the schema; remove it"


@pytest.mark.parametrize(("operation", "field_name"), FIELDS)
def test_each_requestor_gets_what_the_policy_says(request, ids, operation, field_name):
    policy = ROOT.get(field_name)
    if policy is None:
        pytest.fail(f"{field_name}: decide who may use it in policy.py (ROOT)")
    field = root_fields(operation)[field_name]
    arguments = build_arguments(field_name, field, ids, BUILDERS)
    text = write_request(operation, field_name, field, arguments)

    leaks = []
    for kind in KINDS:
        api = request.getfixturevalue(REQUESTORS[kind])
        # Each requestor meets the same rows: what one mutation changed is
        # rolled back before the next asks.
        with transaction.atomic():
            body = api.query(text, arguments)
            transaction.set_rollback(True)
        value = (body.get("data") or {}).get(field_name)
        outcome = policy.outcome(kind)
        if outcome == "denied":
            codes = codes_at(body, field_name)
            refused = codes != [] and set(codes) <= DENIED_CODES
            if not refused or body.get("data") != {field_name: None}:
                leaks.append(f"{kind} was not refused: {json.dumps(body)[:300]}")
        elif "errors" in body:
            leaks.append(f"{kind} got errors: {json.dumps(body['errors'])[:300]}")
        elif (value is None) != (outcome == "empty"):
            leaks.append(f"{kind} expected {outcome}, got {json.dumps(value)[:200]}")

    assert leaks == [], f"{field_name}:\n" + "\n".join(leaks)


ENTITY_IDS = (
    "query($r: [_Any!]!) { _entities(representations: $r) { ... on User { id } } }"
)


@pytest.mark.parametrize(
    "kind", ["anonymous", "other_customer", "app_without_permission"]
)
def test_entities_do_not_tell_others_which_customers_exist(request, ids, kind):
    api = request.getfixturevalue(REQUESTORS[kind])
    existing = [{"__typename": "User", "id": ids["User"]}]
    unknown = [{"__typename": "User", "id": to_global_id("User", 987654)}]

    answer_for_ann = api.query(ENTITY_IDS, {"r": existing})
    answer_for_nobody = api.query(ENTITY_IDS, {"r": unknown})

    # Both answers only echo the id asked for: existence is not revealed.
    assert answer_for_ann == {"data": {"_entities": [{"id": ids["User"]}]}}
    assert answer_for_nobody == {"data": {"_entities": [{"id": unknown[0]["id"]}]}}
