"""Proof that every balance is the sum of its ledger entries."""

from dataclasses import dataclass

from django.db import connection

from .ledger import ACCOUNTS, ENTRIES, GUESTS, QUALIFYING_SQL


@dataclass(frozen=True)
class LedgerCheck:
    accounts: int
    guests: int
    entries: int
    points: int
    # Customers whose balance or lifetime points differ from their entries.
    wrong_customers: list[int]
    wrong_guests: int

    @property
    def consistent(self) -> bool:
        return not self.wrong_customers and not self.wrong_guests


def check_ledger() -> LedgerCheck:
    """Compare every holder's totals with its entries, in one statement."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH totals AS (
                SELECT COALESCE(customer_id::text, '@' || email) AS holder,
                       COUNT(*) AS entries, SUM(points) AS balance,
                       SUM({QUALIFYING_SQL}) AS lifetime
                FROM {ENTRIES}
                GROUP BY 1
            ), holders AS (
                SELECT customer_id::text AS holder, balance, lifetime_points
                FROM {ACCOUNTS}
                UNION ALL
                SELECT '@' || email, balance, lifetime_points FROM {GUESTS}
            ), compared AS (
                SELECT holder,
                       COALESCE(totals.entries, 0) AS entries,
                       COALESCE(totals.balance, 0) AS points,
                       holders.balance IS DISTINCT FROM COALESCE(totals.balance, 0)
                       OR holders.lifetime_points
                          IS DISTINCT FROM COALESCE(totals.lifetime, 0) AS wrong
                FROM holders FULL OUTER JOIN totals USING (holder)
            )
            SELECT
                COUNT(*) FILTER (WHERE holder NOT LIKE '@%'),
                COUNT(*) FILTER (WHERE holder LIKE '@%'),
                COALESCE(SUM(entries), 0),
                COALESCE(SUM(points), 0),
                COALESCE(
                    ARRAY_AGG(holder::bigint ORDER BY holder::bigint)
                    FILTER (WHERE wrong AND holder NOT LIKE '@%'),
                    '{{}}'
                ),
                COUNT(*) FILTER (WHERE wrong AND holder LIKE '@%')
            FROM compared
            """
        )
        accounts, guests, entries, points, wrong, wrong_guests = cursor.fetchone()
    return LedgerCheck(
        accounts=accounts,
        guests=guests,
        entries=int(entries),
        points=int(points),
        wrong_customers=list(wrong),
        wrong_guests=wrong_guests,
    )
