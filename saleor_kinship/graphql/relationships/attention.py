"""The merchant's "needs attention" list: follow-ups, dates and quiet customers."""

from dataclasses import dataclass
from datetime import date
from typing import Any

import graphene

from ...relationships.attention import follow_ups_due, quiet_customers
from ...relationships.dates import upcoming_dates
from ..core.connection import (
    CountableConnection,
    paginate,
    read_date,
    read_integer,
)
from ..core.scalars import Date, DateTime
from ..customers.dataloaders import CustomerByIdLoader
from .connections import list_connection
from .types import (
    CUSTOMER,
    KinshipFollowUpConnection,
    KinshipUpcomingDateConnection,
)


@dataclass(frozen=True)
class NeedsAttention:
    today: date
    days: int


class KinshipQuietCustomer(graphene.ObjectType):
    """A valued customer who has gone quiet, with the scores that say so."""

    customer = graphene.Field(CUSTOMER, required=True)
    last_order_at = DateTime(required=True)
    p_alive = graphene.Float(description="Probability she still buys, 0 to 1.")
    predicted_value_12m = graphene.Decimal(
        description="What she is expected to spend in the next 12 months."
    )
    predicted_value_currency = graphene.String()
    rfm_segment = graphene.String(required=True)

    @staticmethod
    def resolve_customer(root: Any, info: Any) -> Any:
        return CustomerByIdLoader(info.context).load(root.customer_id)


class KinshipQuietCustomerConnection(CountableConnection):
    class Meta:
        node = KinshipQuietCustomer


class KinshipNeedsAttention(graphene.ObjectType):
    """What the merchant should look at today."""

    today = Date(required=True, description="Today in the shop's time zone.")
    days = graphene.Int(required=True, description="How many days ahead dates count.")
    follow_ups_due = graphene.relay.ConnectionField(
        KinshipFollowUpConnection,
        description="Open follow-ups due today or earlier, oldest first.",
    )
    upcoming_dates = graphene.relay.ConnectionField(
        KinshipUpcomingDateConnection,
        description="Birthdays, anniversaries and custom dates from today to "
        "today + days, soonest first.",
    )
    quiet_customers = graphene.relay.ConnectionField(
        KinshipQuietCustomerConnection,
        description="Valued customers gone quiet (at risk, or loyal but "
        "unlikely to buy again), most valuable first.",
    )

    @staticmethod
    def resolve_follow_ups_due(root: NeedsAttention, info: Any, **page: Any) -> Any:
        return paginate(
            follow_ups_due(root.today),
            KinshipFollowUpConnection,
            order_by=("due_on", "pk"),
            **page,
        )

    @staticmethod
    def resolve_upcoming_dates(root: NeedsAttention, info: Any, **page: Any) -> Any:
        return list_connection(
            KinshipUpcomingDateConnection,
            upcoming_dates(root.today, root.days),
            {"date": read_date, "important_date_id": read_integer},
            page,
        )

    @staticmethod
    def resolve_quiet_customers(root: NeedsAttention, info: Any, **page: Any) -> Any:
        return paginate(
            quiet_customers(),
            KinshipQuietCustomerConnection,
            order_by=("-value", "-pk"),
            **page,
        )
