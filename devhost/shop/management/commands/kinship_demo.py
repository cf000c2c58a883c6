from pathlib import Path
from typing import Any

from django.core.management.base import CommandError
from django.db.models import Max

from devhost.celery import app
from devhost.shop.cdnow import (
    CURRENCY,
    CdnowImportError,
    ImportSummary,
    import_purchases,
    read_purchases,
)
from devhost.shop.demo import summary
from devhost.shop.models import Channel, Order, PluginConfiguration
from saleor_kinship.loyalty.scoring import RescoringInProgress, rescore
from saleor_kinship.management.arguments import KinshipCommand

SAMPLE = Path(__file__).resolve().parents[4] / "data/cdnow/CDNOW_sample.txt"
CHANNEL = "default-channel"


class Command(KinshipCommand):
    help = (
        "Run kinship on the CDNOW sample: import its customers and orders "
        "through the order events, score the customers, print a summary. "
        "Running it again imports nothing twice."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--file", default=str(SAMPLE), help="a CDNOW file")
        parser.add_argument(
            "--customers", type=int, help="Use only the file's first N customers."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["customers"] is not None and options["customers"] < 1:
            raise CommandError("--customers must be at least 1.")
        # The demo has no worker: events are handled as they are sent.
        app.conf.task_always_eager = True
        channel = self.default_channel()

        try:
            purchases = read_purchases(
                Path(options["file"]), customers=options["customers"]
            )
            self.stdout.write(
                f"Importing {len(purchases):,} CDNOW purchases through the order "
                "events; those imported before are skipped."
            )
            imported = import_purchases(purchases, channel, progress=self.progress)
        except CdnowImportError as error:
            raise CommandError(str(error))
        self.stdout.write(imported.describe(channel))

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
