from typing import Any

import graphene
from graphql_relay import to_global_id

from ...loyalty.models import LedgerEntry, LedgerEntryKind, LoyaltyAccount
from ..core.connection import CountableConnection, paginate
from ..core.ids import customer_global_id
from ..core.permissions import MANAGE_USERS, permission_required
from ..core.scalars import Date, DateTime
from .dataloaders import ExpiringSoonLoader, TierProgressLoader

KinshipLedgerEntryKind = graphene.Enum(
    "KinshipLedgerEntryKind",
    [(kind.name, kind.value) for kind in LedgerEntryKind],
    description="Why points changed: EARN (a paid order), REVERSE (a refund or "
    "cancellation), ADJUST (by staff), EXPIRE, BONUS.",
)


class KinshipLedgerEntry(graphene.ObjectType):
    """One change of a customer's points."""

    id = graphene.ID(required=True)
    kind = graphene.Field(KinshipLedgerEntryKind, required=True)
    points = graphene.Int(required=True, description="Points added (negative: taken).")
    shortfall = graphene.Int(
        required=True,
        description="Points a reversal could not take back because the balance "
        "may not go below zero.",
    )
    amount = graphene.Decimal(description="The money the points came from.")
    currency = graphene.String(description="ISO 4217 code of `amount`.")
    channel = graphene.String(description="Slug of the order's channel.")
    order_id = graphene.ID(description="Saleor's id of the order, if any.")
    occurred_at = DateTime(required=True)
    reason = graphene.String(required=True)
    staff_member_id = graphene.ID(
        description="Saleor's id of the staff member who adjusted the points; "
        "null unless the requestor has MANAGE_USERS."
    )

    @staticmethod
    def resolve_id(root: LedgerEntry, info: Any) -> str:
        return to_global_id("KinshipLedgerEntry", root.pk)

    @staticmethod
    def resolve_currency(root: LedgerEntry, info: Any) -> str | None:
        return root.currency or None

    @staticmethod
    def resolve_channel(root: LedgerEntry, info: Any) -> str | None:
        return root.channel or None

    @staticmethod
    def resolve_order_id(root: LedgerEntry, info: Any) -> str | None:
        return to_global_id("Order", root.order_id) if root.order_id else None

    @staticmethod
    def resolve_staff_member_id(root: LedgerEntry, info: Any) -> str | None:
        if root.staff_id is None or not info.context.requestor.has_perm(MANAGE_USERS):
            return None
        return customer_global_id(root.staff_id)


class KinshipLedgerEntryConnection(CountableConnection):
    class Meta:
        node = KinshipLedgerEntry


class KinshipExpiringPoints(graphene.ObjectType):
    points = graphene.Int(required=True, description="Points that will expire.")
    expire_on = Date(
        required=True, description="The first day on which some of them expire."
    )


class KinshipTier(graphene.ObjectType):
    name = graphene.String(required=True)
    threshold = graphene.Int(required=True, description="Points that reach it.")


def _score(description: str, field_type: Any) -> Any:
    return field_type(
        description=f"{description} Null when she declined profiling. "
        "Requires MANAGE_USERS."
    )


class KinshipLoyalty(graphene.ObjectType):
    """A customer's points, tier and (for staff) scores."""

    balance = graphene.Int(required=True, description="Points she can spend.")
    lifetime_points = graphene.Int(
        required=True,
        description="Points earned by orders and bonuses, net of refunds.",
    )
    tier = graphene.String(description="Her tier; null when she has none.")
    tier_reached_at = DateTime()
    next_tier = graphene.String(description="The tier above hers; null at the top.")
    points_to_next_tier = graphene.Int(
        description="Points still needed for the next tier; null at the top."
    )
    progress = graphene.Float(
        required=True,
        description="From 0 at her tier's threshold to 1 at the next tier's.",
    )
    expiring_soon = graphene.Field(
        KinshipExpiringPoints,
        description="Points that expire within the warning period; null if none.",
    )
    orders_count = graphene.Int(
        required=True, description="Orders paid in full and not refunded in full."
    )
    last_order_at = DateTime()
    ledger = graphene.relay.ConnectionField(
        KinshipLedgerEntryConnection, description="Changes of points, newest first."
    )

    rfm_recency = _score("Recency score, 1 (long ago) to 5.", graphene.Int)
    rfm_frequency = _score("Frequency score, 1 to 5.", graphene.Int)
    rfm_monetary = _score("Monetary score, 1 to 5.", graphene.Int)
    rfm_segment = _score("RFM segment, such as champions.", graphene.String)
    probability_active = _score(
        "Probability that she is still a customer (BG/NBD).", graphene.Float
    )
    expected_purchases_90d = _score(
        "Purchases expected in the next 90 days.", graphene.Float
    )
    predicted_value_12m = _score(
        "Spend expected in the next 12 months.", graphene.Decimal
    )
    predicted_value_currency = _score(
        "Currency of the predicted value.", graphene.String
    )
    scored_at = _score("When the scores were computed.", DateTime)

    @staticmethod
    def resolve_tier(root: LoyaltyAccount, info: Any) -> str | None:
        return root.tier or None

    @staticmethod
    def _progress(root: LoyaltyAccount, info: Any) -> Any:
        key = (root.customer_id, root.tier, root.lifetime_points)
        return TierProgressLoader(info.context).load(key)

    @staticmethod
    def resolve_next_tier(root: LoyaltyAccount, info: Any) -> Any:
        return KinshipLoyalty._progress(root, info).then(lambda p: p.next_tier)

    @staticmethod
    def resolve_points_to_next_tier(root: LoyaltyAccount, info: Any) -> Any:
        return KinshipLoyalty._progress(root, info).then(lambda p: p.points_to_next)

    @staticmethod
    def resolve_progress(root: LoyaltyAccount, info: Any) -> Any:
        return KinshipLoyalty._progress(root, info).then(lambda p: p.progress)

    @staticmethod
    def resolve_expiring_soon(root: LoyaltyAccount, info: Any) -> Any:
        return ExpiringSoonLoader(info.context).load(root.customer_id)

    @staticmethod
    def resolve_ledger(root: LoyaltyAccount, info: Any, **page: Any) -> Any:
        # Shortcoming: each ledger page is its own query, so asking for ledgers
        # in a list of customers costs one query per customer.
        entries = LedgerEntry.objects.filter(customer_id=root.customer_id)
        return paginate(
            entries,
            KinshipLedgerEntryConnection,
            order_by=("-occurred_at", "-pk"),
            **page,
        )

    @staticmethod
    @permission_required(MANAGE_USERS)
    def resolve_rfm_recency(root: LoyaltyAccount, info: Any) -> int | None:
        return root.rfm_recency

    @staticmethod
    @permission_required(MANAGE_USERS)
    def resolve_rfm_frequency(root: LoyaltyAccount, info: Any) -> int | None:
        return root.rfm_frequency

    @staticmethod
    @permission_required(MANAGE_USERS)
    def resolve_rfm_monetary(root: LoyaltyAccount, info: Any) -> int | None:
        return root.rfm_monetary

    @staticmethod
    @permission_required(MANAGE_USERS)
    def resolve_rfm_segment(root: LoyaltyAccount, info: Any) -> str | None:
        return root.rfm_segment or None

    @staticmethod
    @permission_required(MANAGE_USERS)
    def resolve_probability_active(root: LoyaltyAccount, info: Any) -> float | None:
        return root.p_alive

    @staticmethod
    @permission_required(MANAGE_USERS)
    def resolve_expected_purchases_90d(root: LoyaltyAccount, info: Any) -> float | None:
        return root.expected_purchases_90d

    @staticmethod
    @permission_required(MANAGE_USERS)
    def resolve_predicted_value_12m(root: LoyaltyAccount, info: Any) -> Any:
        return root.predicted_value_12m

    @staticmethod
    @permission_required(MANAGE_USERS)
    def resolve_predicted_value_currency(root: LoyaltyAccount, info: Any) -> str | None:
        return root.predicted_value_currency or None

    @staticmethod
    @permission_required(MANAGE_USERS)
    def resolve_scored_at(root: LoyaltyAccount, info: Any) -> Any:
        return root.scored_at
