import json
import os
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError
from django.core.serializers.json import DjangoJSONEncoder

from saleor_kinship.management.arguments import KinshipCommand
from saleor_kinship.privacy.export import export_customer, find_customer


class Command(KinshipCommand):
    help = (
        "Export everything kinship holds about one customer as JSON: profile, "
        "relatives, dates, gifts, follow-ups, timeline, points, reseller "
        "standing and e-mails."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("customer", help="The customer's id or e-mail address.")
        parser.add_argument(
            "--output", help="Write the JSON to this file instead of the output."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        reference = options["customer"]
        customer = find_customer(reference)
        if customer is None:
            raise CommandError(f"No customer has the id or e-mail {reference!r}.")
        text = json.dumps(
            export_customer(customer), cls=DjangoJSONEncoder, indent=2, sort_keys=True
        )

        if not options["output"]:
            self.stdout.write(text)
            return
        path = Path(options["output"])
        try:
            # Personal data: readable by the file's owner only.
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(descriptor, "w", encoding="utf-8") as output:
                output.write(text + "\n")
        except OSError as error:
            raise CommandError(f"--output: cannot write {path}: {error.strerror}.")
        self.stdout.write(f"Wrote the data of customer {customer.pk} to {path}.")
