from typing import Any

import graphene

from ....relationships.important_dates import (
    delete_important_date,
    save_important_date,
)
from ....relationships.models import ImportantDate
from ..enums import KinshipImportantDateKind
from ..types import KinshipImportantDate
from .base import StaffMutation, customer_from, locked_row, with_relative_id

IMPORTANT_DATE = "KinshipImportantDate"


class KinshipImportantDateUpdateInput(graphene.InputObjectType):
    kind = KinshipImportantDateKind(description="ANNIVERSARY or CUSTOM.")
    label = graphene.String(description="What it is, such as Wedding (200).")
    day = graphene.Int()
    month = graphene.Int()
    year = graphene.Int(description="The year it began; needed if not recurring.")
    recurring = graphene.Boolean(description="Every year (the default).")
    relative = graphene.ID(description="The relative whose date it is, if any.")


class KinshipImportantDateCreateInput(KinshipImportantDateUpdateInput):
    kind = KinshipImportantDateKind(required=True, description="ANNIVERSARY or CUSTOM.")
    day = graphene.Int(required=True)
    month = graphene.Int(required=True)


class KinshipImportantDateCreate(StaffMutation):
    """Add an anniversary or a custom date. Birthdays are set on the profile or
    the relative. Requires MANAGE_USERS."""

    class Arguments:
        customer = graphene.ID(
            required=True, description="Saleor's id of the customer."
        )
        input = KinshipImportantDateCreateInput(required=True)

    important_date = graphene.Field(KinshipImportantDate)

    @classmethod
    def perform(cls, root: Any, info: Any, **data: Any) -> dict[str, Any]:
        customer = customer_from(data["customer"])
        row = ImportantDate(customer_id=customer.pk)
        save_important_date(row, with_relative_id(data["input"]))
        return {"important_date": row}


class KinshipImportantDateUpdate(StaffMutation):
    """Change an anniversary or a custom date. Requires MANAGE_USERS."""

    class Arguments:
        id = graphene.ID(required=True)
        input = KinshipImportantDateUpdateInput(required=True)

    important_date = graphene.Field(KinshipImportantDate)

    @classmethod
    def perform(cls, root: Any, info: Any, **data: Any) -> dict[str, Any]:
        row = locked_row(ImportantDate, IMPORTANT_DATE, data["id"])
        save_important_date(row, with_relative_id(data["input"]))
        return {"important_date": row}


class KinshipImportantDateDelete(StaffMutation):
    """Remove an anniversary or a custom date. Requires MANAGE_USERS."""

    class Arguments:
        id = graphene.ID(required=True)

    deleted_id = graphene.ID()

    @classmethod
    def perform(cls, root: Any, info: Any, **data: Any) -> dict[str, Any]:
        delete_important_date(locked_row(ImportantDate, IMPORTANT_DATE, data["id"]))
        return {"deleted_id": data["id"]}
