import binascii
from typing import Any

import graphene
from graphql_relay import from_global_id

from ...core.error_codes import KinshipErrorCode
from ...interactions.entries import delete_entry, save_entry
from ...interactions.models import Interaction
from ...relationships.validation import refuse
from ..core.scalars import DateTime
from ..relationships.mutations.base import StaffMutation, customer_from, locked_row
from .types import KinshipInteraction, KinshipInteractionKind

INTERACTION = "KinshipInteraction"


class KinshipInteractionUpdateInput(graphene.InputObjectType):
    kind = KinshipInteractionKind(
        description="VISIT, CALL, MESSAGE, EMAIL, MEETING, GIFT or NOTE."
    )
    occurred_at = DateTime(
        description="When it happened; now if not given, at most a day ahead."
    )
    summary = graphene.String(description="One line (200 characters).")
    body = graphene.String(description="What was said or done (10,000 characters).")
    channel = graphene.String(description="The sales channel's slug, if any.")
    order = graphene.ID(description="Saleor's id of one of the customer's orders.")


class KinshipInteractionCreateInput(KinshipInteractionUpdateInput):
    kind = KinshipInteractionKind(required=True, description="What happened.")
    summary = graphene.String(required=True, description="One line (200).")


def _order_id(global_id: str | None) -> str:
    if not global_id:
        return ""
    try:
        type_name, order_id = from_global_id(global_id)
    except (binascii.Error, UnicodeDecodeError, ValueError, TypeError):
        type_name, order_id = "", ""
    if type_name != "Order" or not order_id:
        raise refuse("order", "Give Saleor's id of an order.", KinshipErrorCode.INVALID)
    return order_id


def _changes(given: Any) -> dict[str, Any]:
    changes = dict(given)
    if "order" in changes:
        changes["order_id"] = _order_id(changes.pop("order"))
    return changes


class KinshipInteractionCreate(StaffMutation):
    """Write an entry on a customer's timeline. Requires MANAGE_USERS."""

    class Arguments:
        customer = graphene.ID(
            required=True, description="Saleor's id of the customer."
        )
        input = KinshipInteractionCreateInput(required=True)

    interaction = graphene.Field(KinshipInteraction)

    @classmethod
    def perform(cls, root: Any, info: Any, **data: Any) -> dict[str, Any]:
        customer = customer_from(data["customer"])
        author = info.context.requestor.user
        entry = Interaction(
            customer_id=customer.pk, author_id=author.pk if author else None
        )
        save_entry(entry, _changes(data["input"]))
        return {"interaction": entry}


class KinshipInteractionUpdate(StaffMutation):
    """Change a staff entry; automatic entries cannot be changed."""

    class Arguments:
        id = graphene.ID(required=True)
        input = KinshipInteractionUpdateInput(required=True)

    interaction = graphene.Field(KinshipInteraction)

    @classmethod
    def perform(cls, root: Any, info: Any, **data: Any) -> dict[str, Any]:
        entry = locked_row(Interaction, INTERACTION, data["id"])
        save_entry(entry, _changes(data["input"]))
        return {"interaction": entry}


class KinshipInteractionDelete(StaffMutation):
    """Remove a staff entry; automatic entries cannot be removed."""

    class Arguments:
        id = graphene.ID(required=True)

    deleted_id = graphene.ID()

    @classmethod
    def perform(cls, root: Any, info: Any, **data: Any) -> dict[str, Any]:
        delete_entry(locked_row(Interaction, INTERACTION, data["id"]))
        return {"deleted_id": data["id"]}
