from datetime import datetime
from typing import Any

import graphene

from ..core.scalars import DateTime
from . import resolvers
from .mutations import (
    KinshipInteractionCreate,
    KinshipInteractionDelete,
    KinshipInteractionUpdate,
)
from .types import KinshipInteractionConnection, KinshipInteractionKind


class InteractionQueries:
    """Root query fields of this domain."""


class InteractionMutations:
    """Root mutation fields of this domain."""

    kinship_interaction_create = KinshipInteractionCreate.Field()
    kinship_interaction_update = KinshipInteractionUpdate.Field()
    kinship_interaction_delete = KinshipInteractionDelete.Field()


class InteractionCustomerFields:
    """Fields this domain adds to KinshipCustomer."""

    interactions = graphene.relay.ConnectionField(
        KinshipInteractionConnection,
        kinds=graphene.List(
            graphene.NonNull(KinshipInteractionKind), description="Only these kinds."
        ),
        occurred_from=DateTime(description="Only entries at or after."),
        occurred_to=DateTime(description="Only entries at or before."),
        description="Her timeline, newest first; pages stay put while entries "
        "are added. Requires MANAGE_USERS.",
    )

    @staticmethod
    def resolve_interactions(
        root: Any,
        info: Any,
        kinds: list[str] | None = None,
        occurred_from: datetime | None = None,
        occurred_to: datetime | None = None,
        **page: Any,
    ) -> Any:
        return resolvers.interactions(
            root, info, kinds, occurred_from, occurred_to, page
        )
