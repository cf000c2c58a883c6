"""The root-field matrix, shared by both hosts' suites.

Each root field is asked by every kind of requestor with real ids; `leaks`
compares the answers with the policy. The hosts differ only in how their
requestors sign in and how the rows behind the ids are made.
"""

import json
from collections.abc import Callable
from typing import Any

from django.db import transaction

from tests.privacy.staff_actions import (
    DATE_CREATE,
    FOLLOW_UP_CREATE,
    GIFT_CREATE,
    INTERACTION_CREATE,
    PROFILE_UPDATE,
    RELATIVE_CREATE,
    mutate,
)

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


def record_what_staff_know(staff_api: Any, customer_id: str) -> dict[str, str]:
    """Give a customer a profile, a relative, a gift, a date, a follow-up and a
    note through staff mutations; return their ids by type name."""
    mutate(
        staff_api,
        PROFILE_UPDATE,
        customer=customer_id,
        input={"notes": "Prefers mornings.", "birthday": {"day": 2, "month": 3}},
    )
    relative = mutate(
        staff_api,
        RELATIVE_CREATE,
        customer=customer_id,
        input={"relation": "child", "name": "Tom"},
    )["relative"]["id"]
    gift = mutate(
        staff_api,
        GIFT_CREATE,
        customer=customer_id,
        input={"relative": relative, "status": "PLANNED", "date": "2031-01-01"},
    )["gift"]["id"]
    important_date = mutate(
        staff_api,
        DATE_CREATE,
        customer=customer_id,
        input={"kind": "ANNIVERSARY", "label": "First visit", "day": 1, "month": 6},
    )["importantDate"]["id"]
    follow_up = mutate(
        staff_api,
        FOLLOW_UP_CREATE,
        customer=customer_id,
        input={"dueOn": "2031-02-01", "note": "Ask about the order."},
    )["followUp"]["id"]
    interaction = mutate(
        staff_api,
        INTERACTION_CREATE,
        customer=customer_id,
        input={"kind": "NOTE", "summary": "Met at the market."},
    )["interaction"]["id"]
    return {
        "KinshipRelative": relative,
        "KinshipGift": gift,
        "KinshipImportantDate": important_date,
        "KinshipFollowUp": follow_up,
        "KinshipInteraction": interaction,
    }


def codes_at(body: dict[str, Any], field: str) -> list[str]:
    return [
        error.get("extensions", {}).get("exception", {}).get("code", "")
        for error in body.get("errors", [])
        if (error.get("path") or [None])[0] == field
    ]


def leaks(
    operation: str,
    field_name: str,
    ids: dict[str, str],
    ask: Callable[[str, str, dict[str, Any]], dict[str, Any]],
) -> list[str]:
    """Ask one root field as every kind; return how answers broke the policy.

    `ask(kind, text, variables)` posts the request as that kind and returns
    the decoded body. Each kind meets the same rows: what one mutation
    changed is rolled back before the next asks.
    """
    policy = ROOT.get(field_name)
    if policy is None:
        return [f"{field_name}: decide who may use it in policy.py (ROOT)"]
    field = root_fields(operation)[field_name]
    arguments = build_arguments(field_name, field, ids, BUILDERS)
    text = write_request(operation, field_name, field, arguments)

    found = []
    for kind in KINDS:
        with transaction.atomic():
            body = ask(kind, text, arguments)
            transaction.set_rollback(True)
        value = (body.get("data") or {}).get(field_name)
        outcome = policy.outcome(kind)
        if outcome == "denied":
            codes = codes_at(body, field_name)
            refused = codes != [] and set(codes) <= DENIED_CODES
            if not refused or body.get("data") != {field_name: None}:
                found.append(f"{kind} was not refused: {json.dumps(body)[:300]}")
        elif "errors" in body:
            found.append(f"{kind} got errors: {json.dumps(body['errors'])[:300]}")
        elif (value is None) != (outcome == "empty"):
            found.append(f"{kind} expected {outcome}, got {json.dumps(value)[:200]}")
    return found
