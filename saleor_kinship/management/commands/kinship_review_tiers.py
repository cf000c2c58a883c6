import zoneinfo
from datetime import datetime, time

from django.utils import timezone

from saleor_kinship.core.host import get_host
from saleor_kinship.loyalty.review import review_tiers
from saleor_kinship.management.arguments import KinshipCommand, day


class Command(KinshipCommand):
    help = (
        "Review every customer's tier now: tiers rise or fall to what the points "
        "reach. The periodic task does this on 1 January."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--today",
            type=day,
            help="Review as at the start of this day (YYYY-MM-DD) in the shop's "
            "time zone; now by default.",
        )

    def handle(self, *args, **options) -> None:
        programme = get_host().programme_settings()
        if programme.tier_review == "never":
            self.stdout.write(
                "The tier review is set to 'never': tiers never fall; nothing to do."
            )
            return
        at = timezone.now()
        if options["today"]:
            zone = zoneinfo.ZoneInfo(programme.time_zone)
            at = datetime.combine(options["today"], time(), tzinfo=zone)
        outcome = review_tiers(at, reason=f"Tier review {at.date().isoformat()}")
        self.stdout.write(
            f"Reviewed {outcome.reviewed:,} customer(s): {outcome.risen:,} rose, "
            f"{outcome.fallen:,} fell."
        )
