"""Which reseller an order is credited to, decided once per order."""

from datetime import datetime

from django.db.models import OuterRef, Q, Subquery

from ..core.snapshots import OrderEventKind, OrderSnapshot
from .models import Attribution, ResellerLink, ResellerStatus, ResellerStatusChange


def entitled_link(customer_id: int, at: datetime) -> ResellerLink | None:
    """Return the customer's link active at `at` whose reseller was approved then.

    A reseller suspended at that moment is not entitled, so suspension stops
    new credit while links and earlier credit stay. Limitation: for the same
    reason a link dated before her approval credits nothing before it.
    """
    status_then = (
        ResellerStatusChange.objects.filter(
            reseller=OuterRef("reseller"), changed_at__lte=at
        )
        .order_by("-changed_at", "-pk")
        .values("status")[:1]
    )
    return (
        ResellerLink.objects.filter(customer_id=customer_id, valid_from__lte=at)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=at))
        .annotate(status_then=Subquery(status_then))
        .filter(status_then=ResellerStatus.APPROVED)
        .select_related("reseller__customer")
        .order_by("-valid_from", "-pk")
        .first()
    )


def _decide(order: OrderSnapshot) -> None:
    assert order.customer_id is not None
    link = entitled_link(order.customer_id, order.created_at)
    decision = Attribution(
        order_id=order.id,
        order_number=order.number,
        reseller_id=link.reseller_id if link else None,
        customer_id=order.customer_id if link else None,
        link=link,
        channel=order.channel,
        currency=order.currency,
        order_created_at=order.created_at,
        total=order.total,
    )
    # A concurrent event of the same order may insert first; its row wins.
    Attribution.objects.bulk_create([decision], ignore_conflicts=True)


def attribute(kind: OrderEventKind, order: OrderSnapshot) -> Attribution:
    """Return the order's attribution, locked, with what this event shows merged.

    The first event seen decides the reseller from the order's created_at;
    later events only raise the amounts paid and refunded and mark a
    cancellation, so their order of arrival does not matter.
    """
    locked = Attribution.objects.select_for_update()
    attribution = locked.filter(order_id=order.id).first()
    if attribution is None:
        _decide(order)
        attribution = locked.get(order_id=order.id)

    cancelled = kind == OrderEventKind.CANCELLED or order.is_cancelled
    merged = {
        "total": order.total,
        "paid": max(attribution.paid, order.paid),
        "refunded": max(attribution.refunded, order.refunded),
        "cancelled": attribution.cancelled or cancelled,
    }
    changed = [
        name for name, value in merged.items() if getattr(attribution, name) != value
    ]
    for name in changed:
        setattr(attribution, name, merged[name])
    if changed:
        attribution.save(update_fields=changed)
    return attribution
