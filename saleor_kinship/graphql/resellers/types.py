"""GraphQL types of resellers.

Two views of a reseller: `KinshipReseller` for staff, with her customers and
history, and `KinshipResellerAccount` for the reseller herself, which
reaches no customer of hers: no names, e-mails or orders.
"""

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

import graphene
from graphql.language import ast
from graphql_relay import to_global_id

from ...core.error_codes import KinshipErrorCode
from ...resellers.models import Reseller, ResellerLink, ResellerStatus
from ...resellers.statements import Statement
from ..core.connection import CountableConnection, paginate
from ..core.errors import KinshipGraphQLError
from ..core.permissions import MANAGE_USERS, permission_required
from ..core.scalars import Date, DateTime, readable
from ..customers.dataloaders import CustomerByIdLoader
from .dataloaders import (
    CustomersBroughtLoader,
    CustomersLinkedLoader,
    CustomerTiersLoader,
    ResellerByIdLoader,
    StatementsLoader,
    StatusChangesByResellerIdLoader,
)

# Named by path: the customer type imports this module through its fields.
KINSHIP_CUSTOMER = "saleor_kinship.graphql.customers.types.KinshipCustomer"

KinshipResellerStatus = graphene.Enum(
    "KinshipResellerStatus",
    [(status.name, status.value) for status in ResellerStatus],
    description="Where a customer stands as a reseller.",
)


def period_arguments() -> dict[str, Any]:
    return {
        "date_from": Date(
            required=True, description="First day of the period (shop's time zone)."
        ),
        "date_to": Date(required=True, description="Last day of the period, included."),
    }


def check_period(date_from: Any, date_to: Any) -> tuple[date, date]:
    """Return the days of a period; refuse one not readable or reversed."""
    first = readable(date_from, "dateFrom")
    last = readable(date_to, "dateTo")
    if first is None or last is None:
        raise KinshipGraphQLError("Give dates as YYYY-MM-DD.", KinshipErrorCode.INVALID)
    if last < first:
        raise KinshipGraphQLError(
            "dateTo must not come before dateFrom.", KinshipErrorCode.INVALID
        )
    return first, last


class KinshipPercent(graphene.Scalar):
    """A percentage as a decimal, such as "12.5" (a string or a number)."""

    @staticmethod
    def serialize(value: Decimal) -> str:
        # "10", not "10.0000" or "1E+1"; "0", not "-0".
        percent = Decimal(value).normalize()
        return format(abs(percent) if percent.is_zero() else percent, "f")

    @staticmethod
    def parse_value(value: Any) -> Decimal | None:
        # graphene's Decimal lets InvalidOperation escape as an internal error.
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            return None
        try:
            return Decimal(str(value))
        except InvalidOperation:
            return None

    @classmethod
    def parse_literal(cls, node: Any) -> Decimal | None:
        if isinstance(node, ast.StringValue | ast.IntValue | ast.FloatValue):
            return cls.parse_value(node.value)
        return None


class KinshipCommissionStatement(graphene.ObjectType):
    """A reseller's figures in one currency over a period."""

    currency = graphene.String(required=True)
    date_from = Date(required=True)
    date_to = Date(required=True)
    orders = graphene.Int(
        required=True,
        description="Orders of her customers placed in the period, not cancelled.",
    )
    revenue = graphene.Decimal(
        required=True, description="What those orders paid, less refunds."
    )
    commission_accrued = graphene.Decimal(
        required=True, description="Commission earned in the period."
    )
    commission_reversed = graphene.Decimal(
        required=True,
        description="Commission taken back in the period for refunds and "
        "cancellations.",
    )
    commission_net = graphene.Decimal(
        required=True, description="Accrued less reversed."
    )

    @staticmethod
    def resolve_commission_net(root: Statement, info: Any) -> Any:
        return root.commission_net


class KinshipResellerTierCount(graphene.ObjectType):
    tier = graphene.String(
        description="Loyalty tier; null for customers without a tier yet."
    )
    customers = graphene.Int(required=True)

    @staticmethod
    def resolve_tier(root: tuple[str, int], info: Any) -> str | None:
        return root[0] or None

    @staticmethod
    def resolve_customers(root: tuple[str, int], info: Any) -> int:
        return root[1]


class ResellerStandingFields:
    """Fields both views of a reseller share."""

    status = graphene.Field(KinshipResellerStatus, required=True)
    commission_rate = graphene.Field(
        KinshipPercent,
        description="Commission in percent; null until the first approval.",
    )
    applied_at = DateTime(required=True)
    approved_at = DateTime(description="When she was first approved.")
    customers_brought = graphene.Int(
        required=True, description="Customers linked to her now."
    )
    statements = graphene.List(
        graphene.NonNull(KinshipCommissionStatement),
        required=True,
        description="Her figures over the period, one per currency.",
        **period_arguments(),
    )

    @staticmethod
    def resolve_customers_brought(root: Reseller, info: Any) -> Any:
        return CustomersBroughtLoader(info.context).load(root.pk)

    @staticmethod
    def resolve_statements(
        root: Reseller, info: Any, date_from: date, date_to: date
    ) -> Any:
        return StatementsLoader(info.context).load(
            (root.pk, *check_period(date_from, date_to))
        )


class KinshipResellerAccount(ResellerStandingFields, graphene.ObjectType):
    """A customer's own reseller standing; nothing about the customers she brought."""

    message = graphene.String(
        required=True, description="What she wrote when she applied."
    )


class KinshipResellerStatusChange(graphene.ObjectType):
    id = graphene.ID(required=True)
    previous_status = graphene.Field(
        KinshipResellerStatus, description="Null for the application."
    )
    status = graphene.Field(KinshipResellerStatus, required=True)
    reason = graphene.String(required=True)
    changed_at = DateTime(required=True)
    changed_by = graphene.Field(
        KINSHIP_CUSTOMER, description="The staff member or customer who made it."
    )
    changed_by_app = graphene.String(
        description="Id of the App that made it, if an App did."
    )

    @staticmethod
    def resolve_id(root: Any, info: Any) -> str:
        return to_global_id("KinshipResellerStatusChange", root.pk)

    @staticmethod
    def resolve_previous_status(root: Any, info: Any) -> str | None:
        return root.previous_status or None

    @staticmethod
    def resolve_changed_by(root: Any, info: Any) -> Any:
        if root.changed_by_id is None:
            return None
        return CustomerByIdLoader(info.context).load(root.changed_by_id)

    @staticmethod
    def resolve_changed_by_app(root: Any, info: Any) -> str | None:
        return root.changed_by_app or None


class KinshipResellerLink(graphene.ObjectType):
    """A customer brought by a reseller over a period; open while validTo is null."""

    id = graphene.ID(required=True)
    customer = graphene.Field(KINSHIP_CUSTOMER, required=True)
    reseller = graphene.Field(lambda: KinshipReseller, required=True)
    valid_from = DateTime(required=True)
    valid_to = DateTime()
    is_active = graphene.Boolean(required=True)
    created_at = DateTime(required=True)

    @staticmethod
    def resolve_id(root: ResellerLink, info: Any) -> str:
        return to_global_id("KinshipResellerLink", root.pk)

    @staticmethod
    @permission_required(MANAGE_USERS)
    def resolve_customer(root: ResellerLink, info: Any) -> Any:
        return CustomerByIdLoader(info.context).load(root.customer_id)

    @staticmethod
    def resolve_reseller(root: ResellerLink, info: Any) -> Any:
        return ResellerByIdLoader(info.context).load(root.reseller_id)


class KinshipResellerLinkConnection(CountableConnection):
    class Meta:
        node = KinshipResellerLink


class KinshipReseller(ResellerStandingFields, graphene.ObjectType):
    """A reseller as staff see her: her customers, figures and history."""

    id = graphene.ID(required=True)
    customer = graphene.Field(
        KINSHIP_CUSTOMER, required=True, description="The reseller's own account."
    )
    message = graphene.String(
        required=True, description="What she wrote when she applied."
    )
    status_history = graphene.List(
        graphene.NonNull(KinshipResellerStatusChange),
        required=True,
        description="Every change of her status, newest first.",
    )
    customers_linked = graphene.Int(
        required=True,
        description="Customers whose link to her began in the period.",
        **period_arguments(),
    )
    customer_tiers = graphene.List(
        graphene.NonNull(KinshipResellerTierCount),
        required=True,
        description="Customers linked to her now, counted by loyalty tier.",
    )
    links = graphene.relay.ConnectionField(
        KinshipResellerLinkConnection,
        active=graphene.Boolean(description="Only open (true) or closed (false)."),
        description="Customers she brought, with past links; newest first.",
    )

    @staticmethod
    def resolve_id(root: Reseller, info: Any) -> str:
        return to_global_id("KinshipReseller", root.pk)

    @staticmethod
    @permission_required(MANAGE_USERS)
    def resolve_customer(root: Reseller, info: Any) -> Any:
        return CustomerByIdLoader(info.context).load(root.customer_id)

    @staticmethod
    def resolve_status_history(root: Reseller, info: Any) -> Any:
        return StatusChangesByResellerIdLoader(info.context).load(root.pk)

    @staticmethod
    def resolve_customers_linked(
        root: Reseller, info: Any, date_from: date, date_to: date
    ) -> Any:
        return CustomersLinkedLoader(info.context).load(
            (root.pk, *check_period(date_from, date_to))
        )

    @staticmethod
    def resolve_customer_tiers(root: Reseller, info: Any) -> Any:
        return CustomerTiersLoader(info.context).load(root.pk)

    @staticmethod
    @permission_required(MANAGE_USERS)
    def resolve_links(
        root: Reseller, info: Any, active: bool | None = None, **page: Any
    ) -> Any:
        links = ResellerLink.objects.filter(reseller=root)
        if active is not None:
            links = links.filter(valid_to__isnull=active)
        return paginate(
            links,
            KinshipResellerLinkConnection,
            order_by=("-valid_from", "-pk"),
            **page,
        )


class KinshipResellerConnection(CountableConnection):
    class Meta:
        node = KinshipReseller
