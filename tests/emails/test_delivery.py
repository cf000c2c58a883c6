"""One e-mail per key, whatever the SMTP server does: down, refusing, hanging up."""

from datetime import timedelta

import pytest
from celery.exceptions import Retry
from django.utils import timezone

from saleor_kinship.emails.models import Delivery
from saleor_kinship.emails.sending import STALE_MESSAGE, attempt
from saleor_kinship.emails.tasks import send_email, sweep_deliveries

from .conftest import SmtpServer, free_port, password_check

pytestmark = pytest.mark.smtp


@pytest.fixture
def down_shop(shop, smtp_down, use_smtp):
    """The shop, its channel pointing at a server that is not up yet."""
    use_smtp(smtp_down)
    return shop


def paid_order(shop, customer):
    return shop.mark_paid(shop.place_order("10.00", customer=customer))


def test_smtp_down_then_back_sends_exactly_one_e_mail(down_shop, smtp_down, customer):
    order = paid_order(down_shop, customer)  # the first attempt runs at once

    delivery = Delivery.objects.get()
    assert delivery.status == "failed"
    assert delivery.attempts == 1
    assert delivery.last_error == (
        f"The SMTP server 127.0.0.1:{smtp_down.port} refused the connection "
        "(nothing listens)."
    )
    # The next attempt is due a minute later, and Celery is told so.
    pause = delivery.next_attempt_at - delivery.updated_at
    assert abs(pause - timedelta(minutes=1)) < timedelta(seconds=1)
    with pytest.raises(Retry) as second_attempt:
        send_email.apply(args=[delivery.pk], retries=1)
    assert second_attempt.value.when == 120  # seconds; doubles each time
    assert Delivery.objects.get().attempts == 2

    smtp_down.start()
    send_email.apply(args=[delivery.pk], retries=2)
    send_email.apply(args=[delivery.pk], retries=3)  # a duplicate of the task

    [mail] = smtp_down.inbox.messages
    assert mail.envelope_to == ["ann@example.com"]
    assert f"#{order.number}" in mail.subject
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("sent", 3, "")
    assert delivery.next_attempt_at is None


def test_a_hang_up_after_the_message_went_in_is_unknown_and_never_resent(
    mail_shop, smtp_server, customer
):
    smtp_server.inbox.hang_up_after_data = True

    paid_order(mail_shop, customer)

    delivery = Delivery.objects.get()
    assert delivery.status == "unknown"
    assert "it may have reached the customer" in delivery.last_error
    assert len(smtp_server.inbox.messages) == 1  # the server did take it

    smtp_server.inbox.hang_up_after_data = False
    send_email.apply(args=[delivery.pk])
    sweep_deliveries.apply()

    assert len(smtp_server.inbox.messages) == 1
    assert Delivery.objects.get().status == "unknown"


def test_a_claim_left_by_a_dead_worker_turns_unknown_not_resent(
    mail_shop, smtp_server, customer
):
    smtp_server.stop()
    paid_order(mail_shop, customer)
    smtp_server.start()
    # A worker claimed the retry, then died in the middle of the conversation.
    Delivery.objects.update(
        status="sending", claimed_at=timezone.now() - timedelta(minutes=20)
    )

    outcome = attempt(Delivery.objects.get().pk)

    assert outcome.status is None
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.last_error) == ("unknown", STALE_MESSAGE)
    assert smtp_server.inbox.messages == []


def test_a_fresh_claim_is_left_to_the_attempt_that_holds_it(
    mail_shop, smtp_server, customer
):
    smtp_server.stop()
    paid_order(mail_shop, customer)
    smtp_server.start()
    Delivery.objects.update(status="sending", claimed_at=timezone.now())

    send_email.apply(args=[Delivery.objects.get().pk])
    sweep_deliveries.apply()

    assert Delivery.objects.get().status == "sending"
    assert smtp_server.inbox.messages == []


def test_a_refused_recipient_fails_for_good_with_the_server_s_words(
    mail_shop, smtp_server, customer
):
    smtp_server.inbox.refuse_recipients["ann@example.com"] = "550 No such mailbox"

    paid_order(mail_shop, customer)

    delivery = Delivery.objects.get()
    assert delivery.status == "failed"
    assert delivery.last_error == (
        "The SMTP server refused the recipient: 550 No such mailbox"
    )
    assert delivery.next_attempt_at is None  # no automatic retry
    send_email.apply(args=[delivery.pk])
    assert Delivery.objects.get().attempts == 1
    assert smtp_server.inbox.messages == []


def test_a_temporary_refusal_is_retried(mail_shop, smtp_server, customer):
    smtp_server.inbox.refuse_recipients["ann@example.com"] = "451 Try again later"

    paid_order(mail_shop, customer)

    delivery = Delivery.objects.get()
    assert delivery.status == "failed"
    assert delivery.next_attempt_at is not None
    smtp_server.inbox.refuse_recipients.clear()
    send_email.apply(args=[delivery.pk], retries=1)
    assert Delivery.objects.get().status == "sent"
    assert len(smtp_server.inbox.messages) == 1


# The loopback server asks for a password without TLS; aiosmtpd warns.
@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_wrong_smtp_credentials_are_recorded_not_raised(shop, use_smtp, customer):
    server = SmtpServer(
        free_port(),
        authenticator=password_check("shop", "right"),
        auth_require_tls=False,
        auth_required=True,
    ).start()
    try:
        use_smtp(server, smtp_user="shop", smtp_password="wrong")

        order = paid_order(shop, customer)  # the order flow goes on

        delivery = Delivery.objects.get()
        assert delivery.status == "failed"
        assert delivery.last_error.startswith(
            f"The SMTP server 127.0.0.1:{server.port} refused the user name or "
            "password: 535"
        )
        assert order.charged == order.total
        assert server.inbox.messages == []

        use_smtp(server, smtp_user="shop", smtp_password="right")
        send_email.apply(args=[delivery.pk], retries=1)
        [mail] = server.inbox.messages
        assert mail.envelope_to == ["ann@example.com"]
    finally:
        server.stop()


def test_starttls_against_a_server_without_it_says_what_to_change(
    mail_shop, smtp_server, use_smtp, customer
):
    use_smtp(smtp_server, smtp_security="starttls")

    paid_order(mail_shop, customer)

    assert Delivery.objects.get().last_error == (
        f"The SMTP server 127.0.0.1:{smtp_server.port} does not offer STARTTLS; "
        "choose 'ssl' or 'none' in 'SMTP security'."
    )


def test_retries_stop_after_the_last_attempt(down_shop, customer):
    from saleor_kinship.emails.sending import MAX_ATTEMPTS

    paid_order(down_shop, customer)
    Delivery.objects.update(attempts=MAX_ATTEMPTS - 1)

    send_email.apply(args=[Delivery.objects.get().pk], retries=MAX_ATTEMPTS)

    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("failed", MAX_ATTEMPTS)
    assert delivery.next_attempt_at is None


def test_the_sweep_sends_what_the_broker_lost(mail_shop, smtp_server, customer):
    smtp_server.stop()
    paid_order(mail_shop, customer)
    smtp_server.start()
    # The retry message was lost; its time passed long ago.
    Delivery.objects.update(next_attempt_at=timezone.now() - timedelta(hours=1))

    assert sweep_deliveries.apply().get() == 1

    assert Delivery.objects.get().status == "sent"
    assert len(smtp_server.inbox.messages) == 1
    assert sweep_deliveries.apply().get() == 0
