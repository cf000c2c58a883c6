"""What staff see before anything is sent: previews and test e-mails.

A preview renders with a real customer or order where one is given. An
order's values come from the snapshot kept on its thank-you delivery, or
from the host when none was queued; what no real source gives is filled
with the examples.
"""

from dataclasses import dataclass
from email.utils import parseaddr
from typing import Any

from django.core.mail import make_msgid

from ..core.host import get_host
from . import ORDER_TRIGGERS, Trigger
from .compose import Composed, build_message, render_configured, sender_of, shop_name
from .context import build_context
from .events import order_key
from .models import Delivery
from .smtp import SmtpSettings, send
from .templates import RenderedEmail, TemplateError, sample_context, validate_template


class PreviewError(ValueError):
    """A preview that cannot be made; `errors` maps each argument to why."""

    def __init__(self, errors: dict[str, str], code: str = "invalid"):
        super().__init__("; ".join(errors.values()))
        self.errors = errors
        self.code = code


@dataclass(frozen=True)
class Draft:
    """Templates under edit; None means the channel's configured one."""

    subject: str | None = None
    body: str | None = None


def _order_context(trigger: Trigger, order_id: str) -> tuple[dict[str, Any], str]:
    delivery = (
        Delivery.objects.select_related("customer")
        .filter(key=order_key(order_id))
        .first()
    )
    if delivery is None:
        # No thank-you was queued for this order: ask the host for it as it is.
        order = get_host().order_snapshot(order_id)
        if order is None:
            raise PreviewError({"orderId": "There is no such order."}, "not_found")
        delivery = Delivery(
            payload={"order": order.to_dict()},
            customer_id=order.customer_id,
            channel=order.channel,
        )
    name = shop_name(get_host().channel_settings(delivery.channel))
    context = build_context(delivery, trigger, delivery.customer, name)
    return context, delivery.channel


def _customer_context(trigger: Trigger, customer: Any, channel: str) -> dict[str, Any]:
    sample = sample_context(trigger)
    payload: dict[str, Any] = {}
    if trigger in ORDER_TRIGGERS:
        latest = (
            Delivery.objects.filter(
                customer_id=customer.pk,
                trigger__in=[t.value for t in ORDER_TRIGGERS],
            )
            .order_by("-created_at", "-pk")
            .first()
        )
        payload = latest.payload if latest is not None else {}
    delivery = Delivery(
        customer_id=customer.pk, channel=channel, trigger=trigger, payload=payload
    )
    name = shop_name(get_host().channel_settings(channel))
    context = build_context(delivery, trigger, customer, name)
    # The cause of the e-mail (an order, a tier, an expiry) is an example.
    if trigger in ORDER_TRIGGERS and "order" not in context:
        context["order"] = sample["order"]
    if trigger == Trigger.TIER_REACHED:
        context["tier"] = sample["tier"]
        # One who never earned a point has no balance yet to show beside it.
        context["points"] = {**sample["points"], **context.get("points", {})}
    if trigger == Trigger.POINTS_EXPIRING:
        context["points"] = {**sample["points"], **context.get("points", {})}
        context["points"]["expiring"] = sample["points"]["expiring"]
        context["points"]["expire_on"] = sample["points"]["expire_on"]
    return context


def channel_to_use(channel: str | None) -> str:
    """Return the slug given, or the default channel's; refuse an unknown one."""
    if not channel:
        return get_host().default_channel_slug()
    if not get_host().channel_exists(channel):
        raise PreviewError(
            {"channel": "There is no channel with this slug."}, "not_found"
        )
    return channel


def preview(
    trigger: Trigger,
    *,
    draft: Draft,
    channel: str | None = None,
    order_id: str | None = None,
    customer: Any = None,
) -> RenderedEmail:
    """Render an e-mail without sending it; raise PreviewError for bad input."""
    channel = channel_to_use(channel)
    if order_id is not None:
        if trigger not in ORDER_TRIGGERS:
            raise PreviewError(
                {"orderId": "Only thank-you and first-order e-mails name an order."}
            )
        context, channel = _order_context(trigger, order_id)
    elif customer is not None:
        context = _customer_context(trigger, customer, channel)
    else:
        context = sample_context(trigger)

    problems = {}
    for field, source in (("subject", draft.subject), ("body", draft.body)):
        try:
            if source:
                validate_template(trigger, source)
        except TemplateError as error:
            problems[field] = str(error)
    if problems:
        raise PreviewError(problems)
    channel_settings = get_host().channel_settings(channel)
    return render_configured(
        trigger, channel_settings, context, subject=draft.subject, body=draft.body
    )


def send_test(trigger: Trigger, recipient: str, channel: str | None = None) -> None:
    """Send the channel's e-mail, filled with examples, to a staff member now.

    Raises PreviewError for an unknown channel, and SendError or
    OutcomeUnknown (from emails.smtp) when sending fails.
    """
    channel = channel_to_use(channel)
    channel_settings = get_host().channel_settings(channel)
    name = shop_name(channel_settings)
    context = sample_context(trigger)
    context["shop"] = {"name": name}
    email = render_configured(trigger, channel_settings, context)
    sender = sender_of(channel_settings, name)
    composed = Composed(
        recipient=recipient,
        sender=sender,
        email=RenderedEmail(f"[Test] {email.subject}", email.html, email.text),
        smtp=SmtpSettings.of_channel(channel_settings),
        trigger=trigger,
    )
    domain = parseaddr(sender)[1].rpartition("@")[2] or None
    send(composed.smtp, build_message(composed, make_msgid("kinship-test", domain)))
