"""Loaders for reseller fields: a list of resellers runs a fixed number of queries."""

from datetime import date
from typing import Any

from django.db.models import QuerySet

from ...resellers import performance
from ...resellers.models import Reseller, ResellerLink, ResellerStatusChange
from ...resellers.statements import Statement, statements_for
from ..core.dataloaders import ByForeignKeyLoader, ByIdLoader, DataLoader

Period = tuple[int, date, date]


class ResellerByIdLoader(ByIdLoader):
    model = Reseller


class ResellerByCustomerIdLoader(DataLoader):
    def batch_load(self, keys: list[int]) -> list[Reseller | None]:
        rows = {
            row.customer_id: row
            for row in Reseller.objects.filter(customer_id__in=keys)
        }
        return [rows.get(key) for key in keys]


class StatusChangesByResellerIdLoader(ByForeignKeyLoader):
    model = ResellerStatusChange
    field = "reseller"


class LinksByCustomerIdLoader(ByForeignKeyLoader):
    model = ResellerLink
    field = "customer"

    def queryset(self) -> QuerySet:
        return ResellerLink.objects.order_by("-valid_from", "-pk")


class CustomersBroughtLoader(DataLoader):
    def batch_load(self, keys: list[int]) -> list[int]:
        counts = performance.customers_brought(keys)
        return [counts[key] for key in keys]


class CustomerTiersLoader(DataLoader):
    def batch_load(self, keys: list[int]) -> list[list[tuple[str, int]]]:
        tiers = performance.customer_tiers(keys)
        return [tiers[key] for key in keys]


def _by_period(keys: list[Period], compute: Any) -> list[Any]:
    """Run `compute(ids, date_from, date_to)` once per distinct period."""
    periods: dict[tuple[date, date], list[int]] = {}
    for reseller_id, date_from, date_to in keys:
        periods.setdefault((date_from, date_to), []).append(reseller_id)
    results = {period: compute(ids, *period) for period, ids in periods.items()}
    return [results[(date_from, date_to)][pk] for pk, date_from, date_to in keys]


class StatementsLoader(DataLoader):
    """Keys are (reseller id, date_from, date_to)."""

    def batch_load(self, keys: list[Period]) -> list[list[Statement]]:
        return _by_period(keys, statements_for)


class CustomersLinkedLoader(DataLoader):
    """Keys are (reseller id, date_from, date_to)."""

    def batch_load(self, keys: list[Period]) -> list[int]:
        return _by_period(keys, performance.customers_linked)
