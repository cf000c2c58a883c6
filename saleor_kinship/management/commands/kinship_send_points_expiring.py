from saleor_kinship.emails.context import long_date
from saleor_kinship.emails.occasions import send_points_expiring_emails
from saleor_kinship.management.arguments import KinshipCommand, day


class Command(KinshipCommand):
    help = (
        "Queue reminders to customers whose points expire within the expiry "
        "warning days. Safe to run again: one reminder per expiry date."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--today",
            type=day,
            help="Run as on this day (YYYY-MM-DD); the shop's today by default.",
        )

    def handle(self, *args, **options) -> None:
        run = send_points_expiring_emails(options["today"])
        if run.note:
            self.stdout.write(
                f"No points-expiring e-mails queued for {long_date(run.day)}: "
                f"{run.note}."
            )
            return
        self.stdout.write(
            f"Queued {run.queued} points-expiring e-mail(s) for {long_date(run.day)}."
        )
