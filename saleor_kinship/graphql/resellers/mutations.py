"""Reseller mutations: a customer applies; staff decide, set rates and link."""

from typing import Any

import graphene
from django.core.exceptions import ValidationError

from ...resellers import links, status
from ...resellers.models import Reseller, ResellerStatus
from ...resellers.validation import check_moment
from ..core.errors import KinshipGraphQLError
from ..core.ids import CUSTOMER_TYPE, decode_id
from ..core.mutations import BaseMutation
from ..core.permissions import MANAGE_USERS, refuse_own_account
from ..core.scalars import DateTime
from .types import (
    KinshipPercent,
    KinshipReseller,
    KinshipResellerAccount,
    KinshipResellerLink,
)


def _pk(global_id: str, type_name: str, field: str) -> int:
    """Decode an id, reporting a bad one in the payload's errors."""
    try:
        return decode_id(global_id, type_name, field)
    except KinshipGraphQLError as error:
        raise ValidationError(
            {field: ValidationError(error.message, code=error.code.value)}
        )


def _customer_of(reseller_id: int) -> int | None:
    return (
        Reseller.objects.filter(pk=reseller_id)
        .values_list("customer_id", flat=True)
        .first()
    )


class KinshipResellerApply(BaseMutation):
    """Apply to become a reseller of the shop (the signed-in customer)."""

    reseller = graphene.Field(KinshipResellerAccount)

    customer_only = True

    class Arguments:
        message = graphene.String(
            description="A few words to the shop: who she sells to, and how."
        )

    @classmethod
    def perform(cls, root: Any, info: Any, **data: Any) -> dict[str, Any]:
        requestor = info.context.requestor
        message = data.get("message") or ""
        return {"reseller": status.apply(requestor.user, message, requestor)}


class ResellerStatusMutation(BaseMutation):
    reseller = graphene.Field(KinshipReseller)

    permissions = (MANAGE_USERS,)
    target: ResellerStatus

    class Meta:
        abstract = True

    class Arguments:
        id = graphene.ID(required=True, description="The reseller's id.")
        reason = graphene.String(
            description="Why; required to reject or suspend, kept in the history."
        )

    @classmethod
    def perform(cls, root: Any, info: Any, **data: Any) -> dict[str, Any]:
        reseller_id = _pk(data["id"], "KinshipReseller", "id")
        refuse_own_account(
            info,
            _customer_of(reseller_id),
            "id",
            "decide on your own reseller standing",
        )
        reseller = status.change_status(
            reseller_id,
            cls.target,
            data.get("reason") or "",
            info.context.requestor,
        )
        return {"reseller": reseller}


class KinshipResellerApprove(ResellerStatusMutation):
    """Approve an application, or reinstate a suspended reseller.

    A first approval sets the programme's default commission rate unless a
    rate was set before. Requires MANAGE_USERS.
    """

    target = ResellerStatus.APPROVED


class KinshipResellerReject(ResellerStatusMutation):
    """Reject an application. Requires MANAGE_USERS."""

    target = ResellerStatus.REJECTED


class KinshipResellerSuspend(ResellerStatusMutation):
    """Suspend a reseller: her orders stop earning; links and history stay.

    Requires MANAGE_USERS.
    """

    target = ResellerStatus.SUSPENDED


class KinshipResellerUpdate(BaseMutation):
    """Set a reseller's commission rate; accrued commission keeps its rate.

    Requires MANAGE_USERS.
    """

    reseller = graphene.Field(KinshipReseller)

    permissions = (MANAGE_USERS,)

    class Arguments:
        id = graphene.ID(required=True, description="The reseller's id.")
        commission_rate = graphene.Argument(
            KinshipPercent, required=True, description="Percent, from 0 to 100."
        )

    @classmethod
    def perform(cls, root: Any, info: Any, **data: Any) -> dict[str, Any]:
        reseller_id = _pk(data["id"], "KinshipReseller", "id")
        refuse_own_account(
            info, _customer_of(reseller_id), "id", "set your own commission rate"
        )
        reseller = status.update_rate(reseller_id, data["commission_rate"])
        return {"reseller": reseller}


class KinshipResellerLinkCreate(BaseMutation):
    """Link a customer to an approved reseller from a moment on.

    An earlier link of the customer ends at that moment. Requires MANAGE_USERS.
    """

    link = graphene.Field(KinshipResellerLink)

    permissions = (MANAGE_USERS,)

    class Arguments:
        customer_id = graphene.ID(
            required=True, description="Saleor's id of the customer."
        )
        reseller_id = graphene.ID(required=True, description="The reseller's id.")
        since = DateTime(
            required=True,
            description="When the link begins: now or in the past, not before "
            "the customer's account existed nor before her current or previous "
            "link ends. Her current link ends at this moment.",
        )

    @classmethod
    def perform(cls, root: Any, info: Any, **data: Any) -> dict[str, Any]:
        customer_id = _pk(data["customer_id"], CUSTOMER_TYPE, "customerId")
        reseller_id = _pk(data["reseller_id"], "KinshipReseller", "resellerId")
        refuse_own_account(
            info,
            _customer_of(reseller_id),
            "resellerId",
            "link customers to yourself as their reseller",
        )
        link = links.link(
            customer_id,
            reseller_id,
            check_moment("since", data["since"]),
            info.context.requestor,
        )
        return {"link": link}


class KinshipResellerUnlink(BaseMutation):
    """End a customer's link to her reseller. Requires MANAGE_USERS."""

    link = graphene.Field(KinshipResellerLink, description="The link, now ended.")

    permissions = (MANAGE_USERS,)

    class Arguments:
        customer_id = graphene.ID(
            required=True, description="Saleor's id of the customer."
        )
        until = DateTime(
            required=True,
            description="When the link ends: now or in the past, not before it began.",
        )

    @classmethod
    def perform(cls, root: Any, info: Any, **data: Any) -> dict[str, Any]:
        link = links.unlink(
            _pk(data["customer_id"], CUSTOMER_TYPE, "customerId"),
            check_moment("until", data["until"]),
            info.context.requestor,
        )
        return {"link": link}
