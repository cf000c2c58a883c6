"""What customers receive after paying an order, through a real SMTP server."""

from datetime import timedelta

import pytest
from django.utils import timezone

from saleor_kinship.core.events import handle_order_event, order_payload
from saleor_kinship.core.snapshots import OrderEventKind
from saleor_kinship.emails.models import Delivery
from saleor_kinship.interactions.models import Interaction, InteractionKind

from .conftest import SmtpServer, free_port, set_profile

pytestmark = pytest.mark.smtp

TIMES = "\N{MULTIPLICATION SIGN}"


def pay(shop, customer=None, *prices, **kwargs):
    order = shop.place_order(
        *(prices or ("10.00", "5.50")), customer=customer, **kwargs
    )
    return shop.mark_paid(order)


def test_a_paid_order_brings_one_personal_thank_you(mail_shop, customer, inbox):
    order = pay(mail_shop, customer, "24.00", "5.33")

    [mail] = inbox.messages
    assert mail.envelope_to == ["ann@example.com"]
    assert mail.to == "ann@example.com"
    assert str(mail.message["From"]) == "Kinship Coffee <hello@kinship.test>"
    assert mail.subject == f"Ann, thank you for your order #{order.number}"
    assert mail.text == (
        "Hello Ann,\n\n"
        f"Thank you for your order #{order.number}. Your payment has arrived, and "
        "we are already getting everything ready for you.\n\n"
        f"- 1 {TIMES} Product 1: 24.00 USD\n"
        f"- 1 {TIMES} Product 2: 5.33 USD\n\n"
        "Total: 29.33 USD\n\n"
        "This order added 29 points to your balance, which now stands at 29.\n\n"
        "You are a Bronze member, and just 471 points away from Silver.\n\n"
        "Warmly,\nKinship Coffee"
    )
    assert "<p>Hello Ann,</p>" in mail.html
    assert "<li>1 &times; Product 1: 24.00 USD</li>" in mail.html


def test_the_thank_you_is_signed_with_the_shop_name(mail_shop, customer, inbox):
    pay(mail_shop, customer)

    [mail] = inbox.messages
    assert mail.text.endswith("\n\nWarmly,\nKinship Coffee")
    assert mail.html.rstrip().endswith("<p>Warmly,<br>\nKinship Coffee</p>")


def test_without_a_shop_name_the_e_mails_close_without_one(
    shop, smtp_server, use_smtp, channel, configure, customer, inbox
):
    use_smtp(smtp_server, shop_name="")
    configure(channel, email_first_order=True)

    pay(shop, customer)
    pay(shop, customer)

    welcome, thanks = inbox.messages
    assert "Thank you for giving us a try; it makes our day" in welcome.text
    for mail in (welcome, thanks):
        assert mail.text.endswith("\n\nWarm wishes from all of us.")
        assert mail.html.rstrip().endswith("<p>Warm wishes from all of us.</p>")
        assert "Warmly" not in mail.text + mail.html


def test_the_thank_you_is_on_the_timeline_and_in_the_delivery_list(
    mail_shop, customer, inbox
):
    order = pay(mail_shop, customer)

    delivery = Delivery.objects.get()
    assert delivery.key == f"thank_you:{order.id}"
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("sent", 1, "")
    assert delivery.recipient == "ann@example.com"
    assert delivery.subject == inbox.messages[0].subject
    assert delivery.sent_at is not None
    entry = Interaction.objects.get(key=f"email:{delivery.pk}")
    assert entry.customer_id == customer.pk
    assert entry.kind == InteractionKind.THANK_YOU_SENT
    assert entry.order_id == str(order.id)
    assert (
        entry.summary == f"E-mail sent: Ann, thank you for your order #{order.number}"
    )
    assert "Total: 15.50 USD" in entry.body


def test_duplicated_paid_events_send_one_e_mail(mail_shop, customer, inbox, run_events):
    order = pay(mail_shop, customer)
    snapshot = mail_shop.orders.snapshot(order)

    for _ in range(3):
        run_events(handle_order_event, order_payload(OrderEventKind.PAID, snapshot))
    mail_shop.mark_paid(order)

    assert len(inbox.messages) == 1
    assert Delivery.objects.count() == 1


def test_an_unpaid_or_partly_paid_order_gets_nothing(mail_shop, customer, inbox):
    order = mail_shop.place_order("10.00", customer=customer)
    order.charged = order.total / 2
    order.save()
    mail_shop.run(mail_shop.orders._emit, OrderEventKind.PAID, order)

    assert inbox.messages == []
    assert not Delivery.objects.exists()


def test_two_customers_each_read_only_their_own_order(
    mail_shop, customer, other_customer, inbox
):
    ann_order = pay(mail_shop, customer, "12.00")
    bob_order = pay(mail_shop, other_customer, "99.00")

    [to_ann] = inbox.to("ann@example.com")
    [to_bob] = inbox.to("bob@example.com")
    assert to_ann.envelope_to == ["ann@example.com"]
    assert to_bob.envelope_to == ["bob@example.com"]
    for mail, own, other in (
        (to_ann, ("Ann", ann_order, "12.00"), ("Bob", bob_order, "99.00")),
        (to_bob, ("Bob", bob_order, "99.00"), ("Ann", ann_order, "12.00")),
    ):
        name, order, total = own
        assert f"Hello {name}," in mail.text
        assert f"#{order.number}" in mail.subject
        assert f"Total: {total} USD" in mail.text
        other_name, other_order, other_total = other
        for body in (mail.text, mail.html, mail.subject):
            assert other_name not in body
            assert f"#{other_order.number}" not in body
            assert other_total not in body


def test_a_customer_who_opted_out_gets_no_e_mail(mail_shop, customer, inbox):
    set_profile(customer, email_consent=False)

    pay(mail_shop, customer)

    assert inbox.messages == []
    assert not Delivery.objects.exists()


def test_opting_out_after_the_order_stops_the_queued_e_mail(
    mail_shop, customer, smtp_server, inbox
):
    from saleor_kinship.emails.sending import attempt

    smtp_server.stop()  # the first attempt fails; she opts out before the retry
    pay(mail_shop, customer)
    set_profile(customer, email_consent=False)
    smtp_server.start()

    outcome = attempt(Delivery.objects.get().pk)

    assert outcome.status == "skipped"
    assert inbox.messages == []
    delivery = Delivery.objects.get()
    assert delivery.status == "skipped"
    assert delivery.last_error == (
        "The customer has opted out of e-mails or is not active."
    )


@pytest.mark.parametrize("thank_guests", [False, True])
def test_guests_are_thanked_only_when_the_merchant_says_so(
    mail_shop, channel, configure, inbox, thank_guests
):
    configure(channel, thank_you_guests=thank_guests)

    order = pay(mail_shop, None, "8.00", email="guest@example.com")

    if not thank_guests:
        assert inbox.messages == []
        assert not Delivery.objects.exists()
        return
    [mail] = inbox.messages
    assert mail.envelope_to == ["guest@example.com"]
    assert mail.subject == f"Thank you for your order #{order.number}"
    assert mail.text.startswith("Hello,\n\nThank you for your order")
    assert "Total: 8.00 USD" in mail.text
    assert "points" not in mail.text
    assert not Interaction.objects.filter(kind=InteractionKind.THANK_YOU_SENT).exists()


def test_a_first_order_gets_the_welcome_and_the_second_the_thank_you(
    mail_shop, channel, configure, customer, inbox
):
    configure(channel, email_first_order=True)

    first = pay(mail_shop, customer, "20.00")
    second = pay(mail_shop, customer, "30.00")

    welcome, thanks = inbox.to("ann@example.com")
    assert welcome.subject == (
        f"Welcome, Ann! Thank you for your first order, #{first.number}"
    )
    assert f"Your very first order with us, #{first.number}" in welcome.text
    assert "Thank you for giving Kinship Coffee a try" in welcome.text
    assert thanks.subject == f"Ann, thank you for your order #{second.number}"
    assert "first" not in thanks.text
    assert list(Delivery.objects.order_by("pk").values_list("trigger", flat=True)) == [
        "first_order",
        "thank_you",
    ]


def test_an_order_paid_while_e_mails_were_off_still_counts_as_her_first(
    mail_shop, channel, configure, customer, inbox
):
    configure(channel, email_thank_you=False)
    pay(mail_shop, customer, "20.00")
    configure(channel, email_thank_you=True, email_first_order=True)

    second = pay(mail_shop, customer, "30.00")

    [mail] = inbox.messages
    assert mail.subject == f"Ann, thank you for your order #{second.number}"


def test_the_template_edited_in_the_configuration_is_the_one_sent(
    mail_shop, channel, configure, customer, inbox
):
    configure(
        channel,
        email_thank_you_subject="Order {{order.number}} is on its way, "
        "{{customer.first_name}}",
        email_thank_you_body="<p>Dear {{customer.first_name}},</p>"
        "<p>{{#each order.lines}}{{quantity}} {{product_name}}; {{/each}}</p>"
        "<p>{{points.earned}} points. {{shop.name}}</p>",
    )

    order = pay(mail_shop, customer, "10.00")

    [mail] = inbox.messages
    assert mail.subject == f"Order {order.number} is on its way, Ann"
    assert mail.text == "Dear Ann,\n\n1 Product 1;\n\n10 points. Kinship Coffee"


def test_values_are_escaped_in_the_html_and_plain_in_the_text(mail_shop, shop, inbox):
    customer = shop.create_customer("eve@example.com", first_name='<b>Eve</b> & "Co"')

    pay(mail_shop, customer)

    [mail] = inbox.messages
    assert "<p>Hello &lt;b&gt;Eve&lt;/b&gt; &amp; &quot;Co&quot;,</p>" in mail.html
    assert "<b>" not in mail.html
    assert mail.text.startswith('Hello <b>Eve</b> & "Co",')
    assert mail.subject.startswith('<b>Eve</b> & "Co", thank you')


def test_thank_you_switched_off_sends_nothing(
    mail_shop, channel, configure, customer, inbox
):
    configure(channel, email_thank_you=False)

    pay(mail_shop, customer)

    assert inbox.messages == []


def test_each_channel_sends_through_its_own_server(
    shop, channel, channel_pln, use_smtp, smtp_server, customer
):
    other_server = SmtpServer(free_port()).start()
    try:
        use_smtp(smtp_server)
        use_smtp(other_server, channel_pln, sender_address="sklep@kinship.test")

        order = pay(shop, customer, "40.00", channel=channel_pln)

        assert smtp_server.inbox.messages == []
        [mail] = other_server.inbox.messages
        assert str(mail.message["From"]) == "Kinship Coffee <sklep@kinship.test>"
        assert "Total: 40.00 PLN" in mail.text
        assert f"#{order.number}" in mail.subject
    finally:
        other_server.stop()


def test_an_old_order_paid_now_gets_no_thank_you(mail_shop, customer, inbox):
    pay(mail_shop, customer, created_at=timezone.now() - timedelta(days=30))

    assert inbox.messages == []


def test_the_host_s_email_settings_serve_when_the_channel_has_no_server(
    shop, customer, smtp_server, settings
):
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = smtp_server.port
    settings.DEFAULT_FROM_EMAIL = "orders@host.test"

    pay(shop, customer)

    [mail] = smtp_server.inbox.messages
    assert mail.envelope_from == "orders@host.test"
    assert mail.envelope_to == ["ann@example.com"]


def test_a_customer_brought_by_a_reseller_reads_her_name(
    mail_shop, customer, staff_user, inbox
):
    from saleor_kinship.core.requestor import Requestor
    from saleor_kinship.resellers import links, status
    from saleor_kinship.resellers.models import ResellerStatus

    staff = Requestor(user=staff_user, permissions=frozenset({"MANAGE_USERS"}))
    rita = mail_shop.create_customer(
        "rita@example.com", first_name="Rita", last_name="Moss"
    )
    reseller = status.apply(rita, "", Requestor(user=rita))
    status.change_status(reseller.pk, ResellerStatus.APPROVED, "", staff)
    links.link(customer.pk, reseller.pk, timezone.now(), staff)

    pay(mail_shop, customer)

    [mail] = inbox.to("ann@example.com")
    assert (
        "Rita Moss is always glad to help if you have any questions, and so are "
        "we." in mail.text
    )
    assert "rita@example.com" not in mail.text


def test_an_order_paid_before_it_was_created_is_thanked_from_its_first_event(
    mail_shop, customer, inbox, run_events
):
    # A checkout paid in full becomes an order that is paid when created.
    order = mail_shop.place_order("18.00", customer=customer)
    order.charged = order.total
    order.save()
    created = order_payload(OrderEventKind.CREATED, mail_shop.orders.snapshot(order))

    run_events(handle_order_event, created)
    mail_shop.mark_paid(order)

    [mail] = inbox.messages
    assert mail.subject == f"Ann, thank you for your order #{order.number}"


@pytest.mark.parametrize(
    "change",
    [{"status": "canceled"}, {"refunded": "18.00"}],
    ids=["cancelled", "refunded"],
)
def test_a_late_paid_event_of_a_cancelled_or_refunded_order_thanks_nobody(
    mail_shop, customer, inbox, run_events, change
):
    order = mail_shop.place_order("18.00", customer=customer)
    order.charged = order.total
    order.save()
    values = {**mail_shop.orders.snapshot(order).to_dict(), **change}

    run_events(handle_order_event, {"kind": "paid", "order": values})

    assert inbox.messages == []
    assert not Delivery.objects.exists()
