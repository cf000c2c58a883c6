"""Generated queries and mutations against the live endpoint break no property.

The fuzzer (fuzzer.py) runs in its own environment and reads the schema by
introspection, so every field the domains add is fuzzed without being
listed here. Examples and time: KINSHIP_FUZZ_EXAMPLES (per requestor and
kind, default 40) and KINSHIP_FUZZ_SECONDS (default 150); the seed is fixed.
"""

import json
import os
import subprocess
from pathlib import Path

from saleor_kinship.graphql.core.ids import customer_global_id

FUZZER = Path(__file__).resolve().parent / "fuzzer.py"


def test_generated_requests_break_no_property(
    fuzz_interpreter, live_server, shop, customer, other_customer, staff_user
):
    from devhost.account.tokens import issue_user_token

    for buyer in (customer, other_customer):
        shop.mark_paid(shop.place_order("10.00", "5.50", customer=buyer))
    shop.place_order("7.00", email="guest@example.com")
    examples = os.environ.get("KINSHIP_FUZZ_EXAMPLES", "40")
    seconds = float(os.environ.get("KINSHIP_FUZZ_SECONDS", "150"))
    requestors = {
        "anonymous": "",
        "customer": issue_user_token(customer.pk),
        "staff": issue_user_token(staff_user.pk),  # MANAGE_USERS; keep it last
    }

    finished = subprocess.run(
        [str(fuzz_interpreter), str(FUZZER), "--url", f"{live_server.url}/graphql/"]
        + ["--examples", examples, "--seconds", str(seconds)]
        + [f"--requestor={name}={token}" for name, token in requestors.items()]
        + [
            f"--id={customer_global_id(person.pk)}"
            for person in (customer, other_customer, staff_user)
        ],
        capture_output=True,
        text=True,
        timeout=seconds + 120,
    )

    lines = finished.stdout.strip().splitlines()
    assert lines, f"The fuzzer printed nothing: {finished.stderr[-3000:]}"
    summary = json.loads(lines[-1])
    print(
        f"fuzz: {summary['requests']} requests, {summary['ids_learned']} ids used, "
        f"{len(summary['violations'])} properties broken"
    )
    assert summary["requests"] > 0
    assert summary["violations"] == {}, json.dumps(summary["violations"], indent=2)
    assert finished.returncode == 0, finished.stderr[-3000:]
