"""Personal e-mails: thank-yous after an order and greetings on occasions."""

from enum import StrEnum


class Trigger(StrEnum):
    """What makes the shop write to a customer; the values are stored keys."""

    THANK_YOU = "thank_you"
    FIRST_ORDER = "first_order"
    TIER_REACHED = "tier_reached"
    BIRTHDAY = "birthday"
    POINTS_EXPIRING = "points_expiring"


# The triggers whose e-mail is about one order.
ORDER_TRIGGERS = frozenset({Trigger.THANK_YOU, Trigger.FIRST_ORDER})


class DeliveryStatus(StrEnum):
    """Where one e-mail stands; see emails/sending.py for the transitions."""

    PENDING = "pending"  # queued, nobody has tried yet
    SENDING = "sending"  # claimed by an attempt that is talking to SMTP
    SENT = "sent"  # the server accepted it
    FAILED = "failed"  # refused or unreachable before the message went out
    UNKNOWN = "unknown"  # may or may not have arrived; never resent by itself
    SKIPPED = "skipped"  # not to be sent (opted out, switched off, no address)
