"""Finding and sorting resellers for staff."""

from decimal import Decimal
from enum import StrEnum

from django.db.models import (
    Case,
    Count,
    DecimalField,
    F,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from ...core.host import get_host
from ...resellers.models import (
    Attribution,
    CommissionEntry,
    CommissionKind,
    Reseller,
    ResellerLink,
)
from ..customers.resolvers import customers


class ResellerSortField(StrEnum):
    CUSTOMERS = "customers"
    REVENUE = "revenue"
    COMMISSION = "commission"
    NAME = "name"


AMOUNT: DecimalField = DecimalField(max_digits=20, decimal_places=3)


def _customers_brought() -> Coalesce:
    active = (
        ResellerLink.objects.filter(reseller=OuterRef("pk"), valid_to__isnull=True)
        .values("reseller")
        .annotate(count=Count("customer_id", distinct=True))
        .values("count")
    )
    return Coalesce(Subquery(active, output_field=IntegerField()), Value(0))


def _revenue(channel: str) -> Coalesce:
    paid = (
        Attribution.objects.filter(
            reseller=OuterRef("pk"), channel=channel, cancelled=False
        )
        .values("reseller")
        .annotate(total=Sum(F("paid") - F("refunded")))
        .values("total")
    )
    return Coalesce(Subquery(paid, output_field=AMOUNT), Value(Decimal(0)))


def _commission(channel: str) -> Coalesce:
    signed = Case(
        When(kind=CommissionKind.ACCRUE, then=F("amount")),
        default=-F("amount"),
        output_field=AMOUNT,
    )
    net = (
        CommissionEntry.objects.filter(
            reseller=OuterRef("pk"), attribution__channel=channel
        )
        .values("reseller")
        .annotate(total=Sum(signed))
        .values("total")
    )
    return Coalesce(Subquery(net, output_field=AMOUNT), Value(Decimal(0)))


def resellers(status: str | None = None, search: str | None = None) -> QuerySet:
    queryset = Reseller.objects.select_related("customer")
    if status:
        queryset = queryset.filter(status=status)
    if search:
        queryset = queryset.filter(customer__in=customers(search))
    return queryset


def sorted_resellers(
    queryset: QuerySet,
    field: ResellerSortField,
    descending: bool,
    channel: str | None = None,
) -> tuple[QuerySet, tuple[str, ...]]:
    """Annotate the sort value and return the keyset ordering, ending in pk.

    Revenue and commission are summed within one channel (one currency),
    the default channel unless another is named.
    """
    channel = channel or get_host().default_channel_slug()
    if field == ResellerSortField.CUSTOMERS:
        queryset = queryset.annotate(sort_customers=_customers_brought())
        columns: tuple[str, ...] = ("sort_customers", "pk")
    elif field == ResellerSortField.REVENUE:
        queryset = queryset.annotate(sort_revenue=_revenue(channel))
        columns = ("sort_revenue", "pk")
    elif field == ResellerSortField.COMMISSION:
        queryset = queryset.annotate(sort_commission=_commission(channel))
        columns = ("sort_commission", "pk")
    else:
        columns = (
            "customer__last_name",
            "customer__first_name",
            "customer__email",
            "pk",
        )
    if descending:
        columns = tuple(f"-{column}" for column in columns)
    return queryset, columns
