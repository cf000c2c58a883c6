"""A real Apollo gateway composes Saleor's live API with kinship's subgraph.

Saleor serves both subgraphs from one live server: its own `/graphql/`
and kinship's plugin route. The gateway composes them from their
`_service { sdl }` answers and forwards each client's Saleor token, so a
client asks one API for a Saleor user and her kinship tier. Skipped with
one line where Node.js is missing.
"""

import json
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import TestCase
from django.utils import timezone
from graphql_relay import to_global_id

from saleor.core.jwt import create_access_token
from saleor_kinship.loyalty.adjustments import award_bonus
from tests.federation.node import NodeScripts, install_node_packages

from .fixtures import kinship_path

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def saleor_server(settings) -> Iterator[Any]:
    """Saleor on a free port of 127.0.0.1, in a thread of this process.

    Saleor reads through its "replica" connection, a mirror of the test
    database in this thread only; the server's thread opens its own
    connections, so the mirror is pointed at the test database for it.
    """
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connections
    from pytest_django.live_server_helper import LiveServer

    replica = settings.DATABASE_CONNECTION_REPLICA_NAME
    configured = connections.settings[replica]
    connections.settings[replica] = connections["default"].settings_dict
    server = LiveServer("127.0.0.1:0", start=False)
    server.thread.static_handler = lambda media_handler: WSGIHandler()
    server.start()
    yield server
    server.stop()
    connections.settings[replica] = configured


@pytest.fixture
def gateway(saleor_server, kinship_plugin, channel_USD) -> Iterator[str]:
    scripts = NodeScripts(install_node_packages())
    url = scripts.start(
        "gateway.cjs",
        "--subgraph",
        f"saleor={saleor_server.url}/graphql/",
        "--subgraph",
        f"kinship={saleor_server.url}{kinship_path(channel_USD.slug)}",
    )
    yield url
    scripts.stop_all()


def ask(url: str, query: str, variables: dict[str, Any], token: str) -> Any:
    body = json.dumps({"query": query, "variables": variables}).encode()
    request = urllib.request.Request(
        url,
        data=body,
        headers={"Content-Type": "application/json", "Authorization": f"JWT {token}"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


USER_WITH_TIER = """
query($email: String!) {
  user(email: $email) { email kinship { loyalty { tier balance } } }
}
"""


def test_one_query_reads_a_saleor_user_and_her_kinship_tier(
    gateway, customer_user, staff_user, permission_manage_users
):
    staff_user.user_permissions.add(permission_manage_users)
    with TestCase.captureOnCommitCallbacks(execute=True):
        award_bonus(
            customer_user.pk,
            700,
            "Loyal since the opening",
            key="opening",
            at=timezone.now(),
        )

    body = ask(
        gateway,
        USER_WITH_TIER,
        {"email": customer_user.email},
        create_access_token(staff_user),
    )

    assert body == {
        "data": {
            "user": {
                "email": customer_user.email,
                "kinship": {"loyalty": {"tier": "Silver", "balance": 700}},
            }
        }
    }


def test_through_the_gateway_a_customer_reads_only_her_own_kinship(
    gateway, customer_user
):
    token = create_access_token(customer_user)

    own = ask(gateway, "{ me { email kinship { id } } }", {}, token)

    assert own == {
        "data": {
            "me": {
                "email": customer_user.email,
                "kinship": {"id": to_global_id("User", customer_user.pk)},
            }
        }
    }
