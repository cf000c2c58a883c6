from django.utils import timezone

from saleor_kinship.core.host import get_host
from saleor_kinship.loyalty.expiry import expire_points
from saleor_kinship.loyalty.periodic import local_today
from saleor_kinship.management.arguments import KinshipCommand, day


class Command(KinshipCommand):
    help = "Expire the points that are due (earned too many months ago)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--today",
            type=day,
            help="Expire as on this day (YYYY-MM-DD); the shop's today by default.",
        )

    def handle(self, *args, **options) -> None:
        months = get_host().programme_settings().points_expiry_months
        if not months:
            self.stdout.write(
                "Points never expire (expiry is 0 months): nothing to do."
            )
            return
        now = timezone.now()
        today = options["today"] or local_today(now)
        outcome = expire_points(today, now=now)
        self.stdout.write(
            f"Expired {outcome.points:,} point(s) of {outcome.customers:,} "
            f"customer(s) as on {today.isoformat()}."
        )
