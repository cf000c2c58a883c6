"""Birthday greetings, points reminders and tier congratulations, as received."""

from datetime import UTC, date, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from saleor_kinship.emails.models import Delivery
from saleor_kinship.emails.occasions import (
    send_birthday_emails,
    send_points_expiring_emails,
)
from saleor_kinship.emails.receivers import is_rise
from saleor_kinship.interactions.models import Interaction, InteractionKind
from saleor_kinship.loyalty.config import Tier

from .conftest import set_profile

pytestmark = pytest.mark.smtp

WARSAW = "Europe/Warsaw"


@pytest.fixture
def birthdays(mail_shop, channel, configure, run_events):
    """Birthday e-mails on at 09:00 Warsaw time; returns a runner at a moment."""
    configure(channel, email_birthday=True, time_zone=WARSAW, email_hour="9")

    def run(moment: str):
        return run_events(send_birthday_emails, datetime.fromisoformat(moment))

    return run


@pytest.fixture
def leap_day_customer(shop):
    customer = shop.create_customer("leap@example.com", first_name="Lea")
    set_profile(customer, birthday=(29, 2, 1992))
    return customer


@pytest.fixture
def feb_28_customer(shop):
    customer = shop.create_customer("feb@example.com", first_name="Fay")
    set_profile(customer, birthday=(28, 2, None))
    return customer


def greeted(inbox) -> list[str]:
    return sorted(address for mail in inbox.messages for address in mail.envelope_to)


def test_a_birthday_greeting_arrives_on_the_day(
    birthdays, shop, inbox, feb_28_customer
):
    birthdays("2027-02-28T10:00+01:00")

    [mail] = inbox.messages
    assert mail.envelope_to == ["feb@example.com"]
    assert mail.subject == "Happy birthday, Fay!"
    assert mail.text == (
        "Hello Fay,\n\n"
        "Everyone at Kinship Coffee wishes you a very happy birthday. We hope your "
        "day is full of good things.\n\n"
        "Warmest wishes,\nKinship Coffee"
    )
    delivery = Delivery.objects.get()
    assert delivery.key == f"birthday:{feb_28_customer.pk}:2027"
    entry = Interaction.objects.get(key=f"email:{delivery.pk}")
    assert (entry.kind, entry.summary) == (
        InteractionKind.EMAIL,
        "E-mail sent: Happy birthday, Fay!",
    )


def test_29_february_is_celebrated_on_28_february_in_2027(
    birthdays, inbox, leap_day_customer, feb_28_customer
):
    birthdays("2027-02-28T09:00+01:00")

    assert greeted(inbox) == ["feb@example.com", "leap@example.com"]
    birthdays("2027-03-01T09:00+01:00")
    assert len(inbox.messages) == 2


def test_29_february_is_celebrated_on_its_own_day_in_2028(
    birthdays, inbox, leap_day_customer, feb_28_customer
):
    birthdays("2028-02-28T09:00+01:00")
    assert greeted(inbox) == ["feb@example.com"]

    birthdays("2028-02-29T09:00+01:00")
    assert greeted(inbox) == ["feb@example.com", "leap@example.com"]
    assert inbox.to("leap@example.com")[0].subject == "Happy birthday, Lea!"


def test_one_greeting_a_year_however_often_the_task_runs(
    birthdays, inbox, feb_28_customer
):
    for hour in ("09:00", "10:00", "23:59"):
        birthdays(f"2027-02-28T{hour}+01:00")
    assert len(inbox.messages) == 1

    birthdays("2028-02-28T09:00+01:00")
    assert len(inbox.messages) == 2


def test_greetings_wait_for_the_hour_in_the_shop_s_time_zone(
    birthdays, inbox, feb_28_customer
):
    # 07:59 UTC is 08:59 in Warsaw: too early.
    assert birthdays("2027-02-28T07:59+00:00").queued == 0
    assert inbox.messages == []

    # 08:00 UTC is 09:00 in Warsaw.
    assert birthdays("2027-02-28T08:00+00:00").queued == 1
    assert len(inbox.messages) == 1


def test_the_shop_s_day_not_the_server_s_decides(
    birthdays, channel, configure, inbox, feb_28_customer
):
    configure(channel, email_hour="0")

    # 23:30 UTC on the 27th is already the 28th in Warsaw.
    birthdays("2027-02-27T23:30+00:00")

    assert greeted(inbox) == ["feb@example.com"]


def test_no_greeting_for_a_customer_who_opted_out(birthdays, inbox, feb_28_customer):
    set_profile(feb_28_customer, email_consent=False)

    birthdays("2027-02-28T10:00+01:00")

    assert inbox.messages == []
    assert not Delivery.objects.exists()


def test_birthday_greetings_are_off_until_switched_on(
    mail_shop, inbox, feb_28_customer, run_events
):
    run = run_events(send_birthday_emails, datetime(2027, 2, 28, 12, tzinfo=UTC))

    assert run.note == "birthday e-mails are switched off"
    assert inbox.messages == []


def test_the_birthday_command_says_what_it_did(
    birthdays, inbox, feb_28_customer, run_events
):
    out = StringIO()

    run_events(
        call_command, "kinship_send_birthdays", "--now", "2027-02-28T09:30", stdout=out
    )

    assert out.getvalue() == (
        "Queued 1 birthday e-mail(s) for 28 February 2027 (Europe/Warsaw).\n"
    )
    assert greeted(inbox) == ["feb@example.com"]

    out = StringIO()
    call_command("kinship_send_birthdays", "--now", "2027-03-01T08:00", stdout=out)
    assert out.getvalue() == (
        "No birthday e-mails queued for 1 March 2027 (Europe/Warsaw): they go "
        "from 09:00.\n"
    )


def test_the_birthday_command_refuses_a_bad_time_in_one_line(db):
    with pytest.raises(CommandError) as refused:
        call_command("kinship_send_birthdays", "--now", "yesterday")

    assert str(refused.value) == (
        "Error: argument --now: 'yesterday' is not a time like 2027-02-28T09:00 "
        "(or with +01:00)."
    )


# --- points about to expire -------------------------------------------------


@pytest.fixture
def expiring(mail_shop, channel, configure, customer):
    configure(
        channel,
        email_points_expiring=True,
        points_expiry_months="1",
        expiry_warning_days="45",
    )
    order = mail_shop.place_order("120.00", customer=customer)
    mail_shop.mark_paid(order)
    return order


def test_a_reminder_names_the_points_and_the_day(expiring, inbox, customer, run_events):
    today = timezone.now().date()

    run = run_events(send_points_expiring_emails, today)

    assert run.queued == 1
    reminder = [mail for mail in inbox.messages if "expire" in mail.subject]
    [mail] = reminder
    delivery = Delivery.objects.get(trigger="points_expiring")
    expire_on = date.fromisoformat(delivery.payload["expire_on"])
    shown = f"{expire_on.day} {expire_on:%B %Y}"
    assert mail.envelope_to == ["ann@example.com"]
    assert mail.subject == (f"A gentle reminder: 120 of your points expire on {shown}")
    assert (
        f"Just a friendly note: 120 of your points will expire on {shown}. Your "
        "balance today is 120 points." in mail.text
    )
    assert delivery.key == f"points_expiring:{customer.pk}:{expire_on.isoformat()}"


def test_one_reminder_per_expiry_day(expiring, inbox, run_events):
    today = timezone.now().date()

    for _ in range(3):
        run_events(send_points_expiring_emails, today)
    run_events(send_points_expiring_emails, today + timedelta(days=1))

    assert Delivery.objects.filter(trigger="points_expiring").count() == 1
    assert len([mail for mail in inbox.messages if "expire" in mail.subject]) == 1


def test_the_points_command_reports_and_respects_the_switch(
    expiring, channel, configure, inbox
):
    out = StringIO()
    call_command(
        "kinship_send_points_expiring",
        "--today",
        timezone.now().date().isoformat(),
        stdout=out,
    )
    assert out.getvalue().startswith("Queued 1 points-expiring e-mail(s) for ")

    configure(channel, email_points_expiring=False)
    out = StringIO()
    call_command("kinship_send_points_expiring", "--today", "2031-05-01", stdout=out)
    assert out.getvalue() == (
        "No points-expiring e-mails queued for 1 May 2031: points-expiring "
        "e-mails are switched off.\n"
    )


# --- a higher tier ----------------------------------------------------------

TIERS = (Tier("Bronze", 0), Tier("Silver", 500), Tier("Gold", 2000))


@pytest.mark.parametrize(
    ("previous", "tier", "rise"),
    [
        ("Bronze", "Silver", True),
        ("", "Gold", True),
        ("Silver", "Bronze", False),
        ("", "Bronze", False),
        ("Gold", "Gold", False),
        ("Platinum", "Silver", True),
        ("Silver", "", False),
    ],
)
def test_only_a_rise_counts(previous, tier, rise):
    assert is_rise(previous, tier, TIERS) is rise


@pytest.fixture
def tier_emails(mail_shop, channel, configure):
    configure(channel, email_tier_reached=True, tiers="Bronze: 0, Silver: 100")
    return mail_shop


def test_reaching_a_higher_tier_brings_congratulations(tier_emails, customer, inbox):
    order = tier_emails.place_order("150.00", customer=customer)
    tier_emails.mark_paid(order)

    [congratulations] = [m for m in inbox.messages if "member" in m.subject]
    assert congratulations.envelope_to == ["ann@example.com"]
    assert congratulations.subject == "Ann, you are now a Silver member!"
    assert congratulations.text == (
        "Hello Ann,\n\n"
        "Good news: you are now a Silver member, up from Bronze. Thank you for "
        "coming back to us again and again; it means a great deal.\n\n"
        "Your points balance stands at 150.\n\n"
        "Warmly,\nKinship Coffee"
    )
    delivery = Delivery.objects.get(trigger="tier_reached")
    assert delivery.payload == {"tier": "Silver", "previous": "Bronze"}


def test_a_fall_or_the_first_tier_brings_no_e_mail(tier_emails, customer, inbox):
    order = tier_emails.place_order("50.00", customer=customer)
    tier_emails.mark_paid(order)  # Bronze, from no tier

    assert not Delivery.objects.filter(trigger="tier_reached").exists()
    assert [m for m in inbox.messages if "member" in m.subject] == []


def test_tier_e_mails_are_off_until_switched_on(
    mail_shop, channel, configure, customer, inbox
):
    configure(channel, tiers="Bronze: 0, Silver: 100")
    mail_shop.mark_paid(mail_shop.place_order("150.00", customer=customer))

    assert not Delivery.objects.filter(trigger="tier_reached").exists()


def test_a_failing_tier_e_mail_never_undoes_the_tier_change(
    tier_emails, customer, monkeypatch
):
    from saleor_kinship.loyalty.api import account_of

    def broken(*args, **kwargs):
        raise RuntimeError("mail queue is broken")

    monkeypatch.setattr("saleor_kinship.emails.receivers.queue_delivery", broken)

    tier_emails.mark_paid(tier_emails.place_order("150.00", customer=customer))

    assert account_of(customer.pk).tier == "Silver"
    assert not Delivery.objects.filter(trigger="tier_reached").exists()


def test_the_beat_schedule_names_registered_tasks():
    from celery import current_app

    import saleor_kinship.tasks  # noqa: F401  (what the worker imports)
    from saleor_kinship.emails.schedule import EMAIL_BEAT_SCHEDULE

    for entry in EMAIL_BEAT_SCHEDULE.values():
        assert entry["task"] in current_app.tasks, entry["task"]
