"""Bringing kinship's points up to date with a channel's orders.

The host commits an order's payment and hands the event to kinship once the
transaction has committed, so a process that dies in between (Ctrl-C, a
kill) leaves an order paid in the shop that kinship never heard of. Replaying
the channel's orders through the backfill's reconciliation adds the points
of such orders and leaves every entry already written as it is.
"""

from dataclasses import dataclass
from itertools import batched

from django.db import transaction

from saleor_kinship.loyalty.backfill import apply_batch

from .models import Channel, Order
from .orders import snapshot

BATCH_SIZE = 2000


@dataclass
class Reconciled:
    orders: int = 0
    # Ledger entries that were missing, and their points.
    entries: int = 0
    points: int = 0
    skipped: int = 0


def reconcile_channel(channel: Channel, batch_size: int = BATCH_SIZE) -> Reconciled:
    """Replay the channel's orders into the loyalty ledger, one batch at a time."""
    orders = (
        Order.objects.filter(channel=channel)
        .select_related("channel")
        .order_by("number")
    )
    reconciled = Reconciled()
    for batch in batched(orders.iterator(chunk_size=batch_size), batch_size):
        with transaction.atomic():
            outcome, skipped = apply_batch(
                [snapshot(order, with_lines=False) for order in batch]
            )
        reconciled.orders += len(batch)
        reconciled.entries += outcome.entries
        reconciled.points += outcome.points
        reconciled.skipped += skipped
    return reconciled
