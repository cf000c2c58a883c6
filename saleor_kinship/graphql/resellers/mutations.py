"""Reseller mutations: a customer applies; staff decide, set rates and link."""

from datetime import datetime
from typing import Any

import graphene
from django.core.exceptions import ValidationError
from django.utils import timezone

from ...core.error_codes import KinshipErrorCode
from ...resellers import links, status
from ...resellers.models import ResellerStatus
from ...resellers.periods import shop_zone
from ...resellers.validation import refuse
from ..core.errors import KinshipGraphQLError
from ..core.ids import CUSTOMER_TYPE, decode_id
from ..core.mutations import BaseMutation
from ..core.permissions import MANAGE_USERS
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


def _moment(value: datetime | None, field: str) -> datetime:
    """Return an aware datetime; one without an offset is in the shop's time zone."""
    if value is None:
        refuse(field, "Give a date and time in ISO 8601.", KinshipErrorCode.INVALID)
    if timezone.is_naive(value):
        return timezone.make_aware(value, shop_zone())
    return value


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
        reseller = status.change_status(
            _pk(data["id"], "KinshipReseller", "id"),
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
        reseller = status.update_rate(
            _pk(data["id"], "KinshipReseller", "id"), data["commission_rate"]
        )
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
        since = graphene.DateTime(
            required=True,
            description="When the link begins; at most a day ahead, not before "
            "the customer's account existed.",
        )

    @classmethod
    def perform(cls, root: Any, info: Any, **data: Any) -> dict[str, Any]:
        link = links.link(
            _pk(data["customer_id"], CUSTOMER_TYPE, "customerId"),
            _pk(data["reseller_id"], "KinshipReseller", "resellerId"),
            _moment(data["since"], "since"),
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
        until = graphene.DateTime(
            required=True, description="When the link ends; at most a day ahead."
        )

    @classmethod
    def perform(cls, root: Any, info: Any, **data: Any) -> dict[str, Any]:
        link = links.unlink(
            _pk(data["customer_id"], CUSTOMER_TYPE, "customerId"),
            _moment(data["until"], "until"),
            info.context.requestor,
        )
        return {"link": link}
