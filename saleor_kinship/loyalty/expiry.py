"""Points expire a set number of months after they were earned, oldest first.

The rule (first in, first out): every point that leaves a balance, by a
refund, a cancellation, a staff adjustment or an earlier expiry, is taken
from the oldest points still there. So a customer's points form lots in the
order they were earned (an order, a bonus, a positive adjustment); a lot is
used up by the points that left, in that order, and what remains of it
expires `points_expiry_months` after its day (in the shop's time zone; the
31st plus one month is the last day of the next month). Points held for a
guest's e-mail do not expire while held; they keep their dates and expire by
the same rule once they join an account.
"""

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from itertools import batched
from typing import Any

from django.db import connection, transaction

from ..core.host import get_host
from . import ledger
from .ledger import ENTRIES
from .models import LedgerEntryKind

logger = logging.getLogger(__name__)

CUSTOMERS_PER_TRANSACTION = 1000


@dataclass(frozen=True)
class ExpiringPoints:
    """Points of a customer that expire by a day; `expire_on` is the first day."""

    customer_id: int
    points: int
    expire_on: date


@dataclass(frozen=True)
class ExpiryOutcome:
    customers: int
    points: int


def expiring_points(
    until: date,
    *,
    months: int,
    time_zone: str,
    customer_ids: Sequence[int] | None = None,
) -> list[ExpiringPoints]:
    """Return, per customer, the points left in lots that expire by `until`."""
    if months <= 0:
        return []
    only = "AND customer_id = ANY(%(ids)s)" if customer_ids is not None else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH lots AS (
                SELECT customer_id, points,
                       ((occurred_at AT TIME ZONE %(tz)s)::date
                        + make_interval(months => %(months)s))::date AS expire_on,
                       SUM(points) OVER (
                           PARTITION BY customer_id ORDER BY occurred_at, id
                       ) AS earned_through
                FROM {ENTRIES}
                WHERE customer_id IS NOT NULL AND points > 0 {only}
            ), used AS (
                SELECT customer_id, -SUM(points) AS points
                FROM {ENTRIES}
                WHERE customer_id IS NOT NULL AND points < 0 {only}
                GROUP BY customer_id
            )
            SELECT lots.customer_id,
                   SUM(LEAST(lots.points,
                             lots.earned_through - COALESCE(used.points, 0))),
                   MIN(lots.expire_on)
            FROM lots LEFT JOIN used USING (customer_id)
            WHERE lots.earned_through > COALESCE(used.points, 0)
              AND lots.expire_on <= %(until)s
            GROUP BY lots.customer_id
            ORDER BY lots.customer_id
            """,
            {
                "tz": time_zone,
                "months": months,
                "until": until,
                "ids": list(customer_ids or ()),
            },
        )
        return [
            ExpiringPoints(customer_id, int(points), expire_on)
            for customer_id, points, expire_on in cursor.fetchall()
        ]


def expire_points(today: date, *, now: datetime) -> ExpiryOutcome:
    """Expire every lot due by `today`; running again the same day adds nothing."""
    programme = get_host().programme_settings()
    months, time_zone = programme.points_expiry_months, programme.time_zone
    due = expiring_points(today, months=months, time_zone=time_zone)
    customers = points = 0
    for chunk in batched(due, CUSTOMERS_PER_TRANSACTION):
        with transaction.atomic():
            ledger.lock_accounts([lot.customer_id for lot in chunk])
            # Read again under the locks: an order event may have run meanwhile.
            locked = expiring_points(
                today,
                months=months,
                time_zone=time_zone,
                customer_ids=[lot.customer_id for lot in chunk],
            )
            # Points that came due later on the same day (old points joining
            # an account) find today's key used and wait for tomorrow's.
            written = ledger.insert_entries(
                [_entry(lot, today, months, now) for lot in locked], now
            )
            ledger.refresh_accounts([lot.customer_id for lot in locked])
        customers += len(written)
        points += -sum(written)
    if customers:
        logger.info("Kinship expired %d point(s) of %d customer(s)", points, customers)
    return ExpiryOutcome(customers, points)


def _entry(
    lot: ExpiringPoints, today: date, months: int, now: datetime
) -> dict[str, Any]:
    return {
        "customer_id": lot.customer_id,
        "kind": LedgerEntryKind.EXPIRE.value,
        "points": -lot.points,
        "occurred_at": now,
        "reason": f"Points older than {months} month(s) expired",
        "key": f"expire:{lot.customer_id}:{today.isoformat()}",
    }
