"""A real Saleor order marked paid brings one thank-you, from the template."""

from django.test import TestCase

from saleor.plugins.manager import get_plugins_manager
from saleor_kinship.emails.models import Delivery

from .fixtures import configure


def test_a_paid_saleor_order_sends_one_thank_you_from_the_template(
    saleor_shop, kinship_plugin, draft_order, customer_user, kinship_mail
):
    inbox = kinship_mail
    configure(
        kinship_plugin,
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
