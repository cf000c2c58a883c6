"""Timeline entries for reseller changes, on every customer a change concerns.

Entries on a reseller's own timeline never name the customers she brought:
she may read her timeline, and those customers are not hers to see.
"""

from decimal import Decimal

from ..interactions.models import InteractionKind
from ..interactions.timeline import record_automatic
from .models import Reseller, ResellerLink, ResellerStatus, ResellerStatusChange
from .periods import shop_day


def _reseller_label(reseller: Reseller) -> str:
    first_name = getattr(reseller.customer, "first_name", "") or ""
    if first_name:
        return f"{first_name} (reseller #{reseller.pk})"
    return f"reseller #{reseller.pk}"


def _status_summary(change: ResellerStatusChange, reseller: Reseller) -> str:
    if change.status == ResellerStatus.APPLIED:
        return "Applied to become a reseller"
    if change.status == ResellerStatus.APPROVED:
        if change.previous_status == ResellerStatus.SUSPENDED:
            return "Reinstated as a reseller"
        rate = format((reseller.commission_rate or Decimal(0)).normalize(), "f")
        return f"Approved as a reseller at {rate}% commission"
    if change.status == ResellerStatus.REJECTED:
        return "Reseller application rejected"
    return "Suspended as a reseller"


def record_status_change(change: ResellerStatusChange, reseller: Reseller) -> None:
    # Limitation: only her own timeline; her customers' timelines do not
    # show that she was suspended or reinstated.
    record_automatic(
        customer_id=reseller.customer_id,
        kind=InteractionKind.RESELLER_CHANGED,
        key=f"reseller:status:{change.pk}",
        occurred_at=change.changed_at,
        summary=_status_summary(change, reseller),
        body=change.reason,
    )


def record_link_opened(link: ResellerLink) -> None:
    day = shop_day(link.valid_from).isoformat()
    record_automatic(
        customer_id=link.customer_id,
        kind=InteractionKind.RESELLER_CHANGED,
        key=f"reseller:link:{link.pk}:customer",
        occurred_at=link.valid_from,
        summary=f"Brought by {_reseller_label(link.reseller)} from {day}",
    )
    record_automatic(
        customer_id=link.reseller.customer_id,
        kind=InteractionKind.RESELLER_CHANGED,
        key=f"reseller:link:{link.pk}:reseller",
        occurred_at=link.valid_from,
        summary=f"A customer was linked to her from {day} (link #{link.pk})",
    )


def record_link_closed(link: ResellerLink) -> None:
    assert link.valid_to is not None
    day = shop_day(link.valid_to).isoformat()
    record_automatic(
        customer_id=link.customer_id,
        kind=InteractionKind.RESELLER_CHANGED,
        key=f"reseller:link:{link.pk}:closed:customer",
        occurred_at=link.valid_to,
        summary=f"No longer brought by {_reseller_label(link.reseller)} from {day}",
    )
    record_automatic(
        customer_id=link.reseller.customer_id,
        kind=InteractionKind.RESELLER_CHANGED,
        key=f"reseller:link:{link.pk}:closed:reseller",
        occurred_at=link.valid_to,
        summary=f"A customer's link to her ended on {day} (link #{link.pk})",
    )
