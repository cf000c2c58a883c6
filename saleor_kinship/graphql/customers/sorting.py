"""Sorting customers by loyalty values, keeping keyset pagination stable.

Every sort key is made non-null (customers without points sort as 0;
customers without scores, or who declined profiling, below every real
score), and the primary key breaks ties, so each customer has one place in
the order and cursors stay valid.
"""

from decimal import Decimal
from enum import StrEnum
from typing import Any

import graphene
from django.db.models import (
    Case,
    DecimalField,
    Expression,
    F,
    Field,
    FloatField,
    IntegerField,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from ...core.host import get_host
from ...loyalty.profiling import has_declined_profiling

SORT_KEY = "kinship_sort"


class CustomerSortField(StrEnum):
    BALANCE = "balance"
    LIFETIME_POINTS = "lifetime_points"
    TIER = "tier"
    PREDICTED_VALUE = "predicted_value"
    PROBABILITY_ACTIVE = "probability_active"


KinshipCustomerSortField = graphene.Enum(
    "KinshipCustomerSortField",
    [(field.name, field.value) for field in CustomerSortField],
    description="What to sort customers by. Unscored customers come last when "
    "sorting by scores in descending order.",
)

KinshipCustomerSortDirection = graphene.Enum(
    "KinshipCustomerSortDirection",
    [("ASC", "asc"), ("DESC", "desc")],
    description="Ascending or descending.",
)


class KinshipCustomerSortingInput(graphene.InputObjectType):
    field = graphene.Field(KinshipCustomerSortField, required=True)
    direction = graphene.Field(
        KinshipCustomerSortDirection,
        description="ASC unless DESC is given.",
    )


def _score_key(score: str, unscored: Value, output_field: Field) -> Expression:
    """Return a score to sort by; `unscored` for customers without it.

    A customer who declined profiling sorts as unscored.
    """
    return Case(
        When(has_declined_profiling("pk"), then=unscored),
        default=Coalesce(F(score), unscored),
        output_field=output_field,
    )


def _sort_key(field: CustomerSortField) -> Expression:
    if field == CustomerSortField.BALANCE:
        return Coalesce(F("kinship_loyalty__balance"), 0, output_field=IntegerField())
    if field == CustomerSortField.LIFETIME_POINTS:
        return Coalesce(
            F("kinship_loyalty__lifetime_points"), 0, output_field=IntegerField()
        )
    if field == CustomerSortField.PREDICTED_VALUE:
        # Shortcoming: values in different currencies are compared as numbers.
        return _score_key(
            "kinship_loyalty__predicted_value_12m",
            Value(Decimal(-1)),
            DecimalField(max_digits=12, decimal_places=2),
        )
    if field == CustomerSortField.PROBABILITY_ACTIVE:
        return _score_key("kinship_loyalty__p_alive", Value(-1.0), FloatField())
    tiers = get_host().programme_settings().tiers
    return Case(
        *[
            When(kinship_loyalty__tier=tier.name, then=Value(rank))
            for rank, tier in enumerate(tiers)
        ],
        default=Value(-1),
        output_field=IntegerField(),
    )


def sort_customers(
    queryset: QuerySet, sort_by: dict[str, Any] | None
) -> tuple[QuerySet, tuple[str, ...]]:
    """Return the queryset with its sort key and the order_by for paginate()."""
    if not sort_by:
        return queryset, ("-pk",)
    sign = "-" if sort_by.get("direction") == "desc" else ""
    queryset = queryset.annotate(
        **{SORT_KEY: _sort_key(CustomerSortField(sort_by["field"]))}
    )
    return queryset, (f"{sign}{SORT_KEY}", f"{sign}pk")
