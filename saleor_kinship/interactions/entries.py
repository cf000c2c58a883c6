"""Timeline entries staff write: visits, calls, messages, meetings, gifts, notes.

Automatic kinds (orders, thank-you e-mails, tiers, resellers) are kinship's
own record; staff can neither write nor change nor remove them.
"""

from datetime import timedelta
from typing import Any

from django.utils import timezone

from ..core.error_codes import KinshipErrorCode
from ..core.host import get_host
from ..relationships.dates import shop_zone
from ..relationships.validation import (
    Refusals,
    check_line,
    check_moment,
    check_required_text,
    check_text,
    refuse,
)
from .models import AUTOMATIC_KINDS, Interaction, InteractionKind

SUMMARY_LENGTH = 200
BODY_LENGTH = 10_000
# Clocks and time zones differ; an entry may be dated up to a day ahead.
FUTURE_GRACE = timedelta(days=1)

STAFF_KINDS = tuple(kind for kind in InteractionKind if kind not in AUTOMATIC_KINDS)


def check_editable(entry: Interaction) -> None:
    if entry.kind in AUTOMATIC_KINDS:
        raise refuse(
            "id",
            "Kinship writes this entry itself; staff cannot change it.",
            KinshipErrorCode.INVALID_STATE,
        )


def _check_order(refusals: Refusals, customer_id: int, order_id: str) -> None:
    # One message whether the order does not exist or is another customer's:
    # the timeline does not tell staff which orders exist.
    order = get_host().order_snapshot(order_id)
    if order is None or order.customer_id != customer_id:
        refusals.add(
            "order",
            "The customer has no order with this id.",
            KinshipErrorCode.NOT_FOUND,
        )


def save_entry(entry: Interaction, changes: dict[str, Any]) -> Interaction:
    """Validate and store a staff entry; a new one needs a kind and a summary.

    `changes` holds the given fields: kind, occurred_at, summary, body,
    channel and order_id.
    """
    if entry.pk:
        check_editable(entry)
    refusals = Refusals()
    kind: str = changes.get("kind", entry.kind) or ""
    if kind not in STAFF_KINDS:
        refusals.add(
            "kind",
            f"Staff record one of: {', '.join(STAFF_KINDS)}.",
            KinshipErrorCode.INVALID,
        )
    summary = check_required_text(
        refusals,
        "summary",
        changes.get("summary", entry.summary),
        SUMMARY_LENGTH,
        "A summary",
    )
    body = check_text(
        refusals, "body", changes.get("body", entry.body), BODY_LENGTH, "The text"
    )
    channel = check_line(
        refusals, "channel", changes.get("channel", entry.channel), 255, "A channel"
    )
    order_id = check_line(
        refusals, "order", changes.get("order_id", entry.order_id), 64, "An order id"
    )
    if order_id and "order_id" in changes and "order" not in refusals:
        _check_order(refusals, entry.customer_id, order_id)
    occurred_at = (
        check_moment(refusals, "occurred_at", changes.get("occurred_at"), shop_zone())
        or entry.occurred_at
        or timezone.now()
    )
    ahead = occurred_at > timezone.now() + FUTURE_GRACE
    if ahead and "occurred_at" not in refusals:
        refusals.add(
            "occurred_at",
            "An interaction cannot be dated more than a day ahead.",
            KinshipErrorCode.OUT_OF_RANGE,
        )
    refusals.raise_any()

    entry.kind, entry.summary, entry.body = kind, summary, body
    entry.channel, entry.order_id, entry.occurred_at = channel, order_id, occurred_at
    entry.save()
    return entry


def delete_entry(entry: Interaction) -> None:
    check_editable(entry)
    entry.delete()
