from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError
from django.db import DatabaseError, connection
from django.db.models import Max

from devhost.celery import app
from devhost.shop.cdnow import (
    CURRENCY,
    CdnowImportError,
    ImportSummary,
    Purchase,
    import_purchases,
    read_purchases,
)
from devhost.shop.demo import summary
from devhost.shop.models import Channel, Order, PluginConfiguration
from devhost.shop.reconcile import reconcile_channel
from saleor_kinship.loyalty.scoring import RescoringInProgress, rescore
from saleor_kinship.management.arguments import KinshipCommand

SAMPLE = Path(__file__).resolve().parents[4] / "data/cdnow/CDNOW_sample.txt"
CHANNEL = "default-channel"
# Held for the whole run: two demos at once would create the same rows.
DEMO_LOCK = 7_400_002


class Command(KinshipCommand):
    help = (
        "Run kinship on the CDNOW sample: import its customers and orders "
        "through the order events, score the customers, print a summary. "
        "Running it again imports nothing twice and restores the points of "
        "orders whose events a stopped run lost."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--file", default=str(SAMPLE), help="a CDNOW file")
        parser.add_argument(
            "--customers", type=int, help="Use only the file's first N customers."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["customers"] is not None and options["customers"] < 1:
            raise CommandError("--customers must be at least 1.")
        try:
            purchases = read_purchases(
                Path(options["file"]), customers=options["customers"]
            )
        except CdnowImportError as error:
            raise CommandError(str(error))
        # The demo has no worker: events are handled as they are sent.
        app.conf.task_always_eager = True
        with only_demo_running():
            self.run_demo(purchases)

    def run_demo(self, purchases: list[Purchase]) -> None:
        channel = self.default_channel()
        self.stdout.write(
            f"Importing {len(purchases):,} CDNOW purchases through the order "
            "events; those imported before are skipped."
        )
        try:
            imported = import_purchases(purchases, channel, progress=self.progress)
        except CdnowImportError as error:
            raise CommandError(str(error))
        self.stdout.write(imported.describe(channel))
        # A run stopped between an order's commit and its event (Ctrl-C, a
        # kill) left the order paid without points: the backfill's
        # reconciliation adds them, and adds nothing when nothing is missing.
        restored = reconcile_channel(channel)
        if restored.entries:
            self.stdout.write(
                f"Restored {restored.points:,} points ({restored.entries:,} ledger "
                f"{'entry' if restored.entries == 1 else 'entries'}) of orders "
                "whose events a stopped run lost."
            )

        last_order = Order.objects.filter(channel=channel).aggregate(
            last=Max("created_at")
        )["last"]
        if last_order is None:
            raise CommandError(f"Channel {CHANNEL} has no orders to score.")
        try:
            scores = rescore(last_order.date())
        except RescoringInProgress as error:
            raise CommandError(str(error))
        self.stdout.write(
            f"Scored {scores.customers:,} customers as of {scores.as_of}, the last "
            "purchase day.\n"
        )
        self.stdout.write(summary(channel))

    def default_channel(self) -> Channel:
        channel, _ = Channel.objects.get_or_create(
            slug=CHANNEL, defaults={"name": "Default channel", "currency": CURRENCY}
        )
        if channel.currency != CURRENCY:
            raise CommandError(
                f"The demo's channel {CHANNEL} must be in {CURRENCY}, like the "
                f"CDNOW data; it is in {channel.currency}."
            )
        PluginConfiguration.objects.get_or_create(channel=channel)
        return channel

    def progress(self, done: int, total: int, imported: ImportSummary) -> None:
        if imported.new_orders or imported.new_customers:
            self.stdout.write(f"  {done:,}/{total:,} customers")


@contextmanager
def only_demo_running() -> Iterator[None]:
    """Hold the demo's lock on this database, or refuse in one line."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [DEMO_LOCK])
        if not cursor.fetchone()[0]:
            raise CommandError(
                "Another kinship_demo is running on this database; let it finish, "
                "then run this one again."
            )
    try:
        yield
    finally:
        # A connection broken by an interruption lets go of it when it closes.
        with suppress(DatabaseError), connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [DEMO_LOCK])
