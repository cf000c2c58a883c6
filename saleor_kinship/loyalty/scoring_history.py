"""The purchase history the scoring reads, as numpy arrays.

The history is kinship's copy of the shop's orders (`LoyaltyOrder`). A
purchase is an order of a customer with a loyalty account that is not
cancelled, is paid in full and is not refunded in full; its amount is what
was paid less what was refunded. An order with a total of 0 is a purchase
too: it earns no points, but the customer came back. Days are calendar days
in the shop's time zone (the programme's setting).

A customer who declined profiling (see `profiling`) is left out: her
purchases are not read, so she is not scored and takes no part in the
quintiles or the models of the others.

Customers are compared with the customers of their own currency: the one in
which they placed most purchases (the latest purchase breaks a tie). Amounts
in different currencies cannot be added up without exchange rates, so a
customer's purchases in other currencies are left out of her scores.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np
from django.db import connection
from django.utils import timezone
from numpy.typing import NDArray

from ..core.host import get_host
from ..relationships.models import CustomerProfile
from .models import LoyaltyAccount, LoyaltyOrder

FloatArray = NDArray[np.float64]

HISTORY_SQL = """
SELECT array_agg(o.customer_id),
       array_agg((o.placed_at AT TIME ZONE %(time_zone)s)::date - DATE '1970-01-01'),
       array_agg(o.currency),
       array_agg((o.paid_amount - o.refunded_amount)::float8)
FROM {orders} o
JOIN {accounts} a ON a.customer_id = o.customer_id
LEFT JOIN {profiles} p ON p.customer_id = o.customer_id
WHERE NOT o.cancelled
  AND p.profiling_consent IS NOT FALSE
  AND o.paid_amount >= o.total
  AND (o.refunded_amount = 0 OR o.refunded_amount < o.paid_amount)
  AND o.placed_at < %(end)s
"""


@dataclass(frozen=True)
class PurchaseHistory:
    """Purchases as parallel arrays: customer id, day, currency, amount."""

    customers: NDArray[np.int64]
    days: NDArray[np.datetime64]
    currencies: NDArray[np.str_]
    amounts: FloatArray

    def select(self, keep: NDArray[np.bool_]) -> "PurchaseHistory":
        return PurchaseHistory(
            self.customers[keep],
            self.days[keep],
            self.currencies[keep],
            self.amounts[keep],
        )


def shop_time_zone() -> ZoneInfo:
    return ZoneInfo(get_host().programme_settings().time_zone)


def shop_today() -> date:
    return timezone.now().astimezone(shop_time_zone()).date()


def load_history(as_of: date) -> PurchaseHistory:
    """Read every purchase made on or before ``as_of`` with one query.

    Purchases of customers who declined profiling are left out.
    """
    zone = shop_time_zone()
    end = datetime.combine(as_of + timedelta(days=1), time(), tzinfo=zone)
    query = HISTORY_SQL.format(
        orders=LoyaltyOrder._meta.db_table,
        accounts=LoyaltyAccount._meta.db_table,
        profiles=CustomerProfile._meta.db_table,
    )
    with connection.cursor() as cursor:
        cursor.execute(query, {"end": end, "time_zone": zone.key})
        customers, days, currencies, amounts = cursor.fetchone()
    return PurchaseHistory(
        customers=np.array(customers or [], dtype=np.int64),
        days=np.array(days or [], dtype=np.int64).astype("datetime64[D]"),
        currencies=np.array(currencies or [], dtype="U3"),
        amounts=np.array(amounts or [], dtype=np.float64),
    )


def by_main_currency(history: PurchaseHistory) -> dict[str, PurchaseHistory]:
    """Split the history by currency, each customer's purchases in her main one."""
    codes, currency_index = np.unique(history.currencies, return_inverse=True)
    if codes.size <= 1:
        return {str(code): history for code in codes}

    pair_key = history.customers * codes.size + currency_index
    pairs, pair_of_purchase, purchases = np.unique(
        pair_key, return_inverse=True, return_counts=True
    )
    latest = np.zeros(pairs.size, dtype=np.int64)
    np.maximum.at(latest, pair_of_purchase, history.days.astype(np.int64))
    # Sorted by customer, then purchases, then latest day: the last pair of
    # each customer is her main currency.
    ranked = np.lexsort((latest, purchases, pairs // codes.size))
    ranked_customers = (pairs // codes.size)[ranked]
    last_of_customer = np.append(ranked_customers[1:] != ranked_customers[:-1], True)
    main = np.isin(pair_key, pairs[ranked[last_of_customer]])
    return {
        str(code): history.select(main & (currency_index == index))
        for index, code in enumerate(codes)
        if np.any(main & (currency_index == index))
    }
