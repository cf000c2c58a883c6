"""Reconciling points with orders, for one event or for a batch of old orders.

Each call brings kinship's copy of the orders (LoyaltyOrder) forward to what
the snapshots say, then settles each order's points from that copy alone
(see settlement.py). Because the outcome depends on the order's state and
not on how many events arrived or in which order, duplicates, late
snapshots, concurrent workers and the backfill all end with the same ledger.

Locks are taken in one order by every writer: orders, then guest holders,
then accounts (each set sorted by its key).
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models.functions import Lower

from ..core.configuration import ChannelSettings
from ..core.host import get_host
from ..core.snapshots import OrderSnapshot
from . import ledger, order_rows
from .ledger import Holding, as_json
from .order_rows import LostRace, OrderRow
from .settlement import pay_out, settle_order
from .tiers import raise_tiers


@dataclass
class Outcome:
    """What one reconciliation wrote."""

    orders: int = 0
    entries: int = 0
    points: int = 0
    customers: set[int] = field(default_factory=set)


# Attempts when another transaction creates one of the orders meanwhile.
ATTEMPTS = 3


def reconcile_orders(
    snapshots: Sequence[OrderSnapshot],
    *,
    now: datetime,
    notify: bool = True,
    tier_reason: str = "Points reached the tier",
) -> Outcome:
    """Apply checked snapshots inside the caller's transaction; see the module."""
    attempt = 1
    while True:
        try:
            with transaction.atomic():
                return _reconcile(snapshots, now, notify, tier_reason)
        except LostRace:
            if attempt == ATTEMPTS:
                raise
            attempt += 1


def _reconcile(
    snapshots: Sequence[OrderSnapshot], now: datetime, notify: bool, tier_reason: str
) -> Outcome:
    host = get_host()
    programme = host.programme_settings()
    channels: dict[str, ChannelSettings] = {}
    stored = order_rows.lock_stored(order.id for order in snapshots)
    before = {order_id: row.as_tuple() for order_id, row in stored.items()}
    rows: dict[str, OrderRow] = {}
    for order in snapshots:
        rows[order.id] = order_rows.merge(
            rows.get(order.id) or stored.get(order.id), order
        )
    ordered = sorted(rows.values(), key=lambda row: row.order_id)
    owed = []
    for row in ordered:
        if row.channel not in channels:
            channels[row.channel] = host.channel_settings(row.channel)
        owed.append(settle_order(row, channels[row.channel], now))
    changed = order_rows.write(ordered, before)

    emails = {row.email for row in changed if row.email}
    guests = ledger.lock_guests(emails)
    owners = {row.order_id: (row.customer_id, row.email) for row in changed}
    _find_owners(changed)
    accounts = ledger.lock_accounts(
        {row.customer_id for row in changed if row.customer_id}
    )
    _move_held_points(changed, accounts, guests)
    order_rows.update_owners(
        [row for row in changed if owners[row.order_id] != (row.customer_id, row.email)]
    )

    holders: dict[int | str, Holding] = {
        key: holding for group in (accounts, guests) for key, holding in group.items()
    }
    entries = pay_out(
        [item for item in owed if item.earned or item.due],
        holders,
        allow_negative=programme.allow_negative_balance,
        now=now,
    )
    written = ledger.insert_entries(entries, now)
    ledger.refresh_accounts(accounts, into=accounts)
    ledger.refresh_guests(emails)
    raise_tiers(
        accounts.values(),
        tiers=programme.tiers,
        basis=programme.tier_basis,
        at=now,
        reason=tier_reason,
        notify=notify,
    )
    return Outcome(
        orders=len(ordered),
        entries=len(written),
        points=sum(written),
        customers={row.customer_id for row in ordered if row.customer_id},
    )


def _find_owners(rows: Sequence[OrderRow]) -> None:
    """Give guest orders whose e-mail belongs to an account that account.

    Called with the guest holders locked, so an account created meanwhile is
    either found here or finds the held points when its "created" event
    attaches them.
    """
    unowned = {row.email for row in rows if row.customer_id is None}
    if not unowned:
        return
    # Shortcoming: lower(email) has no index in the host's user table, so a
    # guest order scans it; slow only in shops with very many accounts.
    owners = dict(
        get_user_model()
        ._default_manager.annotate(lowered=Lower("email"))
        .filter(lowered__in=unowned)
        .order_by("-pk")
        .values_list("lowered", "pk")
    )
    for row in rows:
        if row.customer_id is None and row.email in owners:
            row.customer_id = owners[row.email]


def _move_held_points(
    rows: Sequence[OrderRow],
    accounts: dict[int, Holding],
    guests: dict[str, Holding],
) -> None:
    """Hand points held for a guest order to the customer the order now has."""
    moving = [row for row in rows if row.customer_id and row.email]
    if not moving:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE {ledger.ENTRIES} AS entry
            SET customer_id = moved.customer_id, email = ''
            FROM json_to_recordset(%(moved)s::json)
                AS moved(order_id text, customer_id bigint)
            WHERE entry.order_id = moved.order_id AND entry.customer_id IS NULL
            """,
            {
                "moved": as_json(
                    {"order_id": row.order_id, "customer_id": row.customer_id}
                    for row in moving
                )
            },
        )
    emails = {row.email for row in moving}
    for row in moving:
        row.email = ""
    ledger.refresh_guests(emails, forget_empty=False)
    ledger.refresh_accounts({row.customer_id for row in moving}, into=accounts)
    guests.update(ledger.lock_guests(emails))
