"""Kinship's copy of each order (LoyaltyOrder), brought forward by snapshots.

Amounts never move back when an older snapshot arrives late: paid and
refunded keep their highest value, a cancellation stays, the total follows
the snapshot that is at least as far along as what is stored, and a guest
order keeps the customer it is given.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db import connection

from ..core.snapshots import OrderSnapshot
from .ledger import ORDERS, as_json

COLUMNS = (
    "id, order_id, number, customer_id, email, channel, currency, placed_at, "
    "total, paid_amount, refunded_amount, cancelled, points_earned, "
    "points_reversed, earned_at"
)
WRITTEN = COLUMNS.removeprefix("id, ")
WRITTEN_NAMES = WRITTEN.split(", ")
RECORD = """
    order_id text, number text, customer_id bigint, email text, channel text,
    currency text, placed_at timestamptz, total numeric, paid_amount numeric,
    refunded_amount numeric, cancelled boolean, points_earned int,
    points_reversed int, earned_at timestamptz
"""


class LostRace(Exception):
    """Another transaction created one of the orders first; start again."""


@dataclass(slots=True)
class OrderRow:
    """One LoyaltyOrder row as plain values; `pk` is None until it is stored."""

    pk: int | None
    order_id: str
    number: str
    customer_id: int | None
    email: str
    channel: str
    currency: str
    placed_at: datetime
    total: Decimal
    paid_amount: Decimal
    refunded_amount: Decimal
    cancelled: bool
    points_earned: int
    points_reversed: int
    earned_at: datetime | None

    @property
    def paid_in_full(self) -> bool:
        return self.total > 0 and self.paid_amount >= self.total

    def as_tuple(self) -> tuple:
        """Return the values (a shallow copy, unlike dataclasses.astuple)."""
        return tuple(getattr(self, name) for name in self.__slots__)

    def values(self) -> dict:
        return {name: getattr(self, name) for name in WRITTEN_NAMES}


def lock_stored(order_ids: Iterable[str]) -> dict[str, OrderRow]:
    """Return the stored rows of these orders, locked, by order id."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT {COLUMNS} FROM {ORDERS}
            WHERE order_id = ANY(%(ids)s::text[])
            ORDER BY order_id
            FOR UPDATE
            """,
            {"ids": sorted(set(order_ids))},
        )
        return {values[1]: OrderRow(*values) for values in cursor.fetchall()}


def merge(row: OrderRow | None, order: OrderSnapshot) -> OrderRow:
    """Return the row brought forward by a snapshot (a new row when None)."""
    if row is None:
        return OrderRow(
            pk=None,
            order_id=order.id,
            number=order.number,
            customer_id=order.customer_id,
            email=order.email.strip().lower() if order.customer_id is None else "",
            channel=order.channel,
            currency=order.currency,
            placed_at=order.created_at,
            total=order.total,
            paid_amount=order.paid,
            refunded_amount=order.refunded,
            cancelled=order.is_cancelled,
            points_earned=0,
            points_reversed=0,
            earned_at=None,
        )
    if order.paid >= row.paid_amount and order.refunded >= row.refunded_amount:
        row.total = order.total
    row.paid_amount = max(row.paid_amount, order.paid)
    row.refunded_amount = max(row.refunded_amount, order.refunded)
    row.cancelled = row.cancelled or order.is_cancelled
    if row.customer_id is None and order.customer_id is not None:
        # The email stays until the points held for it have moved.
        row.customer_id = order.customer_id
    return row


def write(rows: Sequence[OrderRow], stored: dict[str, tuple]) -> list[OrderRow]:
    """Insert new rows and update changed ones; return those, in order.

    `stored` holds the values each stored row had when it was locked. Raise
    LostRace when a new order was created by another transaction meanwhile.
    """
    new = [row for row in rows if row.pk is None]
    changed = [
        row
        for row in rows
        if row.pk is not None and stored[row.order_id] != row.as_tuple()
    ]
    with connection.cursor() as cursor:
        if new:
            cursor.execute(
                f"""
                INSERT INTO {ORDERS} ({WRITTEN})
                SELECT * FROM json_to_recordset(%(rows)s::json) AS given({RECORD})
                ORDER BY order_id
                ON CONFLICT (order_id) DO NOTHING
                RETURNING order_id, id
                """,
                {"rows": as_json(row.values() for row in new)},
            )
            ids = dict(cursor.fetchall())
            if len(ids) < len(new):
                raise LostRace
            for row in new:
                row.pk = ids[row.order_id]
        if changed:
            assignments = ", ".join(f"{name} = given.{name}" for name in WRITTEN_NAMES)
            cursor.execute(
                f"""
                UPDATE {ORDERS} AS stored SET {assignments}
                FROM json_to_recordset(%(rows)s::json) AS given({RECORD})
                WHERE stored.order_id = given.order_id
                """,
                {"rows": as_json(row.values() for row in changed)},
            )
    return sorted(new + changed, key=lambda row: row.order_id)


def update_owners(rows: Sequence[OrderRow]) -> None:
    """Store the customer and e-mail of rows whose owner changed."""
    if not rows:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE {ORDERS} AS stored
            SET customer_id = given.customer_id, email = given.email
            FROM json_to_recordset(%(rows)s::json)
                AS given(id bigint, customer_id bigint, email text)
            WHERE stored.id = given.id
            """,
            {
                "rows": as_json(
                    {"id": row.pk, "customer_id": row.customer_id, "email": row.email}
                    for row in rows
                )
            },
        )
