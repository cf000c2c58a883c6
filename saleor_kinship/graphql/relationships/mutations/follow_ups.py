from typing import Any

import graphene

from ....relationships.follow_ups import save_follow_up
from ....relationships.models import FollowUp
from ...core.scalars import Date
from ..types import KinshipFollowUp
from .base import (
    StaffMutation,
    customer_from,
    locked_row,
    optional_user_id,
    requesting_staff_id,
)

FOLLOW_UP = "KinshipFollowUp"


class KinshipFollowUpUpdateInput(graphene.InputObjectType):
    due_on = Date(description="The day it is due, in the shop's calendar.")
    assignee = graphene.ID(description="Saleor's id of the staff member; null: none.")
    note = graphene.String(description="What to do (2,000 characters).")
    done = graphene.Boolean(description="True when done; false opens it again.")


class KinshipFollowUpCreateInput(KinshipFollowUpUpdateInput):
    due_on = Date(required=True, description="The day it is due.")


def _changes(given: Any) -> dict[str, Any]:
    changes = dict(given)
    if "assignee" in changes:
        changes["assignee_id"] = optional_user_id(changes.pop("assignee"), "assignee")
    return changes


class KinshipFollowUpCreate(StaffMutation):
    """Plan a follow-up with a customer. Requires MANAGE_USERS."""

    class Arguments:
        customer = graphene.ID(
            required=True, description="Saleor's id of the customer."
        )
        input = KinshipFollowUpCreateInput(required=True)

    follow_up = graphene.Field(KinshipFollowUp)

    @classmethod
    def perform(cls, root: Any, info: Any, **data: Any) -> dict[str, Any]:
        customer = customer_from(data["customer"])
        follow_up = FollowUp(
            customer_id=customer.pk, created_by_id=requesting_staff_id(info)
        )
        save_follow_up(follow_up, _changes(data["input"]))
        return {"follow_up": follow_up}


class KinshipFollowUpUpdate(StaffMutation):
    """Change a follow-up or mark it done. Requires MANAGE_USERS."""

    class Arguments:
        id = graphene.ID(required=True)
        input = KinshipFollowUpUpdateInput(required=True)

    follow_up = graphene.Field(KinshipFollowUp)

    @classmethod
    def perform(cls, root: Any, info: Any, **data: Any) -> dict[str, Any]:
        follow_up = locked_row(FollowUp, FOLLOW_UP, data["id"])
        save_follow_up(follow_up, _changes(data["input"]))
        return {"follow_up": follow_up}


class KinshipFollowUpDelete(StaffMutation):
    """Remove a follow-up. Requires MANAGE_USERS."""

    class Arguments:
        id = graphene.ID(required=True)

    deleted_id = graphene.ID()

    @classmethod
    def perform(cls, root: Any, info: Any, **data: Any) -> dict[str, Any]:
        locked_row(FollowUp, FOLLOW_UP, data["id"]).delete()
        return {"deleted_id": data["id"]}
