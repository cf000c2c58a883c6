from typing import Any

import graphene

from ..core.connection import paginate
from ..core.ids import decode_id
from ..core.permissions import (
    MANAGE_USERS,
    check_self_or_permission,
    permission_required,
)
from . import resolvers
from .dataloaders import LinksByCustomerIdLoader, ResellerByCustomerIdLoader
from .mutations import (
    KinshipResellerApply,
    KinshipResellerApprove,
    KinshipResellerLinkCreate,
    KinshipResellerReject,
    KinshipResellerSuspend,
    KinshipResellerUnlink,
    KinshipResellerUpdate,
)
from .resolvers import ResellerSortField
from .types import (
    KinshipReseller,
    KinshipResellerAccount,
    KinshipResellerConnection,
    KinshipResellerLink,
    KinshipResellerStatus,
)

KinshipResellerSortField = graphene.Enum(
    "KinshipResellerSortField",
    [(field.name, field.value) for field in ResellerSortField],
    description="What to sort resellers by.",
)

KinshipResellerSortDirection = graphene.Enum(
    "KinshipResellerSortDirection",
    [("ASC", "asc"), ("DESC", "desc")],
    description="Ascending or descending.",
)


class KinshipResellerSortingInput(graphene.InputObjectType):
    field = graphene.Field(
        KinshipResellerSortField, required=True, description="Sort by this."
    )
    # No default_value: graphene 2 would publish it as an invalid enum literal.
    direction = graphene.Field(
        KinshipResellerSortDirection, description="ASC unless DESC is given."
    )
    channel = graphene.String(
        description="Slug of the channel whose revenue or commission to sort "
        "by; the default channel if not given."
    )


class ResellerQueries:
    kinship_reseller = graphene.Field(
        KinshipReseller,
        id=graphene.ID(required=True, description="The reseller's id."),
        description="One reseller. Requires MANAGE_USERS.",
    )
    kinship_resellers = graphene.relay.ConnectionField(
        KinshipResellerConnection,
        status=graphene.Argument(KinshipResellerStatus, description="Only these."),
        search=graphene.String(description="Words matched in e-mail and names."),
        sort_by=graphene.Argument(
            KinshipResellerSortingInput,
            description="Newest applications first if not given.",
        ),
        description="Resellers and applicants. Requires MANAGE_USERS.",
    )

    @staticmethod
    @permission_required(MANAGE_USERS)
    def resolve_kinship_reseller(root: Any, info: Any, id: str) -> Any:
        return resolvers.resellers().filter(pk=decode_id(id, "KinshipReseller")).first()

    @staticmethod
    @permission_required(MANAGE_USERS)
    def resolve_kinship_resellers(
        root: Any,
        info: Any,
        status: str | None = None,
        search: str | None = None,
        sort_by: dict[str, Any] | None = None,
        **page: Any,
    ) -> Any:
        queryset = resolvers.resellers(status, search)
        order_by: tuple[str, ...] = ("-applied_at", "-pk")
        if sort_by:
            queryset, order_by = resolvers.sorted_resellers(
                queryset,
                ResellerSortField(sort_by["field"]),
                descending=sort_by.get("direction") == "desc",
                channel=sort_by.get("channel"),
            )
        return paginate(queryset, KinshipResellerConnection, order_by=order_by, **page)


class ResellerMutations:
    kinship_reseller_apply = KinshipResellerApply.Field()
    kinship_reseller_approve = KinshipResellerApprove.Field()
    kinship_reseller_reject = KinshipResellerReject.Field()
    kinship_reseller_suspend = KinshipResellerSuspend.Field()
    kinship_reseller_update = KinshipResellerUpdate.Field()
    kinship_reseller_link = KinshipResellerLinkCreate.Field()
    kinship_reseller_unlink = KinshipResellerUnlink.Field()


class ResellerCustomerFields:
    """Fields this domain adds to KinshipCustomer."""

    reseller = graphene.Field(
        KinshipResellerAccount,
        description="Her reseller standing; null if she never applied. "
        "The customer herself, or MANAGE_USERS.",
    )
    reseller_links = graphene.List(
        graphene.NonNull(KinshipResellerLink),
        required=True,
        description="The resellers who brought her, newest first. Requires "
        "MANAGE_USERS.",
    )

    @staticmethod
    def resolve_reseller(root: Any, info: Any) -> Any:
        check_self_or_permission(info, root, MANAGE_USERS)
        return ResellerByCustomerIdLoader(info.context).load(root.pk)

    @staticmethod
    @permission_required(MANAGE_USERS)
    def resolve_reseller_links(root: Any, info: Any) -> Any:
        return LinksByCustomerIdLoader(info.context).load(root.pk)
