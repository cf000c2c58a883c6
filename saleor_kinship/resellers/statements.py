"""Commission statements: what a reseller's customers bought and she earned."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, F, Q, Sum

from ..core.currencies import quantize
from .models import Attribution, CommissionEntry, CommissionKind, Reseller
from .periods import period_bounds

ZERO = Decimal(0)


@dataclass(frozen=True)
class Statement:
    """One reseller's figures in one currency over the days date_from..date_to.

    Orders and revenue count orders placed in the period (cancelled ones
    left out; revenue is paid minus refunded); commission counts ledger
    entries recorded in the period.
    """

    currency: str
    date_from: date
    date_to: date
    orders: int = 0
    revenue: Decimal = ZERO
    commission_accrued: Decimal = ZERO
    commission_reversed: Decimal = ZERO

    @property
    def commission_net(self) -> Decimal:
        return self.commission_accrued - self.commission_reversed


def statements_for(
    reseller_ids: Iterable[int], date_from: date, date_to: date
) -> dict[int, list[Statement]]:
    """Return each reseller's statements, one per currency, in two SQL queries."""
    ids = list(reseller_ids)
    first, last = period_bounds(date_from, date_to)
    Key = tuple[int, str]

    orders = (
        Attribution.objects.filter(
            reseller_id__in=ids,
            order_created_at__gte=first,
            order_created_at__lte=last,
            cancelled=False,
        )
        .values("reseller_id", "currency")
        .annotate(orders=Count("pk"), revenue=Sum(F("paid") - F("refunded")))
    )
    sales: dict[Key, tuple[int, Decimal]] = {
        (row["reseller_id"], row["currency"]): (row["orders"], row["revenue"])
        for row in orders
    }

    entries = (
        CommissionEntry.objects.filter(
            reseller_id__in=ids, recorded_at__gte=first, recorded_at__lte=last
        )
        .values("reseller_id", "currency")
        .annotate(
            accrued=Sum("amount", filter=Q(kind=CommissionKind.ACCRUE)),
            reversed=Sum("amount", filter=Q(kind=CommissionKind.REVERSE)),
        )
    )
    ledger: dict[Key, tuple[Decimal, Decimal]] = {
        (row["reseller_id"], row["currency"]): (
            row["accrued"] or ZERO,
            row["reversed"] or ZERO,
        )
        for row in entries
    }

    result: dict[int, list[Statement]] = {pk: [] for pk in ids}
    for reseller_id, currency in sorted(sales.keys() | ledger.keys()):
        count, revenue = sales.get((reseller_id, currency), (0, ZERO))
        accrued, reversed_ = ledger.get((reseller_id, currency), (ZERO, ZERO))
        result[reseller_id].append(
            Statement(
                currency=currency,
                date_from=date_from,
                date_to=date_to,
                orders=count,
                revenue=quantize(revenue, currency),
                commission_accrued=quantize(accrued, currency),
                commission_reversed=quantize(reversed_, currency),
            )
        )
    return result


def statement(reseller: Reseller, date_from: date, date_to: date) -> list[Statement]:
    """Return the reseller's statements for the days date_from..date_to."""
    return statements_for([reseller.pk], date_from, date_to)[reseller.pk]
