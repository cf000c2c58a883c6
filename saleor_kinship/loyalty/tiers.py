"""Tiers: a tier rises as soon as the points reach it and falls only at a review.

The points that count (the tier basis) are either lifetime points or the
points of the last 12 months: points of orders placed in those months, net of
their refunds, plus bonuses given in them.
"""

import logging
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from django.db import connection

from ..core.signals import tier_changed
from ..interactions.models import Interaction, InteractionKind
from ..interactions.timeline import record_automatic
from .config import Tier
from .ledger import ACCOUNTS, ENTRIES, ORDERS, Holding, as_json
from .models import LedgerEntryKind, TierChange
from .rules import tier_for, tier_rank

logger = logging.getLogger(__name__)

LIFETIME = "lifetime"
TIER_CHANGES = TierChange._meta.db_table
TIMELINE = Interaction._meta.db_table


class HasPoints(Protocol):
    customer_id: Any
    lifetime_points: int


@dataclass(frozen=True)
class TierChangeRecord:
    pk: int
    customer_id: int
    previous: str
    tier: str
    at: datetime
    reason: str

    @property
    def key(self) -> str:
        return f"tier:{self.pk}"

    @property
    def summary(self) -> str:
        return f"Tier: {self.tier or 'none'} (was {self.previous or 'no tier'})"


def basis_points(
    accounts: Collection[HasPoints], basis: str, at: datetime
) -> dict[int, int]:
    """Return the points that count for each account's tier, as of `at`."""
    if basis == LIFETIME:
        return {account.customer_id: account.lifetime_points for account in accounts}
    if not accounts:
        return {}
    ids = sorted(account.customer_id for account in accounts)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH holder AS (
                SELECT unnest(%(ids)s::bigint[]) AS customer_id
            )
            SELECT holder.customer_id,
                   COALESCE(orders.points, 0) + COALESCE(bonuses.points, 0)
            FROM holder
            LEFT JOIN (
                SELECT customer_id, SUM(points_earned - points_reversed) AS points
                FROM {ORDERS}
                WHERE customer_id IN (SELECT customer_id FROM holder)
                  AND placed_at > %(at)s::timestamptz - interval '12 months'
                  AND placed_at <= %(at)s
                GROUP BY customer_id
            ) AS orders USING (customer_id)
            LEFT JOIN (
                SELECT customer_id, SUM(points) AS points
                FROM {ENTRIES}
                WHERE customer_id IN (SELECT customer_id FROM holder)
                  AND kind = %(bonus)s
                  AND occurred_at > %(at)s::timestamptz - interval '12 months'
                  AND occurred_at <= %(at)s
                GROUP BY customer_id
            ) AS bonuses USING (customer_id)
            """,
            {"ids": ids, "at": at, "bonus": LedgerEntryKind.BONUS.value},
        )
        return {customer_id: int(points) for customer_id, points in cursor.fetchall()}


def raise_tiers(
    accounts: Collection[Holding],
    *,
    tiers: Sequence[Tier],
    basis: str,
    at: datetime,
    reason: str,
    notify: bool = True,
) -> list[TierChangeRecord]:
    """Move locked accounts up to the tier their points reach; never down."""
    points = basis_points(accounts, basis, at)
    changes = []
    for account in accounts:
        assert account.customer_id is not None
        reached = tier_for(points[account.customer_id], tiers)
        if tier_rank(reached, tiers) > tier_rank(account.tier, tiers):
            changes.append((account, reached))
    return change_tiers(changes, at=at, reason=reason, notify=notify)


def change_tiers(
    changes: Sequence[tuple[Holding, str]],
    *,
    at: datetime,
    reason: str,
    notify: bool = True,
) -> list[TierChangeRecord]:
    """Record tier changes of locked accounts, with their timeline entries.

    With `notify`, each change also sends `tier_changed`; an import of old
    orders passes False so that history does not reach customers' inboxes.
    """
    if not changes:
        return []
    records = _insert_changes(changes, at, reason)
    for account, tier in changes:
        account.tier, account.tier_reached_at = tier, at
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE {ACCOUNTS} AS account
            SET tier = changed.tier, tier_reached_at = %(at)s
            FROM json_to_recordset(%(changed)s::json)
                AS changed(customer_id bigint, tier text)
            WHERE account.customer_id = changed.customer_id
            """,
            {
                "changed": as_json(
                    {"customer_id": record.customer_id, "tier": record.tier}
                    for record in records
                ),
                "at": at,
            },
        )
    if notify:
        for record in records:
            _announce(record)
    else:
        _record_quietly(records)
    logger.info("Kinship changed the tier of %d customer(s): %s", len(records), reason)
    return records


def _insert_changes(
    changes: Sequence[tuple[Holding, str]], at: datetime, reason: str
) -> list[TierChangeRecord]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {TIER_CHANGES} (customer_id, previous, tier, at, reason)
            SELECT customer_id, previous, tier, %(at)s, %(reason)s
            FROM json_to_recordset(%(changes)s::json)
                AS change(customer_id bigint, previous text, tier text)
            RETURNING id, customer_id, previous, tier
            """,
            {
                "changes": as_json(
                    {
                        "customer_id": account.customer_id,
                        "previous": account.tier,
                        "tier": tier,
                    }
                    for account, tier in changes
                ),
                "at": at,
                "reason": reason,
            },
        )
        return sorted(
            (
                TierChangeRecord(pk, customer_id, previous, tier, at, reason)
                for pk, customer_id, previous, tier in cursor.fetchall()
            ),
            key=lambda record: record.pk,
        )


def _announce(record: TierChangeRecord) -> None:
    record_automatic(
        customer_id=record.customer_id,
        kind=InteractionKind.TIER_CHANGED,
        key=record.key,
        occurred_at=record.at,
        summary=record.summary,
        body=record.reason,
    )
    tier_changed.send(
        sender=TierChange,
        customer_id=record.customer_id,
        previous=record.previous,
        tier=record.tier,
        at=record.at,
        key=record.key,
    )


def _record_quietly(records: Sequence[TierChangeRecord]) -> None:
    """Write the timeline entries of many changes at once, as record_automatic."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {TIMELINE} (
                customer_id, kind, occurred_at, summary, body, channel, order_id,
                key, created_at
            )
            SELECT customer_id, %(kind)s, %(at)s, summary, body, '', '', key, now()
            FROM json_to_recordset(%(entries)s::json)
                AS entry(customer_id bigint, summary text, body text, key text)
            ON CONFLICT (key) DO NOTHING
            """,
            {
                "kind": InteractionKind.TIER_CHANGED.value,
                "at": records[0].at,
                "entries": as_json(
                    {
                        "customer_id": record.customer_id,
                        "summary": record.summary[:200],
                        "body": record.reason,
                        "key": record.key,
                    }
                    for record in records
                ),
            },
        )
