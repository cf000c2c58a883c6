"""Turning a delivery into the message its customer receives, from today's setup.

The configuration is read when the e-mail is sent, so an edited template, a
switched-off trigger or a withdrawn consent counts even for e-mails queued
before the change.
"""

import logging
from dataclasses import dataclass
from email.utils import formataddr, parseaddr
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives

from ..core.configuration import ChannelSettings
from ..core.host import get_host
from . import ORDER_TRIGGERS, Trigger
from .config import TRIGGER_SWITCH, body_field, subject_field
from .context import build_context
from .defaults import default_template
from .deliveries import consenting
from .models import Delivery
from .smtp import SmtpSettings
from .templates import RenderedEmail, TemplateError, render

logger = logging.getLogger(__name__)

TRIGGER_NAMES = {
    Trigger.THANK_YOU: "Thank-you",
    Trigger.FIRST_ORDER: "First-order",
    Trigger.TIER_REACHED: "Tier",
    Trigger.BIRTHDAY: "Birthday",
    Trigger.POINTS_EXPIRING: "Points-expiring",
}


class Skip(Exception):
    """The e-mail is not to be sent at all; the message says why."""


@dataclass(frozen=True)
class Composed:
    """Everything an attempt needs: who, from whom, what, and through which server."""

    recipient: str
    sender: str
    email: RenderedEmail
    smtp: SmtpSettings
    trigger: Trigger


def shop_name(channel_settings: ChannelSettings) -> str:
    if channel_settings.shop_name:
        return channel_settings.shop_name
    return get_host().programme_settings().shop_name


def sender_of(channel_settings: ChannelSettings, name: str) -> str:
    """Return the From address: the channel's, else DEFAULT_FROM_EMAIL, named."""
    address = channel_settings.sender_address or settings.DEFAULT_FROM_EMAIL
    shown, bare = parseaddr(address)
    if not shown and name:
        return formataddr((name, bare))
    return address


def render_configured(
    trigger: Trigger,
    channel_settings: ChannelSettings,
    context: dict[str, Any],
    *,
    subject: str | None = None,
    body: str | None = None,
) -> RenderedEmail:
    """Render the channel's templates (or the drafts given); defaults where empty.

    A stored template that fails at render time falls back to the default
    wording, so a customer never goes without her e-mail because of it.
    """
    default = default_template(trigger)
    chosen_subject = subject or channel_settings.as_dict().get(subject_field(trigger))
    chosen_body = body or channel_settings.as_dict().get(body_field(trigger))
    try:
        return render(
            trigger,
            chosen_subject or default.subject,
            chosen_body or default.html,
            context,
        )
    except TemplateError:
        if subject or body:
            raise
        logger.warning(
            "Kinship used the default %s e-mail: the stored one failed", trigger
        )
        return render(trigger, default.subject, default.html, context)


def _trigger_to_send(delivery: Delivery, channel_settings: ChannelSettings) -> Trigger:
    trigger = Trigger(delivery.trigger)
    if trigger == Trigger.FIRST_ORDER and not channel_settings.email_first_order:
        trigger = Trigger.THANK_YOU
    if not getattr(channel_settings, TRIGGER_SWITCH[trigger]):
        raise Skip(
            f"{TRIGGER_NAMES[trigger]} e-mails are switched off in channel "
            f"'{delivery.channel}'."
        )
    if delivery.customer_id is None and not channel_settings.thank_you_guests:
        raise Skip(
            f"Guest thank-yous are switched off in channel '{delivery.channel}'."
        )
    return trigger


def compose(delivery: Delivery) -> Composed:
    """Return the delivery's message as it would go out now, or raise Skip."""
    channel_settings = get_host().channel_settings(delivery.channel)
    trigger = _trigger_to_send(delivery, channel_settings)

    customer = None
    if delivery.customer_id is not None:
        if not consenting([delivery.customer_id]):
            raise Skip("The customer has opted out of e-mails or is not active.")
        customer = get_user_model()._default_manager.get(pk=delivery.customer_id)

    recipient = ""
    if trigger in ORDER_TRIGGERS:
        recipient = (delivery.payload.get("order") or {}).get("email") or ""
    if not recipient and customer is not None:
        recipient = customer.email
    if not recipient:
        raise Skip("There is no e-mail address to send to.")

    name = shop_name(channel_settings)
    context = build_context(delivery, trigger, customer, name)
    return Composed(
        recipient=recipient,
        sender=sender_of(channel_settings, name),
        email=render_configured(trigger, channel_settings, context),
        smtp=SmtpSettings.of_channel(channel_settings),
        trigger=trigger,
    )


def build_message(composed: Composed, message_id: str) -> EmailMultiAlternatives:
    """Return the MIME message: the plain text, with the HTML as its alternative."""
    message = EmailMultiAlternatives(
        subject=composed.email.subject,
        body=composed.email.text,
        from_email=composed.sender,
        to=[composed.recipient],
        headers={
            "Message-ID": message_id,
            # Sent by a program: vacation responders should not answer it.
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(composed.email.html, "text/html")
    # Shortcoming: no List-Unsubscribe header; customers opt out through the
    # e-mail consent of their profile.
    return message


def message_id(delivery: Delivery, sender: str) -> str:
    """Return the same Message-ID for every attempt at a delivery.

    A deliberate resend of an e-mail whose first outcome was unknown then
    carries the first one's id, and mail systems that saw it can drop it.
    """
    domain = parseaddr(sender)[1].rpartition("@")[2] or "kinship.invalid"
    return f"<kinship.delivery.{delivery.pk}@{domain}>"
