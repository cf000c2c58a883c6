from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from devhost.shop.cdnow import (
    FORMATS,
    CdnowImportError,
    ImportSummary,
    bulk_import,
    import_purchases,
    read_purchases,
)
from devhost.shop.models import Channel
from saleor_kinship.management.arguments import KinshipCommand


class Command(KinshipCommand):
    help = (
        "Import CDNOW purchase records as customers and paid orders. Existing "
        "customers and orders are kept, so running it again imports nothing twice."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("path", help="CDNOW_sample.txt or CDNOW_master.txt")
        parser.add_argument(
            "--format",
            choices=FORMATS,
            help="File format; guessed from the number of columns when omitted.",
        )
        parser.add_argument(
            "--channel",
            default="default-channel",
            help="Slug of the channel (in USD) the orders are placed in; "
            "default-channel by default.",
        )
        parser.add_argument(
            "--customers",
            type=int,
            help="Import only the file's first N customers.",
        )
        parser.add_argument(
            "--bulk",
            action="store_true",
            help="Insert with bulk inserts and no events, like history that "
            "predates kinship; run kinship_backfill afterwards.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        channel = Channel.objects.filter(slug=options["channel"]).first()
        if channel is None:
            raise CommandError(f"No channel has the slug '{options['channel']}'.")
        if options["customers"] is not None and options["customers"] < 1:
            raise CommandError("--customers must be at least 1.")
        try:
            purchases = read_purchases(
                Path(options["path"]),
                options["format"],
                customers=options["customers"],
            )
            if options["bulk"]:
                summary = bulk_import(purchases, channel)
            else:
                summary = import_purchases(purchases, channel, progress=self.progress)
        except CdnowImportError as error:
            raise CommandError(str(error))
        self.stdout.write(summary.describe(channel))

    def progress(self, done: int, total: int, summary: ImportSummary) -> None:
        self.stdout.write(
            f"  {done}/{total} customers, {summary.new_orders} new orders so far"
        )
