"""The order flow's part: a fully paid order gets its thank-you queued, once."""

import logging
from datetime import timedelta

from django.db import connection
from django.utils import timezone

from ..core.host import get_host
from ..core.snapshots import OrderEventKind, OrderSnapshot
from ..interactions.models import Interaction, InteractionKind
from . import ORDER_TRIGGERS, Trigger
from .deliveries import consenting, queue_delivery
from .models import Delivery

logger = logging.getLogger(__name__)

# Orders placed longer ago than this get no thank-you when their payment
# event arrives: an import of past orders must not write to their customers.
THANK_YOU_WITHIN = timedelta(days=14)

PAYING_EVENTS = frozenset({OrderEventKind.CREATED, OrderEventKind.PAID})

# Namespace of the advisory locks that serialise one customer's first order.
FIRST_ORDER_LOCK = 7_400_101


def order_key(order_id: str) -> str:
    return f"thank_you:{order_id}"


def _is_first_paid_order(customer_id: int, order_id: str) -> bool:
    """Tell whether kinship has seen no other paid order of the customer."""
    # Shortcoming: orders paid before kinship was installed are not seen, so
    # such a customer's next order gets the first-order welcome.
    with connection.cursor() as cursor:
        # Two first orders paid at once must not both be the first.
        # (Ids past 2**31 share locks; that only makes two customers wait.)
        cursor.execute(
            "SELECT pg_advisory_xact_lock(%s, (%s::bigint %% 2147483647)::int)",
            [FIRST_ORDER_LOCK, customer_id],
        )
    thanked = Delivery.objects.filter(
        customer_id=customer_id, trigger__in=[t.value for t in ORDER_TRIGGERS]
    ).exclude(order_id=order_id)
    # The timeline has every paid order since kinship was installed, also
    # those that got no e-mail (switched off, opted out at the time).
    paid = Interaction.objects.filter(
        customer_id=customer_id, kind=InteractionKind.ORDER_PAID
    ).exclude(order_id=order_id)
    return not thanked.exists() and not paid.exists()


def handle_order_event(kind: OrderEventKind, order: OrderSnapshot) -> None:
    """Queue the thank-you of a fully paid order (idempotent: one per order)."""
    # A snapshot of a fully paid order counts whichever event brings it (a
    # checkout paid before it became an order is paid when created).
    if order.paid < order.total or kind not in PAYING_EVENTS:
        return
    if order.paid == 0 and kind != OrderEventKind.PAID:
        return
    if order.is_cancelled or (order.total and order.refunded >= order.total):
        return
    if order.created_at < timezone.now() - THANK_YOU_WITHIN:
        return
    key = order_key(order.id)
    if Delivery.objects.filter(key=key).exists():
        return

    channel_settings = get_host().channel_settings(order.channel)
    if order.customer_id is None:
        if not (channel_settings.email_thank_you and channel_settings.thank_you_guests):
            return
        trigger = Trigger.THANK_YOU
    else:
        if not consenting([order.customer_id]):
            return
        first = channel_settings.email_first_order and _is_first_paid_order(
            order.customer_id, order.id
        )
        trigger = Trigger.FIRST_ORDER if first else Trigger.THANK_YOU
        if trigger == Trigger.THANK_YOU and not channel_settings.email_thank_you:
            return

    delivery = queue_delivery(
        key,
        trigger,
        channel=order.channel,
        customer_id=order.customer_id,
        order_id=order.id,
        payload={"order": order.to_dict()},
    )
    if delivery is not None:
        logger.info(
            "Kinship queued e-mail delivery %s for order %s", delivery.pk, order.id
        )
