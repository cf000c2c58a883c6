"""Every root query and mutation, asked by every kind of requestor.

Each request carries real ids (Ann's rows, see conftest); a requestor the
policy refuses must get null and a PERMISSION_DENIED or AUTHENTICATION_FAILED
error, and nothing else; one it allows gets data and no error.
"""

import pytest
from graphql_relay import to_global_id

from .conftest import REQUESTORS
from .matrix import FIELDS, leaks
from .policy import ROOT


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
    def ask(kind, text, variables):
        return request.getfixturevalue(REQUESTORS[kind]).query(text, variables)

    found = leaks(operation, field_name, ids, ask)

    assert found == [], f"{field_name}:\n" + "\n".join(found)


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
