"""Kinship fixtures on top of Saleor's: the plugin switched on, its endpoint."""

import email
import socket
from email import policy

import pytest
from graphql_relay import to_global_id

from saleor.channel import MarkAsPaidStrategy
from saleor.graphql.tests.fixtures import ApiClient
from saleor.plugins.models import PluginConfiguration
from saleor_kinship.plugin import PLUGIN_ID, KinshipPlugin

KINSHIP = "saleor_kinship.plugin.KinshipPlugin"


@pytest.fixture
def kinship_plugin(settings, channel_USD):
    """Kinship installed in Saleor and active in the USD channel."""
    settings.PLUGINS = [KINSHIP]
    return PluginConfiguration.objects.create(
        identifier=PLUGIN_ID,
        name=KinshipPlugin.PLUGIN_NAME,
        channel=channel_USD,
        active=True,
        configuration=[
            {"name": field["name"], "value": field["value"]}
            for field in KinshipPlugin.DEFAULT_CONFIGURATION
        ],
    )


def kinship_path(channel_slug: str) -> str:
    return f"/plugins/channel/{channel_slug}/{PLUGIN_ID}/graphql/"


@pytest.fixture
def kinship_url(channel_USD):
    return kinship_path(channel_USD.slug)


@pytest.fixture
def kinship_staff_api(kinship_plugin, staff_user, kinship_url, permission_manage_users):
    staff_user.user_permissions.add(permission_manage_users)
    return ApiClient(user=staff_user, api_path=kinship_url)


@pytest.fixture
def kinship_customer_api(kinship_plugin, customer_user, kinship_url):
    return ApiClient(user=customer_user, api_path=kinship_url)


@pytest.fixture
def kinship_anonymous_api(kinship_plugin, kinship_url):
    return ApiClient(user=None, api_path=kinship_url)


__all__ = [
    "kinship_anonymous_api",
    "kinship_customer_api",
    "kinship_mail",
    "kinship_plugin",
    "kinship_staff_api",
    "kinship_url",
    "saleor_shop",
    "smtp_server",
]


DRAFT_ORDER_COMPLETE = """
mutation Complete($id: ID!) {
  draftOrderComplete(id: $id) {
    errors { field code message }
    order { id number status total { gross { amount currency } } }
  }
}
"""

ORDER_MARK_AS_PAID = """
mutation Paid($id: ID!) {
  orderMarkAsPaid(id: $id) { errors { field code message } order { isPaid } }
}
"""

MANUAL_REFUND = """
mutation Refund($id: ID!, $amount: PositiveDecimal!, $currency: String!) {
  transactionCreate(id: $id, transaction: {
    name: "Manual refund", amountRefunded: {amount: $amount, currency: $currency}
  }) { errors { field code message } }
}
"""


class SaleorShop:
    """Staff actions through Saleor's own GraphQL API, as the dashboard does."""

    def __init__(self, staff_api_client):
        self.api = staff_api_client

    def _mutate(self, query, variables, name):
        body = self.api.post_graphql(query, variables).json()
        assert "errors" not in body, body["errors"]
        payload = body["data"][name]
        assert payload["errors"] == [], payload["errors"]
        return payload

    def complete_and_pay(self, draft_order):
        """Complete a draft order, mark it paid; return Saleor's order data."""
        order_id = to_global_id("Order", draft_order.pk)
        order = self._mutate(
            DRAFT_ORDER_COMPLETE, {"id": order_id}, "draftOrderComplete"
        )
        self._mutate(ORDER_MARK_AS_PAID, {"id": order_id}, "orderMarkAsPaid")
        return order["order"]

    def refund(self, order_id, amount, currency="USD"):
        self._mutate(
            MANUAL_REFUND,
            {"id": order_id, "amount": str(amount), "currency": currency},
            "transactionCreate",
        )


@pytest.fixture
def saleor_shop(
    kinship_plugin,
    channel_USD,
    staff_api_client,
    permission_group_manage_orders,
    permission_group_handle_payments,
):
    # New shops take payments as transactions; refunds are then transactions.
    channel_USD.order_mark_as_paid_strategy = MarkAsPaidStrategy.TRANSACTION_FLOW
    channel_USD.save(update_fields=["order_mark_as_paid_strategy"])
    # Saleor grants order access through groups, per channel.
    permission_group_manage_orders.user_set.add(staff_api_client.user)
    permission_group_handle_payments.user_set.add(staff_api_client.user)
    return SaleorShop(staff_api_client)


def configure(plugin_configuration, **values):
    """Set some of the plugin's fields, as `pluginUpdate` would."""
    items = {item["name"]: item for item in plugin_configuration.configuration}
    for name, value in values.items():
        items[name] = {"name": name, "value": value}
    plugin_configuration.configuration = list(items.values())
    plugin_configuration.save()


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append((envelope.rcpt_tos, message))
        return "250 OK"


@pytest.fixture
def smtp_server():
    """An SMTP server on loopback, and the inbox of what it received."""
    controller_module = pytest.importorskip(
        "aiosmtpd.controller",
        reason="the SMTP tests need aiosmtpd in Saleor's environment",
    )
    inbox = Inbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = controller_module.Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield controller, inbox
    controller.stop()


@pytest.fixture
def kinship_mail(kinship_plugin, smtp_server):
    """Kinship sending through the loopback SMTP server; return its inbox."""
    controller, inbox = smtp_server
    configure(
        kinship_plugin,
        smtp_host="127.0.0.1",
        smtp_port=str(controller.port),
        smtp_security="none",
        sender_address="Kinship Tea <tea@example.com>",
    )
    return inbox
