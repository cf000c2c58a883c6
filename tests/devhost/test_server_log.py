"""What the reference host's log shows: kinship's failures once, no refusals."""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]

# Requests as clients send them, in a process configured as the host runs
# (devhost.settings and its LOGGING); a marker line separates them in stderr.
REQUESTS = textwrap.dedent(
    """
    import json, sys
    import django
    django.setup()
    from django.test import Client
    from saleor_kinship.graphql.customers import resolvers

    def ask(query, variables=None, token=None):
        body = json.dumps({"query": query, "variables": variables or {}})
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
        response = Client().post(
            "/graphql/", body, content_type="application/json", **headers
        )
        print(json.dumps(response.json()))
        print("-- next --", file=sys.stderr, flush=True)

    def broken(search):
        raise RuntimeError("duplicate key (email)=(ann@example.com)")

    staff = sys.argv[1]
    ask("{ customers(first: 5) { totalCount } }")
    ask(
        "query($s: String) { customers(first: 1, search: $s) { totalCount } }",
        {"s": "\\u0000"},
        staff,
    )
    ask("{ nothingHere }")
    resolvers.customers = broken
    ask("{ customers(first: 5) { totalCount } }", token=staff)
    """
)


@pytest.mark.django_db(transaction=True)
def test_refusals_leave_no_trace_and_a_failure_is_logged_once(staff_user):
    from devhost.account.tokens import issue_user_token

    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "devhost.settings",
        "DATABASE_URL": "postgres://{USER}@{HOST}:{PORT}/{NAME}".format(
            **settings.DATABASES["default"]
        ),
    }
    finished = subprocess.run(
        [sys.executable, "-c", REQUESTS, issue_user_token(staff_user.pk)],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert finished.returncode == 0, finished.stderr

    answers = [json.loads(line) for line in finished.stdout.splitlines()]
    codes = [
        [error["extensions"]["exception"]["code"] for error in answer["errors"]]
        for answer in answers
    ]
    assert codes == [
        ["PERMISSION_DENIED"],
        ["INVALID"],
        ["GRAPHQL_ERROR"],
        ["INTERNAL_ERROR"],
    ]
    *refusals, failure, after = finished.stderr.split("-- next --\n")
    assert refusals == ["", "", ""]
    assert after == ""
    # One record, from kinship, with the stack but not the message.
    assert failure.startswith(
        "ERROR saleor_kinship.graphql.core.errors: Kinship GraphQL resolver at "
        "customers failed: RuntimeError\n"
    )
    assert failure.count("Kinship GraphQL") == 1
    assert failure.rstrip().endswith(", in broken")
    assert "ann@example.com" not in failure
    assert "An error occurred while resolving" not in failure
