"""Replaying the shop's order history into loyalty, batch by batch.

Each batch goes through the same reconciliation as a live event, set-based:
one transaction per batch, a constant number of statements whatever its
size, entries inserted with their idempotency keys (existing keys are left
alone). The cursor (the number of the last order of the last committed
batch) is saved in that transaction, so an interrupted run resumes where it
stopped and a repeated run adds nothing. Tier changes found by the backfill
are recorded and put on the timeline but send no `tier_changed` signal: old
orders should not send customers e-mails today.
"""

import logging
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone

from ..core.events import InvalidEvent, validate_snapshot
from ..core.host import get_host
from ..core.snapshots import OrderSnapshot
from .models import LoyaltyJobState
from .orders import Outcome, reconcile_orders
from .read_ahead import read_batches
from .validation import check_snapshots

logger = logging.getLogger(__name__)

STATE = "backfill"
TIER_REASON = "Order history imported"


@dataclass
class BackfillProgress:
    orders: int = 0
    skipped: int = 0
    points: int = 0
    customers: set[int] = field(default_factory=set)
    started: float = field(default_factory=time.monotonic)
    cursor: str | None = None

    @property
    def seconds(self) -> float:
        return time.monotonic() - self.started


def saved_cursor() -> str | None:
    row = LoyaltyJobState.objects.filter(name=STATE).first()
    return row.value.get("cursor") if row else None


def backfill(
    *,
    batch_size: int = 2000,
    restart: bool = False,
    report: Callable[[BackfillProgress], None] = lambda progress: None,
) -> BackfillProgress:
    """Replay every order after the saved cursor (all, with `restart`)."""
    progress = BackfillProgress(cursor=None if restart else saved_cursor())

    def snapshots() -> Iterator[OrderSnapshot]:
        return get_host().iter_order_snapshots(
            start_after=progress.cursor, batch_size=batch_size, with_lines=False
        )

    # Inside a transaction (a test's) another connection could not see the
    # orders, so the host is then read in this thread.
    batches = read_batches(
        snapshots, batch_size, in_thread=not connection.in_atomic_block
    )
    with closing(batches):
        for batch in batches:
            _commit_batch(batch, progress)
            report(progress)
    return progress


def _commit_batch(batch: Sequence[OrderSnapshot], progress: BackfillProgress) -> None:
    """Apply one batch and save the cursor after it, in one transaction."""
    with transaction.atomic():
        # A commit lost to a crash only leaves the cursor behind: the batch is
        # replayed, to the same result, so no need to wait for each commit to
        # reach the disk.
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
        outcome, skipped = apply_batch(batch)
        progress.cursor = batch[-1].number
        LoyaltyJobState.objects.update_or_create(
            name=STATE, defaults={"value": {"cursor": progress.cursor}}
        )
    progress.orders += outcome.orders
    progress.skipped += skipped
    progress.points += outcome.points
    progress.customers |= outcome.customers


def apply_batch(batch: Sequence[OrderSnapshot]) -> tuple[Outcome, int]:
    """Reconcile a batch; return what it wrote and how many orders were skipped.

    A refused order is logged and skipped: the batch is then applied one order
    at a time. The cursor is left alone.
    """
    valid = []
    for order in batch:
        try:
            validate_snapshot(order)
        except InvalidEvent as error:
            _log_skipped(order, error)
        else:
            valid.append(order)
    accepted, refused = check_snapshots(valid)
    for order, problem in refused:
        _log_skipped(order, problem)
    skipped = len(batch) - len(accepted)
    try:
        with transaction.atomic():
            return _reconcile(accepted), skipped
    except InvalidEvent:
        pass
    total = Outcome()
    for order in accepted:
        try:
            with transaction.atomic():
                outcome = _reconcile([order])
        except InvalidEvent as error:
            _log_skipped(order, error)
            skipped += 1
            continue
        total.orders += outcome.orders
        total.entries += outcome.entries
        total.points += outcome.points
        total.customers |= outcome.customers
    return total, skipped


def _reconcile(orders: Sequence[OrderSnapshot]) -> Outcome:
    return reconcile_orders(
        orders, now=timezone.now(), notify=False, tier_reason=TIER_REASON
    )


def _log_skipped(order: OrderSnapshot, error: InvalidEvent) -> None:
    logger.warning(
        "Kinship backfill skipped order %s: %s (%s)", order.id, error, error.code.value
    )
