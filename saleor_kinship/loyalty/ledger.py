"""Holders of points (accounts and guests' e-mails): locking them, keeping totals.

Every writer locks the holders it changes (SELECT ... FOR UPDATE, in order of
their keys, after the orders it works on), writes its ledger entries and then
recomputes the holders' totals from the ledger with one statement, in the same
transaction. So a balance is the sum of its entries by construction, whatever
ran before or beside it.

Batches travel to PostgreSQL as one JSON parameter (unpacked with
json_to_recordset): a statement per batch, whatever its size, without the
cost of building a model instance per row.
"""

import json
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connection

from .models import (
    QUALIFYING_KINDS,
    GuestPoints,
    LedgerEntry,
    LoyaltyAccount,
    LoyaltyOrder,
)

ENTRIES = LedgerEntry._meta.db_table
ACCOUNTS = LoyaltyAccount._meta.db_table
GUESTS = GuestPoints._meta.db_table
ORDERS = LoyaltyOrder._meta.db_table

# A reversal's shortfall was never taken from the balance, but the order's
# points no longer qualify: lifetime points drop by the whole reversal.
QUALIFYING_SQL = "CASE WHEN kind IN ({}) THEN points - shortfall ELSE 0 END".format(
    ", ".join(f"'{kind.value}'" for kind in QUALIFYING_KINDS)
)

# A purchase: an order paid in full, neither cancelled nor refunded in full.
PURCHASE_SQL = (
    "NOT cancelled AND total > 0 AND paid_amount >= total "
    "AND refunded_amount < paid_amount"
)


@dataclass(slots=True)
class Holding:
    """The locked totals of an account (customer_id) or a guest's e-mail."""

    customer_id: int | None
    email: str
    balance: int
    lifetime_points: int
    tier: str = ""
    tier_reached_at: datetime | None = None


def as_json(rows: Iterable[Any]) -> str:
    """Encode values for one JSON parameter (decimals and dates as text)."""
    return json.dumps(list(rows), default=str)


def lock_accounts(customer_ids: Collection[int]) -> dict[int, Holding]:
    """Create missing accounts and return all of them locked, by customer id."""
    if not customer_ids:
        return {}
    ids = sorted(set(customer_ids))
    with connection.cursor() as cursor:
        # Every NOT NULL column, as the model's defaults would fill it.
        cursor.execute(
            f"""
            INSERT INTO {ACCOUNTS} (
                customer_id, balance, lifetime_points, tier, orders_count,
                rfm_segment, predicted_value_currency
            )
            SELECT value, 0, 0, '', 0, '', ''
            FROM unnest(%(ids)s::bigint[]) AS value
            ON CONFLICT (customer_id) DO NOTHING
            """,
            {"ids": ids},
        )
        cursor.execute(
            f"""
            SELECT customer_id, balance, lifetime_points, tier, tier_reached_at
            FROM {ACCOUNTS}
            WHERE customer_id = ANY(%(ids)s::bigint[])
            ORDER BY customer_id
            FOR UPDATE
            """,
            {"ids": ids},
        )
        return {
            row[0]: Holding(row[0], "", row[1], row[2], row[3], row[4])
            for row in cursor.fetchall()
        }


def lock_guests(emails: Collection[str]) -> dict[str, Holding]:
    """Create missing guest holders and return all of them locked, by e-mail."""
    missing = sorted(set(emails))
    guests: dict[str, Holding] = {}
    # An attach may delete a holder between the insert and the lock; insert again.
    while missing:
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                INSERT INTO {GUESTS} (email, balance, lifetime_points)
                SELECT value, 0, 0 FROM unnest(%(emails)s::text[]) AS value
                ON CONFLICT (email) DO NOTHING
                """,
                {"emails": missing},
            )
            cursor.execute(
                f"""
                SELECT email, balance, lifetime_points FROM {GUESTS}
                WHERE email = ANY(%(emails)s::text[])
                ORDER BY email
                FOR UPDATE
                """,
                {"emails": missing},
            )
            for email, balance, lifetime in cursor.fetchall():
                guests[email] = Holding(None, email, balance, lifetime)
        missing = [email for email in missing if email not in guests]
    return guests


def insert_entries(entries: list[dict[str, Any]], now: datetime) -> list[int]:
    """Insert ledger entries, skipping keys already used; return their points.

    Each entry is a dict of LedgerEntry's fields: customer_id or email, kind,
    points, occurred_at, key, and optionally shortfall, amount, currency,
    channel, order_id and reason.
    """
    if not entries:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {ENTRIES} (
                customer_id, email, kind, points, shortfall, amount, currency,
                channel, order_id, occurred_at, reason, app_id, key, created_at
            )
            SELECT customer_id, COALESCE(email, ''), kind, points,
                   COALESCE(shortfall, 0), amount, COALESCE(currency, ''),
                   COALESCE(channel, ''), COALESCE(order_id, ''), occurred_at,
                   COALESCE(reason, ''), '', key, %(now)s
            FROM json_to_recordset(%(entries)s::json) AS entry(
                customer_id bigint, email text, kind text, points int,
                shortfall int, amount numeric, currency text, channel text,
                order_id text, occurred_at timestamptz, reason text, key text
            )
            ON CONFLICT (key) DO NOTHING
            RETURNING points
            """,
            {"entries": as_json(entries), "now": now},
        )
        return [points for (points,) in cursor.fetchall()]


def refresh_accounts(
    customer_ids: Collection[int | None], into: dict[int, Holding] | None = None
) -> None:
    """Recompute balance, lifetime points and purchase counts from the ledger.

    The new totals are also written into the holdings of `into`, if given.
    """
    ids = sorted({pk for pk in customer_ids if pk is not None})
    if not ids:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH holder AS (
                SELECT unnest(%(ids)s::bigint[]) AS customer_id
            )
            UPDATE {ACCOUNTS} AS account SET
                balance = COALESCE(totals.balance, 0),
                lifetime_points = COALESCE(totals.lifetime, 0),
                orders_count = COALESCE(purchases.orders, 0),
                last_order_at = purchases.last_at
            FROM holder
            LEFT JOIN (
                SELECT customer_id, SUM(points) AS balance,
                       SUM({QUALIFYING_SQL}) AS lifetime
                FROM {ENTRIES} WHERE customer_id IN (SELECT customer_id FROM holder)
                GROUP BY customer_id
            ) AS totals USING (customer_id)
            LEFT JOIN (
                SELECT customer_id, COUNT(*) AS orders, MAX(placed_at) AS last_at
                FROM {ORDERS}
                WHERE customer_id IN (SELECT customer_id FROM holder)
                  AND {PURCHASE_SQL}
                GROUP BY customer_id
            ) AS purchases USING (customer_id)
            WHERE account.customer_id = holder.customer_id
            RETURNING account.customer_id, account.balance, account.lifetime_points
            """,
            {"ids": ids},
        )
        for customer_id, balance, lifetime in cursor.fetchall():
            if into is not None and customer_id in into:
                into[customer_id].balance = balance
                into[customer_id].lifetime_points = lifetime


def refresh_guests(emails: Collection[str], *, forget_empty: bool = True) -> None:
    """Recompute the totals of points held for guests' e-mails.

    With `forget_empty`, holders with no entries left are deleted, so that no
    e-mail is kept for nothing.
    """
    if not emails:
        return
    params = {"emails": sorted(set(emails))}
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH holder AS (
                SELECT unnest(%(emails)s::text[]) AS email
            )
            UPDATE {GUESTS} AS guest SET
                balance = COALESCE(totals.balance, 0),
                lifetime_points = COALESCE(totals.lifetime, 0)
            FROM holder
            LEFT JOIN (
                SELECT email, SUM(points) AS balance,
                       SUM({QUALIFYING_SQL}) AS lifetime
                FROM {ENTRIES}
                WHERE customer_id IS NULL AND email IN (SELECT email FROM holder)
                GROUP BY email
            ) AS totals USING (email)
            WHERE guest.email = holder.email
            """,
            params,
        )
        if forget_empty:
            cursor.execute(
                f"""
                DELETE FROM {GUESTS} AS guest
                WHERE guest.email = ANY(%(emails)s::text[]) AND NOT EXISTS (
                    SELECT 1 FROM {ENTRIES} AS entry
                    WHERE entry.customer_id IS NULL AND entry.email = guest.email
                )
                """,
                params,
            )
