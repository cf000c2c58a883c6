"""Kinship composes with Saleor 3.24 into one supergraph, and a gateway joins them.

These run Apollo's own composition and gateway (Node); they are skipped with
one line where Node.js or Saleor's schema file is missing.
"""

import json
import urllib.request

import pytest

from saleor_kinship.graphql.core.ids import customer_global_id

from .node import NodeScripts, saleor_sdl_path


def test_kinship_composes_with_saleor_3_24(node_scripts, saleor_sdl, kinship_sdl):
    report = node_scripts.run(
        "compose.cjs",
        f"saleor={saleor_sdl}",
        f"kinship={kinship_sdl}",
        "--field",
        "User.kinship",
        "--field",
        "User.email",
    )

    assert report["errors"] == []
    assert report["fields"] == {
        "User.kinship": {"present": True, "type": "KinshipCustomer"},
        "User.email": {"present": True, "type": "String!"},
    }


def ask(url, query, variables=None, token=None):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    body = json.dumps({"query": query, "variables": variables or {}}).encode()
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


@pytest.fixture(scope="module")
def gateway_servers(node_modules, live_server, tmp_path_factory):
    """A gateway over kinship's live endpoint and a stand-in for Saleor.

    Returns the gateway's URL and the file of users the stand-in knows.
    """
    saleor_sdl = saleor_sdl_path()
    scripts = NodeScripts(node_modules)
    users_file = tmp_path_factory.mktemp("saleor") / "users.json"
    users_file.write_text("[]")
    saleor_url = scripts.start(
        "saleor-standin.cjs", "--sdl", str(saleor_sdl), "--users", str(users_file)
    )
    url = scripts.start(
        "gateway.cjs",
        "--subgraph",
        f"saleor={saleor_url}",
        "--subgraph",
        f"kinship={live_server.url}/graphql/",
    )
    yield url, users_file
    scripts.stop_all()


@pytest.fixture
def gateway(gateway_servers, customer, staff_user):
    """The gateway's URL and tokens of the customer and the staff member."""
    from devhost.account.tokens import issue_user_token

    url, users_file = gateway_servers
    tokens = {
        "customer": issue_user_token(customer.pk),
        "staff": issue_user_token(staff_user.pk),
    }
    users_file.write_text(
        json.dumps(
            [
                {"id": customer_global_id(person.pk), "email": person.email}
                | {"token": tokens[role]}
                for role, person in [("customer", customer), ("staff", staff_user)]
            ]
        )
    )
    return url, tokens


def test_the_gateway_answers_me_with_kinship_from_both_subgraphs(gateway, customer):
    url, tokens = gateway

    body = ask(
        url,
        "{ me { email kinship { id firstName } } }",
        token=tokens["customer"],
    )

    assert body == {
        "data": {
            "me": {
                "email": "ann@example.com",
                "kinship": {"id": customer_global_id(customer.pk), "firstName": "Ann"},
            }
        }
    }


def test_staff_read_any_users_kinship_and_customers_only_their_own(
    gateway, customer, staff_user
):
    url, tokens = gateway
    query = "query($id: ID!) { user(id: $id) { email kinship { email } } }"

    by_staff = ask(url, query, {"id": customer_global_id(customer.pk)}, tokens["staff"])
    by_customer = ask(
        url, query, {"id": customer_global_id(staff_user.pk)}, tokens["customer"]
    )

    assert by_staff == {
        "data": {
            "user": {
                "email": "ann@example.com",
                "kinship": {"email": "ann@example.com"},
            }
        }
    }
    assert by_customer["data"] == {
        "user": {"email": "staff@example.com", "kinship": None}
    }
    [error] = by_customer["errors"]
    assert error["path"] == ["user", "kinship"]
    assert error["extensions"]["exception"] == {"code": "PERMISSION_DENIED"}
    assert "stacktrace" not in error["extensions"]
