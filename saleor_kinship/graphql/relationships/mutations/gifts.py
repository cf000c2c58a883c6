from typing import Any

import graphene

from ....relationships.dates import shop_today
from ....relationships.gifts import save_gift
from ....relationships.models import KinshipGift as Gift
from ...core.scalars import Date
from ..enums import KinshipGiftStatus
from ..types import KinshipGift
from .base import (
    StaffMutation,
    customer_from,
    locked_row,
    requesting_staff_id,
    with_relative_id,
)

GIFT = "KinshipGift"


class KinshipGiftUpdateInput(graphene.InputObjectType):
    relative = graphene.ID(
        description="The relative it is for; null for the customer herself."
    )
    occasion = graphene.String(description="Such as Birthday (200 characters).")
    description = graphene.String(description="What it is (2,000 characters).")
    status = KinshipGiftStatus()
    date = Date(description="When it is planned for, or was given.")
    cost = graphene.Decimal(description="What it cost; needs a currency.")
    currency = graphene.String(
        description="ISO 4217 code, such as EUR; kept without a cost too."
    )


class KinshipGiftCreateInput(KinshipGiftUpdateInput):
    status = KinshipGiftStatus(required=True)
    date = Date(required=True)


class KinshipGiftCreate(StaffMutation):
    """Record a gift, planned or given. Requires MANAGE_USERS."""

    class Arguments:
        customer = graphene.ID(
            required=True, description="Saleor's id of the customer."
        )
        input = KinshipGiftCreateInput(required=True)

    gift = graphene.Field(KinshipGift)

    @classmethod
    def perform(cls, root: Any, info: Any, **data: Any) -> dict[str, Any]:
        customer = customer_from(data["customer"])
        gift = Gift(customer_id=customer.pk, created_by_id=requesting_staff_id(info))
        save_gift(gift, with_relative_id(data["input"]), shop_today())
        return {"gift": gift}


class KinshipGiftUpdate(StaffMutation):
    """Change a gift, for example from planned to given. Requires MANAGE_USERS."""

    class Arguments:
        id = graphene.ID(required=True)
        input = KinshipGiftUpdateInput(required=True)

    gift = graphene.Field(KinshipGift)

    @classmethod
    def perform(cls, root: Any, info: Any, **data: Any) -> dict[str, Any]:
        gift = locked_row(Gift, GIFT, data["id"])
        save_gift(gift, with_relative_id(data["input"]), shop_today())
        return {"gift": gift}


class KinshipGiftDelete(StaffMutation):
    """Remove a gift. Requires MANAGE_USERS."""

    class Arguments:
        id = graphene.ID(required=True)

    deleted_id = graphene.ID()

    @classmethod
    def perform(cls, root: Any, info: Any, **data: Any) -> dict[str, Any]:
        locked_row(Gift, GIFT, data["id"]).delete()
        return {"deleted_id": data["id"]}
