"""Filtering customers by their loyalty: tier, segment, balance and scores."""

from typing import Any

import graphene
from django.db.models import IntegerField, QuerySet, Value
from django.db.models.functions import Coalesce

from ...core.error_codes import KinshipErrorCode
from ...loyalty.profiling import declined_profiling
from ..core.errors import KinshipGraphQLError

SCORE_CONDITIONS = ("segments", "predicted_value", "probability_active")


class KinshipIntRangeInput(graphene.InputObjectType):
    gte = graphene.Int(description="At least this.")
    lte = graphene.Int(description="At most this.")


class KinshipFloatRangeInput(graphene.InputObjectType):
    gte = graphene.Float(description="At least this.")
    lte = graphene.Float(description="At most this.")


class KinshipDecimalRangeInput(graphene.InputObjectType):
    gte = graphene.Decimal(description="At least this.")
    lte = graphene.Decimal(description="At most this.")


class KinshipCustomerFilterInput(graphene.InputObjectType):
    tiers = graphene.List(
        graphene.NonNull(graphene.String),
        description="Customers in any of these tiers.",
    )
    segments = graphene.List(
        graphene.NonNull(graphene.String),
        description="Customers in any of these RFM segments, such as at_risk; "
        "only scored customers match.",
    )
    balance = graphene.Field(
        KinshipIntRangeInput, description="Points balance (0 without points)."
    )
    predicted_value = graphene.Field(
        KinshipDecimalRangeInput,
        description="Spend expected in 12 months; only scored customers match.",
    )
    probability_active = graphene.Field(
        KinshipFloatRangeInput,
        description="Probability of being active, 0 to 1; only scored customers match.",
    )


def _in_range(
    queryset: QuerySet, field: str, bounds: dict[str, Any] | None, name: str
) -> QuerySet:
    for lookup in ("gte", "lte"):
        value = (bounds or {}).get(lookup)
        if value is None:
            continue
        if hasattr(value, "is_finite") and not value.is_finite():
            raise KinshipGraphQLError(
                f"filter.{name}.{lookup} must be a finite number.",
                KinshipErrorCode.INVALID,
            )
        queryset = queryset.filter(**{f"{field}__{lookup}": value})
    return queryset


def filter_customers(queryset: QuerySet, given: dict[str, Any] | None) -> QuerySet:
    """Return the customers that match every condition given.

    A customer who declined profiling matches no condition on her scores.
    """
    if not given:
        return queryset
    if any(given.get(name) for name in SCORE_CONDITIONS):
        queryset = queryset.exclude(pk__in=declined_profiling())
    if given.get("tiers"):
        queryset = queryset.filter(kinship_loyalty__tier__in=given["tiers"])
    if given.get("segments"):
        queryset = queryset.filter(kinship_loyalty__rfm_segment__in=given["segments"])
    if given.get("balance"):
        queryset = queryset.annotate(
            kinship_balance=Coalesce(
                "kinship_loyalty__balance", Value(0), output_field=IntegerField()
            )
        )
        queryset = _in_range(queryset, "kinship_balance", given["balance"], "balance")
    queryset = _in_range(
        queryset,
        "kinship_loyalty__predicted_value_12m",
        given.get("predicted_value"),
        "predictedValue",
    )
    return _in_range(
        queryset,
        "kinship_loyalty__p_alive",
        given.get("probability_active"),
        "probabilityActive",
    )
