from saleor_kinship.emails.context import long_date
from saleor_kinship.emails.occasions import send_birthday_emails
from saleor_kinship.management.arguments import KinshipCommand, moment


class Command(KinshipCommand):
    help = (
        "Queue today's birthday e-mails (the shop's today, from the configured "
        "hour). Safe to run again: each customer gets one greeting a year."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--now",
            type=moment,
            help="Run as at this ISO 8601 time; without an offset it is read in "
            "the shop's time zone.",
        )

    def handle(self, *args, **options) -> None:
        run = send_birthday_emails(options["now"])
        when = f"{long_date(run.day)} ({run.time_zone})"
        if run.note:
            self.stdout.write(f"No birthday e-mails queued for {when}: {run.note}.")
            return
        self.stdout.write(f"Queued {run.queued} birthday e-mail(s) for {when}.")
