import argparse
from datetime import datetime

from django.core.management.base import BaseCommand

from saleor_kinship.emails.context import long_date
from saleor_kinship.emails.occasions import send_birthday_emails


def parse_moment(value: str) -> datetime:
    """Parse --now; argparse turns the error into one line."""
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{value}' is not a time like 2027-02-28T09:00 (or with +01:00)."
        )


class Command(BaseCommand):
    help = (
        "Queue today's birthday e-mails (the shop's today, from the configured "
        "hour). Safe to run again: each customer gets one greeting a year."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--now",
            type=parse_moment,
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
