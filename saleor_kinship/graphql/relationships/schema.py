from typing import Any

import graphene

from ...core.error_codes import KinshipErrorCode
from ...relationships.dates import MAX_DAYS_AHEAD, shop_today
from ..core.errors import KinshipGraphQLError
from ..core.permissions import MANAGE_USERS, permission_required
from . import resolvers
from .attention import KinshipNeedsAttention, NeedsAttention
from .mutations.dates import (
    KinshipImportantDateCreate,
    KinshipImportantDateDelete,
    KinshipImportantDateUpdate,
)
from .mutations.follow_ups import (
    KinshipFollowUpCreate,
    KinshipFollowUpDelete,
    KinshipFollowUpUpdate,
)
from .mutations.gifts import KinshipGiftCreate, KinshipGiftDelete, KinshipGiftUpdate
from .mutations.profiles import KinshipMyProfileUpdate, KinshipProfileUpdate
from .mutations.relatives import (
    KinshipRelationTypeCreate,
    KinshipRelativeCreate,
    KinshipRelativeDelete,
    KinshipRelativeUpdate,
)
from .types import (
    KinshipFollowUpConnection,
    KinshipGiftConnection,
    KinshipImportantDateConnection,
    KinshipProfile,
    KinshipRelationTypeConnection,
    KinshipRelativeConnection,
    KinshipUpcomingDate,
)


class RelationshipQueries:
    """Root query fields of this domain."""

    kinship_needs_attention = graphene.Field(
        KinshipNeedsAttention,
        days=graphene.Int(
            default_value=14, description="How many days ahead dates count (0-366)."
        ),
        description="Follow-ups due, important dates ahead and valued customers "
        "gone quiet. Requires MANAGE_USERS.",
    )
    kinship_relation_types = graphene.relay.ConnectionField(
        KinshipRelationTypeConnection,
        description="The pairs of roles relatives can have: built-in, then the "
        "shop's own. Requires MANAGE_USERS.",
    )

    @staticmethod
    @permission_required(MANAGE_USERS)
    def resolve_kinship_needs_attention(
        root: Any, info: Any, days: int = 14
    ) -> NeedsAttention:
        if not 0 <= days <= MAX_DAYS_AHEAD:
            raise KinshipGraphQLError(
                f"days: give from 0 to {MAX_DAYS_AHEAD}.", KinshipErrorCode.OUT_OF_RANGE
            )
        return NeedsAttention(today=shop_today(), days=days)

    @staticmethod
    @permission_required(MANAGE_USERS)
    def resolve_kinship_relation_types(root: Any, info: Any, **page: Any) -> Any:
        return resolvers.relation_types(page)


class RelationshipMutations:
    """Root mutation fields of this domain."""

    kinship_profile_update = KinshipProfileUpdate.Field()
    kinship_my_profile_update = KinshipMyProfileUpdate.Field()
    kinship_relative_create = KinshipRelativeCreate.Field()
    kinship_relative_update = KinshipRelativeUpdate.Field()
    kinship_relative_delete = KinshipRelativeDelete.Field()
    kinship_relation_type_create = KinshipRelationTypeCreate.Field()
    kinship_important_date_create = KinshipImportantDateCreate.Field()
    kinship_important_date_update = KinshipImportantDateUpdate.Field()
    kinship_important_date_delete = KinshipImportantDateDelete.Field()
    kinship_gift_create = KinshipGiftCreate.Field()
    kinship_gift_update = KinshipGiftUpdate.Field()
    kinship_gift_delete = KinshipGiftDelete.Field()
    kinship_follow_up_create = KinshipFollowUpCreate.Field()
    kinship_follow_up_update = KinshipFollowUpUpdate.Field()
    kinship_follow_up_delete = KinshipFollowUpDelete.Field()


class RelationshipCustomerFields:
    """Fields this domain adds to KinshipCustomer."""

    profile = graphene.Field(
        KinshipProfile,
        description="Her relationship profile; defaults until it is first saved. "
        "The customer herself reads her birthday, contact and consents.",
    )
    relatives = graphene.relay.ConnectionField(
        KinshipRelativeConnection, description="Her relatives. Requires MANAGE_USERS."
    )
    important_dates = graphene.relay.ConnectionField(
        KinshipImportantDateConnection,
        description="Her dates in calendar order. Requires MANAGE_USERS.",
    )
    next_important_date = graphene.Field(
        KinshipUpcomingDate,
        description="The soonest of her dates from today. Requires MANAGE_USERS.",
    )
    gifts = graphene.relay.ConnectionField(
        KinshipGiftConnection,
        description="Gifts for her and her relatives, newest first. "
        "Requires MANAGE_USERS.",
    )
    follow_ups = graphene.relay.ConnectionField(
        KinshipFollowUpConnection,
        done=graphene.Boolean(description="Only done (true) or open (false) ones."),
        description="Follow-ups, soonest due first. Requires MANAGE_USERS.",
    )

    @staticmethod
    def resolve_profile(root: Any, info: Any) -> Any:
        return resolvers.profile(root, info)

    @staticmethod
    def resolve_relatives(root: Any, info: Any, **page: Any) -> Any:
        return resolvers.relatives(root, info, page)

    @staticmethod
    def resolve_important_dates(root: Any, info: Any, **page: Any) -> Any:
        return resolvers.important_dates(root, info, page)

    @staticmethod
    def resolve_next_important_date(root: Any, info: Any) -> Any:
        return resolvers.next_important_date(root, info)

    @staticmethod
    def resolve_gifts(root: Any, info: Any, **page: Any) -> Any:
        return resolvers.gifts(root, info, page)

    @staticmethod
    def resolve_follow_ups(
        root: Any, info: Any, done: bool | None = None, **page: Any
    ) -> Any:
        return resolvers.follow_ups(root, info, done, page)
