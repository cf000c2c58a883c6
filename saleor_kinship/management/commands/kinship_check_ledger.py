from django.core.management.base import CommandError

from saleor_kinship.loyalty.checks import check_ledger
from saleor_kinship.management.arguments import KinshipCommand


class Command(KinshipCommand):
    help = "Prove that every points balance equals the sum of its ledger entries."

    def handle(self, *args, **options) -> None:
        result = check_ledger()
        if not result.consistent:
            holders = []
            if result.wrong_customers:
                ids = ", ".join(str(pk) for pk in result.wrong_customers)
                holders.append(f"{len(result.wrong_customers)} customer(s): {ids}")
            if result.wrong_guests:
                holders.append(f"{result.wrong_guests} guest holder(s)")
            raise CommandError(
                "Ledger mismatch: totals differ from the entries for "
                + "; ".join(holders)
            )
        self.stdout.write(
            f"Ledger consistent: {result.accounts:,} account(s), "
            f"{result.guests:,} guest holder(s), {result.entries:,} entries, "
            f"{result.points:,} points."
        )
