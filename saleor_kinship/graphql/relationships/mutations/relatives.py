from typing import Any

import graphene

from ....core.error_codes import KinshipErrorCode
from ....relationships.dates import shop_today
from ....relationships.relations import (
    RolePair,
    add_relative,
    create_relation_type,
    lock_relative,
    remove_relative,
    update_relative,
)
from ....relationships.validation import refuse
from ..types import KinshipRelationType, KinshipRelative
from .base import StaffMutation, customer_from, day_of_year, optional_user_id, pk_of
from .profiles import KinshipBirthdayInput

RELATIVE = "KinshipRelative"


class KinshipRelativeUpdateInput(graphene.InputObjectType):
    relation = graphene.String(
        description="What she is to the customer, such as child: a role of "
        "kinshipRelationTypes. Between customers, the other side follows."
    )
    name = graphene.String(description="Her name (200 characters).")
    birthday = graphene.Field(
        KinshipBirthdayInput,
        description="Not for customers: their birthday is on their own profile.",
    )
    note = graphene.String(description="A note about her (2,000 characters).")


class KinshipRelativeCreateInput(KinshipRelativeUpdateInput):
    relation = graphene.String(
        required=True, description="What she is to the customer."
    )
    relative_customer = graphene.ID(
        description="Saleor's id of the relative, when she is a customer too; "
        "she then sees the customer as the reverse relation."
    )


def _changes(given: Any) -> dict[str, Any]:
    changes = dict(given)
    if "birthday" in changes:
        changes["birthday"] = day_of_year(changes["birthday"])
    return changes


def _locked(global_id: str) -> Any:
    relative = lock_relative(pk_of(global_id, RELATIVE, "id"))
    if relative is None:
        raise refuse("id", "No such relative.", KinshipErrorCode.NOT_FOUND)
    return relative


class KinshipRelativeCreate(StaffMutation):
    """Add a relative to a customer. Requires MANAGE_USERS."""

    class Arguments:
        customer = graphene.ID(
            required=True, description="Saleor's id of the customer."
        )
        input = KinshipRelativeCreateInput(required=True)

    relative = graphene.Field(KinshipRelative)

    @classmethod
    def perform(cls, root: Any, info: Any, **data: Any) -> dict[str, Any]:
        customer = customer_from(data["customer"])
        changes = _changes(data["input"])
        relative = add_relative(
            customer.pk,
            relation=changes["relation"],
            name=changes.get("name"),
            relative_customer_id=optional_user_id(
                changes.get("relative_customer"), "relative_customer"
            ),
            birthday=changes.get("birthday"),
            note=changes.get("note"),
            today=shop_today(),
        )
        return {"relative": relative}


class KinshipRelativeUpdate(StaffMutation):
    """Change a relative; between customers, the other side's relation follows."""

    class Arguments:
        id = graphene.ID(required=True)
        input = KinshipRelativeUpdateInput(required=True)

    relative = graphene.Field(KinshipRelative)

    @classmethod
    def perform(cls, root: Any, info: Any, **data: Any) -> dict[str, Any]:
        relative = _locked(data["id"])
        update_relative(relative, _changes(data["input"]), shop_today())
        return {"relative": relative}


class KinshipRelativeDelete(StaffMutation):
    """Remove a relative; between customers, both sides go."""

    class Arguments:
        id = graphene.ID(required=True)

    deleted_id = graphene.ID(description="The id of the relative removed.")

    @classmethod
    def perform(cls, root: Any, info: Any, **data: Any) -> dict[str, Any]:
        remove_relative(_locked(data["id"]))
        return {"deleted_id": data["id"]}


class KinshipRelationTypeInput(graphene.InputObjectType):
    name = graphene.String(required=True, description="A role, such as godmother.")
    reverse_name = graphene.String(
        required=True,
        description="The role of the other side, such as godchild; the same "
        "name for a symmetric relation, such as cousin.",
    )


class KinshipRelationTypeCreate(StaffMutation):
    """Add a pair of roles to relate customers with. Requires MANAGE_USERS."""

    class Arguments:
        input = KinshipRelationTypeInput(required=True)

    relation_type = graphene.Field(KinshipRelationType)

    @classmethod
    def perform(cls, root: Any, info: Any, **data: Any) -> dict[str, Any]:
        given = data["input"]
        row = create_relation_type(given.name, given.reverse_name)
        return {"relation_type": RolePair(row.name, row.reverse_name, row.pk)}
