from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from devhost.account.tokens import issue_user_token
from saleor_kinship.management.arguments import KinshipCommand


class Command(KinshipCommand):
    help = (
        "Print a bearer token (valid 12 hours) for a user of the reference host; "
        "a staff user's token sees what her permissions allow."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("email", help="The user's e-mail address.")

    def handle(self, *args: Any, email: str, **options: Any) -> None:
        user = get_user_model()._default_manager.filter(email=email).first()
        if user is None:
            raise CommandError(f"No user has the e-mail {email}.")
        self.stdout.write(issue_user_token(user.pk))
