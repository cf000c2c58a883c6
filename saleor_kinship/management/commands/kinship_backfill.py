import sys

from django.core.management.base import CommandError

from saleor_kinship.loyalty.backfill import BackfillProgress, backfill
from saleor_kinship.management.arguments import KinshipCommand


class Command(KinshipCommand):
    help = (
        "Replay the shop's existing orders into the loyalty ledger. Safe to run "
        "again; resumes after the last finished batch unless --restart is given."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--batch-size",
            type=int,
            default=2000,
            help="Orders applied and committed together (1 to 50000; 2000 by "
            "default). The cursor is saved after each batch.",
        )
        parser.add_argument(
            "--restart",
            action="store_true",
            help="Start from the first order again (what is done stays done).",
        )

    def handle(self, *args, **options) -> None:
        batch_size = options["batch_size"]
        if not 1 <= batch_size <= 50_000:
            raise CommandError("--batch-size must be from 1 to 50000.")
        self.in_place = sys.stderr.isatty()
        progress = backfill(
            batch_size=batch_size, restart=options["restart"], report=self.report
        )
        if self.in_place and progress.orders:
            self.stderr.write("")
        skipped = (
            f", {progress.skipped:,} skipped (see the log)" if progress.skipped else ""
        )
        self.stdout.write(
            f"Backfilled {progress.orders:,} order(s) of "
            f"{len(progress.customers):,} customer(s): {progress.points:,} points "
            f"in {progress.seconds:.1f} s{skipped}."
        )

    def report(self, progress: BackfillProgress) -> None:
        line = (
            f"Backfill: {progress.orders:,} orders, "
            f"{len(progress.customers):,} customers, {progress.points:,} points, "
            f"{progress.seconds:.1f} s"
        )
        if self.in_place:
            self.stderr.write(f"\r{line}", ending="")
            self.stderr.flush()
        else:
            self.stderr.write(line)
