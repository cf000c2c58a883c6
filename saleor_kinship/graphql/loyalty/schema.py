from typing import Any

import graphene

from ...core.host import get_host
from ..core.permissions import MANAGE_USERS, check_self_or_permission
from .dataloaders import AccountByCustomerIdLoader
from .mutations import LoyaltyPointsAdjust
from .types import KinshipLoyalty, KinshipTier


class LoyaltyQueries:
    loyalty_tiers = graphene.List(
        graphene.NonNull(KinshipTier),
        required=True,
        description="The programme's tiers, lowest first.",
    )

    @staticmethod
    def resolve_loyalty_tiers(root: Any, info: Any) -> list[Any]:
        return list(get_host().programme_settings().tiers)


class LoyaltyMutations:
    loyalty_points_adjust = LoyaltyPointsAdjust.Field()


class LoyaltyCustomerFields:
    loyalty = graphene.Field(
        KinshipLoyalty,
        description="Points, tier and ledger. The customer herself or MANAGE_USERS.",
    )

    @staticmethod
    def resolve_loyalty(root: Any, info: Any) -> Any:
        check_self_or_permission(info, root, MANAGE_USERS)
        return AccountByCustomerIdLoader(info.context).load(root.pk)
