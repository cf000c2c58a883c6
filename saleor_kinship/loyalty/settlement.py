"""What each order is owed in points, and the ledger entries that pay it.

An order paid in full earns once: the amount paid (at most its total) times
its channel's points per currency unit, rounded down; nothing when its
currency is not the channel's points currency. Refunds take back points up to
a cumulative target (see rules.reversal_target) and a cancellation takes back
all; each step is keyed by its target, so a repeat writes nothing.
"""

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..core.configuration import ChannelSettings
from ..core.currencies import quantize
from ..core.error_codes import KinshipErrorCode
from ..core.events import InvalidEvent
from . import rules
from .ledger import Holding
from .models import MAX_POINTS, MIN_POINTS, LedgerEntryKind
from .order_rows import OrderRow

logger = logging.getLogger(__name__)


@dataclass(slots=True)
class Owed:
    """What one order is owed by this reconciliation."""

    row: OrderRow
    earned: int = 0
    # Points to take back now, bringing the order's reversal to `target`.
    due: int = 0
    target: int = 0


def settle_order(row: OrderRow, channel: ChannelSettings, now: datetime) -> Owed:
    """Decide what the order is owed from its state; record it on the row.

    Depends on the order and its channel only, never on a balance, so it can
    run before any holder is locked.
    """
    owed = Owed(row)
    if row.earned_at is None and row.paid_in_full:
        row.earned_at = now
        row.points_earned = owed.earned = _earned_points(row, channel)
    owed.target = rules.reversal_target(
        earned=row.points_earned,
        paid=row.paid_amount,
        total=row.total,
        refunded=row.refunded_amount,
        cancelled=row.cancelled,
    )
    if owed.target > row.points_reversed:
        owed.due = owed.target - row.points_reversed
        row.points_reversed = owed.target
    return owed


def pay_out(
    owed: Sequence[Owed],
    holders: dict[int | str, Holding],
    *,
    allow_negative: bool,
    now: datetime,
) -> list[dict[str, Any]]:
    """Return the ledger entries that pay what is owed, against locked holders.

    A reversal takes at most what the balance holds unless negative balances
    are allowed; the rest is recorded as the entry's shortfall.
    """
    entries = []
    # In the order the orders were placed, so that shortfalls fall where they
    # would have fallen had the orders' events come one by one.
    for item in sorted(owed, key=lambda item: (item.row.placed_at, item.row.order_id)):
        row = item.row
        holder = holders[row.customer_id or row.email]
        common = {
            "customer_id": row.customer_id,
            "email": "" if row.customer_id else row.email,
            "currency": row.currency,
            "channel": row.channel,
            "order_id": row.order_id,
        }
        if item.earned:
            entries.append(
                {
                    **common,
                    "kind": LedgerEntryKind.EARN.value,
                    "points": item.earned,
                    "amount": min(row.paid_amount, row.total),
                    "occurred_at": row.placed_at,
                    "reason": f"Order #{row.number} paid",
                    "key": f"earn:{row.order_id}",
                }
            )
            _move(holder, item.earned, row)
        if item.due:
            taken = (
                item.due if allow_negative else min(item.due, max(holder.balance, 0))
            )
            entries.append(
                {
                    **common,
                    **_reversal_reason(row),
                    "kind": LedgerEntryKind.REVERSE.value,
                    "points": -taken,
                    "shortfall": item.due - taken,
                    "occurred_at": now,
                    "key": f"reverse:{row.order_id}:{item.target}",
                }
            )
            _move(holder, -taken, row)
    return entries


def _move(holder: Holding, points: int, row: OrderRow) -> None:
    holder.balance += points
    if not MIN_POINTS <= holder.balance <= MAX_POINTS:
        raise InvalidEvent(
            f"Order {row.order_id}: the balance would leave the range of a 32-bit "
            "integer.",
            KinshipErrorCode.OUT_OF_RANGE,
        )


def _reversal_reason(row: OrderRow) -> dict[str, Any]:
    if row.cancelled:
        return {
            "amount": min(row.paid_amount, row.total),
            "reason": f"Order #{row.number} cancelled",
        }
    shown = quantize(row.refunded_amount, row.currency)
    return {
        "amount": row.refunded_amount,
        "reason": f"Order #{row.number}: {shown} {row.currency} refunded",
    }


def _earned_points(row: OrderRow, channel: ChannelSettings) -> int:
    if channel.points_currency and channel.points_currency != row.currency:
        logger.warning(
            "Kinship order %s is in %s but channel %s counts points in %s: "
            "it earns no points.",
            row.order_id,
            row.currency,
            row.channel,
            channel.points_currency,
        )
        return 0
    points = rules.points_for(min(row.paid_amount, row.total), channel.points_per_unit)
    if points > MAX_POINTS:
        raise InvalidEvent(
            f"Order {row.order_id}: {points} points do not fit a 32-bit integer.",
            KinshipErrorCode.OUT_OF_RANGE,
        )
    return points
