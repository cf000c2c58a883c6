"""Which way of writing every customer's scores back is fastest?

Scores the customers once, then writes the same scores with each method a
few times and prints the median seconds; the first is kinship's. Run it
against a database that holds a scored shop, for example the benchmark's
kept with ``--keep-db``:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kinship_bench \\
        python -m bench.write_back
"""

import os
import statistics
import time
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal

import django
import numpy as np

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "devhost.settings")
django.setup()

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from saleor_kinship.loyalty.models import LoyaltyAccount  # noqa: E402
from saleor_kinship.loyalty.scoring import (  # noqa: E402
    CurrencyScores,
    score_currency,
    write_scores,
)
from saleor_kinship.loyalty.scoring_history import (  # noqa: E402
    by_main_currency,
    load_history,
)

AS_OF = date(1998, 6, 30)
COLUMNS = (
    "recency",
    "frequency",
    "monetary",
    "segments",
    "p_alive",
    "expected_purchases_90d",
    "predicted_value_12m",
)
TABLE = LoyaltyAccount._meta.db_table
ASSIGNMENTS = """
    rfm_recency = s.recency, rfm_frequency = s.frequency,
    rfm_monetary = s.monetary, rfm_segment = s.segment,
    p_alive = NULLIF(s.p_alive, 'NaN'),
    expected_purchases_90d = NULLIF(s.expected, 'NaN'),
    predicted_value_12m = round(NULLIF(s.value, 'NaN')::numeric, 2),
    predicted_value_currency = s.currency, scored_at = %s
"""


def rows(groups: list[CurrencyScores]) -> list[tuple]:
    """Return one tuple per customer, in the columns' order."""
    result = []
    for group in groups:
        columns = [group.customers.tolist()]
        columns += [getattr(group, name).tolist() for name in COLUMNS]
        currency = [group.fit.currency] * group.customers.size
        result.extend(zip(*columns, currency, strict=True))
    return result


def with_kinship(groups: list[CurrencyScores], scored_at: datetime) -> None:
    write_scores(groups, scored_at)


def with_unnest(groups: list[CurrencyScores], scored_at: datetime) -> None:
    columns = list(zip(*rows(groups), strict=True))
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {TABLE} AS account SET {ASSIGNMENTS} FROM unnest("
            "%s::bigint[], %s::smallint[], %s::smallint[], %s::smallint[], "
            "%s::varchar[], %s::float8[], %s::float8[], %s::float8[], "
            "%s::varchar[]) AS s(customer_id, recency, frequency, monetary, "
            "segment, p_alive, expected, value, currency) "
            "WHERE account.customer_id = s.customer_id",
            [scored_at, *(list(column) for column in columns)],
        )


def with_values(groups: list[CurrencyScores], scored_at: datetime) -> None:
    values = rows(groups)
    with connection.cursor() as cursor:
        for start in range(0, len(values), 5000):
            batch = values[start : start + 5000]
            placeholders = ",".join(
                ["(%s::bigint,%s::smallint,%s::smallint,%s::smallint,%s,"
                 "%s::float8,%s::float8,%s::float8,%s)"] * len(batch)
            )  # fmt: skip
            cursor.execute(
                f"UPDATE {TABLE} AS account SET {ASSIGNMENTS} "
                f"FROM (VALUES {placeholders}) AS s(customer_id, recency, "
                "frequency, monetary, segment, p_alive, expected, value, currency) "
                "WHERE account.customer_id = s.customer_id",
                [scored_at, *(value for row in batch for value in row)],
            )


def with_bulk_update(groups: list[CurrencyScores], scored_at: datetime) -> None:
    accounts = []
    ids = dict(LoyaltyAccount.objects.values_list("customer_id", "pk"))
    for row in rows(groups):
        customer, recency, frequency, monetary, segment, alive, expected, value, cur = (
            row
        )
        accounts.append(
            LoyaltyAccount(
                pk=ids[customer],
                rfm_recency=recency,
                rfm_frequency=frequency,
                rfm_monetary=monetary,
                rfm_segment=segment,
                p_alive=None if np.isnan(alive) else alive,
                expected_purchases_90d=None if np.isnan(expected) else expected,
                predicted_value_12m=None
                if np.isnan(value)
                else Decimal(value).quantize(Decimal("0.01")),
                predicted_value_currency=cur,
                scored_at=scored_at,
            )
        )
    LoyaltyAccount.objects.bulk_update(
        accounts,
        [
            "rfm_recency",
            "rfm_frequency",
            "rfm_monetary",
            "rfm_segment",
            "p_alive",
            "expected_purchases_90d",
            "predicted_value_12m",
            "predicted_value_currency",
            "scored_at",
        ],
        batch_size=2000,
    )


METHODS: dict[str, Callable[[list[CurrencyScores], datetime], None]] = {
    "COPY to a temporary table, UPDATE FROM it": with_kinship,
    "UPDATE FROM unnest(arrays)": with_unnest,
    "UPDATE FROM (VALUES ...), 5000 a statement": with_values,
    "bulk_update, 2000 a batch": with_bulk_update,
}


def main() -> None:
    groups = [
        score_currency(currency, purchases, AS_OF)
        for currency, purchases in by_main_currency(load_history(AS_OF)).items()
    ]
    customers = sum(group.customers.size for group in groups)
    print(f"Writing the scores of {customers:,} customers, median of 3 runs:")
    for name, method in METHODS.items():
        seconds = []
        for _ in range(3):
            started = time.perf_counter()
            with transaction.atomic():
                method(groups, timezone.now())
            seconds.append(time.perf_counter() - started)
        print(f"  {name:<45} {statistics.median(seconds):6.3f} s")


if __name__ == "__main__":
    main()
