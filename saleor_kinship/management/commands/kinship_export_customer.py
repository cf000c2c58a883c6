import binascii
import json
import os
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError
from django.core.serializers.json import DjangoJSONEncoder
from graphql_relay import from_global_id

from saleor_kinship.graphql.core.ids import CUSTOMER_TYPE
from saleor_kinship.management.arguments import KinshipCommand
from saleor_kinship.privacy.export import export_customer, find_customer


class Command(KinshipCommand):
    help = (
        "Export everything kinship holds about one customer as JSON: profile, "
        "relatives, dates, gifts, follow-ups, timeline, points, reseller "
        "standing and e-mails."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "customer",
            help="The customer's id (1 or Saleor's VXNlcjox) or e-mail address.",
        )
        parser.add_argument(
            "--output", help="Write the JSON to this file instead of the output."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["output"] is not None and not options["output"].strip():
            raise CommandError(
                "--output needs a file name; leave it out to print the JSON."
            )
        reference = options["customer"]
        customer = find_customer(primary_key(reference))
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


def primary_key(reference: str) -> str:
    """Return the primary key a `User:` global id stands for; else the reference.

    Refuses in one line the global id of something that is not a customer.
    """
    text = reference.strip()
    if "@" in text or text.isdigit():
        return text
    try:
        type_name, raw_pk = from_global_id(text)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return text
    if type_name != CUSTOMER_TYPE:
        raise CommandError(
            f"{reference!r} is an id of type {type_name!r}, not a customer's "
            f"({CUSTOMER_TYPE!r})."
        )
    return raw_pk
