"""The e-mail fields of the plugin's configuration, one form per channel.

Order e-mails (thank-you, first order) follow the order's channel; the
e-mails about a customer herself (tier reached, birthday, points expiring)
follow the default channel, as the loyalty programme does.
"""

import ipaddress
import re
from collections.abc import Callable
from typing import Any

from ..core.configuration import (
    Field,
    boolean,
    choice,
    email_or_blank,
    integer_between,
    text,
)
from . import Trigger
from .templates import validate_template

SMTP_SECURITY = ("starttls", "ssl", "none")

_HOST_LABEL = re.compile(r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)\Z")


def template_or_blank(trigger: Trigger) -> Callable[[Any], str]:
    """Return a parser that keeps a template only if it is safe for the trigger."""

    def parse(value: Any) -> str:
        source = "" if value is None else str(value)
        if not source.strip():
            return ""
        validate_template(trigger, source)  # TemplateError is a ValueError
        return source

    return parse


def smtp_host(value: Any) -> str:
    host = text(value)
    if not host:
        return ""
    if "://" in host or "/" in host:
        raise ValueError("Enter only the server's name, such as smtp.example.com.")
    try:
        ipaddress.ip_address(host.strip("[]"))
        return host.strip("[]")
    except ValueError:
        pass
    if ":" in host:
        raise ValueError("Enter the port in 'SMTP port', not after the host name.")
    labels = host.rstrip(".").split(".")
    if len(host) > 253 or not all(_HOST_LABEL.match(label) for label in labels):
        raise ValueError(f"'{host}' is not a host name, such as smtp.example.com.")
    return host


def port_or_blank(value: Any) -> int | None:
    """Return a TCP port, or None to use the usual port of the security mode."""
    if not text(value):
        return None
    return integer_between(1, 65535)(value)


def sender(value: Any) -> str:
    # A line break in an address would let a value add its own mail headers.
    if re.search(r"[\r\n]", "" if value is None else str(value)):
        raise ValueError("The sender address must be on one line.")
    return email_or_blank(value)


def one_line(value: Any) -> str:
    if re.search(r"[\r\n]", "" if value is None else str(value)):
        raise ValueError("Enter this on one line.")
    return text(value)


def secret(value: Any) -> str:
    # Passwords keep their spaces: a leading space may be part of one.
    return "" if value is None else str(value)


_TRIGGER_SWITCHES = [
    Field(
        "email_thank_you",
        "Send thank-you e-mails",
        "E-mail a customer a personal thank-you once her order is fully paid.",
        True,
        boolean,
        kind="boolean",
    ),
    Field(
        "email_first_order",
        "Send a first-order welcome instead",
        "For a customer's first paid order, send the warmer first-order e-mail "
        "instead of the thank-you.",
        False,
        boolean,
        kind="boolean",
    ),
    Field(
        "thank_you_guests",
        "Thank guests too",
        "Also thank customers who ordered without an account, at the order's "
        "e-mail address.",
        False,
        boolean,
        kind="boolean",
    ),
    Field(
        "email_tier_reached",
        "Send tier e-mails",
        "Programme-wide. Congratulate a customer when she rises to a higher tier.",
        False,
        boolean,
        kind="boolean",
    ),
    Field(
        "email_birthday",
        "Send birthday e-mails",
        "Programme-wide. Wish customers a happy birthday on the day, in the "
        "shop's time zone. Customers born on 29 February are greeted on 28 "
        "February in other years.",
        False,
        boolean,
        kind="boolean",
    ),
    Field(
        "email_hour",
        "Birthday and reminder e-mails go at (hour)",
        "Programme-wide. The hour of the day, 0 to 23 in the shop's time zone, "
        "from which birthday greetings and points reminders are sent.",
        "9",
        integer_between(0, 23),
    ),
    Field(
        "email_points_expiring",
        "Send points-expiring reminders",
        "Programme-wide. Remind a customer when some of her points expire "
        "within the expiry warning days.",
        False,
        boolean,
        kind="boolean",
    ),
]

_LABELS = {
    Trigger.THANK_YOU: "Thank-you",
    Trigger.FIRST_ORDER: "First-order",
    Trigger.TIER_REACHED: "Tier reached",
    Trigger.BIRTHDAY: "Birthday",
    Trigger.POINTS_EXPIRING: "Points expiring",
}


def subject_field(trigger: Trigger) -> str:
    return f"email_{trigger.value}_subject"


def body_field(trigger: Trigger) -> str:
    return f"email_{trigger.value}_body"


def _template_fields(trigger: Trigger) -> list[Field]:
    label = _LABELS[trigger]
    return [
        Field(
            subject_field(trigger),
            f"{label} e-mail: subject",
            "Handlebars, such as {{customer.first_name}}, thank you! Leave "
            "empty for kinship's own wording.",
            "",
            template_or_blank(trigger),
        ),
        Field(
            body_field(trigger),
            f"{label} e-mail: body (HTML)",
            "Handlebars HTML; every value is escaped. Leave empty for kinship's "
            "own warm default. The variables are listed in the README.",
            "",
            template_or_blank(trigger),
            kind="multiline",
        ),
    ]


_SMTP_FIELDS = [
    Field(
        "sender_address",
        "Sender address",
        "The From address, such as Kinship Coffee <hello@example.com>. Empty: "
        "the host's DEFAULT_FROM_EMAIL.",
        "",
        sender,
    ),
    Field(
        "smtp_host",
        "SMTP server",
        "The host name of the SMTP server that sends this channel's e-mails. "
        "Empty: the host's EMAIL_* settings, and the fields below are ignored.",
        "",
        smtp_host,
    ),
    Field(
        "smtp_port",
        "SMTP port",
        "1 to 65535. Empty: 587 with starttls, 465 with ssl, 25 with none.",
        "",
        port_or_blank,
    ),
    Field(
        "smtp_security",
        "SMTP security",
        "'starttls' (upgrade a plain connection, usually port 587), 'ssl' "
        "(TLS from the start, usually port 465) or 'none'.",
        "starttls",
        choice(*SMTP_SECURITY),
    ),
    Field(
        "smtp_user",
        "SMTP user name",
        "The user name for the SMTP server; empty to send without signing in.",
        "",
        one_line,
    ),
    Field(
        "smtp_password",
        "SMTP password",
        "The password for the SMTP user name.",
        "",
        secret,
        kind="password",
    ),
]

EMAIL_FIELDS: list[Field] = [
    *_TRIGGER_SWITCHES,
    *(field for trigger in Trigger for field in _template_fields(trigger)),
    *_SMTP_FIELDS,
]

# The switch that turns each trigger on in a channel.
TRIGGER_SWITCH = {
    Trigger.THANK_YOU: "email_thank_you",
    Trigger.FIRST_ORDER: "email_first_order",
    Trigger.TIER_REACHED: "email_tier_reached",
    Trigger.BIRTHDAY: "email_birthday",
    Trigger.POINTS_EXPIRING: "email_points_expiring",
}
