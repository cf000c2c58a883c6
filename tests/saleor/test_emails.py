"""A real Saleor order marked paid brings one thank-you, from the template."""

import email
import socket
from email import policy

import pytest
from django.test import TestCase

from saleor.plugins.manager import get_plugins_manager
from saleor_kinship.emails.models import Delivery

Controller = pytest.importorskip(
    "aiosmtpd.controller", reason="the SMTP test needs aiosmtpd in Saleor's environment"
).Controller


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append((envelope.rcpt_tos, message))
        return "250 OK"


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield controller, inbox
    controller.stop()


def configure(plugin_configuration, **values):
    items = {item["name"]: item for item in plugin_configuration.configuration}
    for name, value in values.items():
        items[name] = {"name": name, "value": value}
    plugin_configuration.configuration = list(items.values())
    plugin_configuration.save()


def test_a_paid_saleor_order_sends_one_thank_you_from_the_template(
    saleor_shop, kinship_plugin, draft_order, customer_user, smtp_server
):
    controller, inbox = smtp_server
    configure(
        kinship_plugin,
        smtp_host="127.0.0.1",
        smtp_port=str(controller.port),
        smtp_security="none",
        sender_address="Kinship Tea <tea@example.com>",
        email_thank_you_subject="Thank you, {{customer.first_name}}! #{{order.number}}",
    )

    order = saleor_shop.complete_and_pay(draft_order)
    # Saleor may report one payment twice; the second report sends nothing.
    draft_order.refresh_from_db()
    with TestCase.captureOnCommitCallbacks(execute=True):
        get_plugins_manager(allow_replica=False).order_fully_paid(draft_order)

    assert len(inbox.messages) == 1
    recipients, message = inbox.messages[0]
    assert recipients == [customer_user.email]
    first_name = customer_user.first_name
    assert message["Subject"] == f"Thank you, {first_name}! #{order['number']}"
    assert message["From"] == "Kinship Tea <tea@example.com>"
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert first_name in text
    delivery = Delivery.objects.get(order_id=str(draft_order.pk))
    assert (delivery.status, delivery.attempts) == ("sent", 1)
