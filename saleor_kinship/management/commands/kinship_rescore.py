from typing import Any

from django.core.management.base import CommandError

from saleor_kinship.loyalty.scoring import (
    NothingToScore,
    RescoringInProgress,
    iter_fit_lines,
    rescore,
)
from saleor_kinship.loyalty.scoring_history import shop_today
from saleor_kinship.management.arguments import KinshipCommand, day
from saleor_kinship.privacy.mirror import mirror_changed_customers


class Command(KinshipCommand):
    help = (
        "Score every customer now: RFM scores and segments, probability alive, "
        "expected purchases and predicted 12-month value."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--as-of",
            type=day,
            help="Score as of this day (YYYY-MM-DD); today by default.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        as_of = options["as_of"]
        if as_of is not None and as_of > shop_today():
            raise CommandError(f"--as-of: {as_of} is in the future.")

        try:
            # A day asked for by name with no purchases by then is a mistake,
            # not a reason to clear every customer's scores.
            result = rescore(as_of, refuse_empty=as_of is not None)
        except (NothingToScore, RescoringInProgress) as error:
            raise CommandError(str(error))
        # The segments changed: bring the dashboard's copy up to date.
        mirror_changed_customers()

        seconds = sum(result.timings.values())
        self.stdout.write(
            f"Scored {result.customers} customers as of {result.as_of} "
            f"in {seconds:.2f} s."
        )
        if result.segments:
            self.stdout.write("Segments:")
            width = max(map(len, result.segments))
            for segment, customers in result.segments.most_common():
                self.stdout.write(f"  {segment:<{width}}  {customers:>8}")
        for fit in result.fits:
            for line in iter_fit_lines(fit):
                self.stdout.write(line)
