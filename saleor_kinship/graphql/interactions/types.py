from typing import Any

import graphene
from graphql_relay import to_global_id

from ...interactions.models import AUTOMATIC_KINDS, InteractionKind
from ..core.connection import CountableConnection
from ..core.scalars import DateTime
from ..customers.dataloaders import CustomerByIdLoader
from ..relationships.types import KinshipStaffMember


class KinshipInteractionKind(graphene.Enum):
    """What happened. Kinship writes the order, thank-you, tier and reseller
    kinds itself; staff write the others."""

    class Meta:
        enum = InteractionKind


class KinshipInteraction(graphene.ObjectType):
    """One entry on a customer's timeline."""

    id = graphene.ID(required=True)
    kind = graphene.Field(KinshipInteractionKind, required=True)
    occurred_at = DateTime(required=True)
    summary = graphene.String(required=True)
    body = graphene.String(required=True)
    author = graphene.Field(
        KinshipStaffMember, description="Who wrote it; null for automatic entries."
    )
    channel = graphene.String(required=True, description="The sales channel's slug.")
    order_id = graphene.ID(description="Saleor's id of the order it is about.")
    is_automatic = graphene.Boolean(
        required=True, description="Written by kinship; staff cannot change it."
    )
    created_at = DateTime(required=True)

    @staticmethod
    def resolve_id(root: Any, info: Any) -> str:
        return to_global_id("KinshipInteraction", root.pk)

    @staticmethod
    def resolve_author(root: Any, info: Any) -> Any:
        if root.author_id is None:
            return None
        return CustomerByIdLoader(info.context).load(root.author_id)

    @staticmethod
    def resolve_order_id(root: Any, info: Any) -> str | None:
        return to_global_id("Order", root.order_id) if root.order_id else None

    @staticmethod
    def resolve_is_automatic(root: Any, info: Any) -> bool:
        return root.kind in AUTOMATIC_KINDS


class KinshipInteractionConnection(CountableConnection):
    class Meta:
        node = KinshipInteraction
