from typing import Any

import graphene
from django.core.exceptions import ValidationError
from django.utils import timezone

from ...loyalty.adjustments import adjust_points
from ...loyalty.profiling import accounts_of
from ..core.errors import KinshipGraphQLError
from ..core.ids import CUSTOMER_TYPE, decode_id
from ..core.mutations import BaseMutation
from ..core.permissions import MANAGE_USERS, refuse_own_account
from .types import KinshipLedgerEntry, KinshipLoyalty


class LoyaltyPointsAdjust(BaseMutation):
    """Add or take points by hand, with a reason; recorded with the staff member.

    Adjustments change the balance but not lifetime points or the tier. Staff
    cannot adjust their own points. Requires MANAGE_USERS.
    """

    entry = graphene.Field(KinshipLedgerEntry, description="The new ledger entry.")
    loyalty = graphene.Field(KinshipLoyalty, description="The account afterwards.")

    permissions = (MANAGE_USERS,)

    class Arguments:
        customer_id = graphene.ID(required=True, description="Saleor's customer id.")
        points = graphene.Int(
            required=True, description="Points to add; negative to take points."
        )
        reason = graphene.String(
            required=True, description="Why, in at most 500 characters."
        )

    @classmethod
    def perform(cls, root: Any, info: Any, **data: Any) -> dict[str, Any]:
        try:
            customer_id = decode_id(data["customer_id"], CUSTOMER_TYPE, "customerId")
        except KinshipGraphQLError as error:
            raise ValidationError(
                {"customerId": ValidationError(error.message, code=error.code.value)}
            )
        refuse_own_account(info, customer_id, "customerId", "adjust your own points")
        requestor = info.context.requestor
        entry = adjust_points(
            customer_id,
            data["points"],
            data["reason"],
            now=timezone.now(),
            staff_id=requestor.user.pk if requestor.user is not None else None,
            app_id=requestor.app_id or "",
        )
        return {"entry": entry, "loyalty": accounts_of([customer_id])[customer_id]}
