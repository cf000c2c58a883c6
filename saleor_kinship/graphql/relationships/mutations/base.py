"""What every relationship and timeline mutation shares."""

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Model
from graphene.utils.str_converters import to_camel_case

from ....core.error_codes import KinshipErrorCode
from ....relationships.validation import DayOfYear, refuse
from ...core.errors import KinshipGraphQLError
from ...core.ids import CUSTOMER_TYPE, decode_id
from ...core.mutations import BaseMutation
from ...core.permissions import MANAGE_USERS


class KinshipMutation(BaseMutation):
    """Names refused fields as the input does (camelCase), as Saleor does."""

    class Meta:
        abstract = True

    @classmethod
    def mutate(cls, root: Any, info: Any, **data: Any) -> BaseMutation:
        result = super().mutate(root, info, **data)
        for error in result.errors:
            if error.field:
                error.field = to_camel_case(error.field)
        return result


class StaffMutation(KinshipMutation):
    """A mutation for staff and apps with MANAGE_USERS."""

    permissions = (MANAGE_USERS,)

    class Meta:
        abstract = True


def pk_of(global_id: str, type_name: str, field: str) -> int:
    """Return the primary key of an id; refuse a malformed one on `field`.

    `field` is the argument or input field, in snake_case like the others;
    the answer names it in camelCase.
    """
    try:
        return decode_id(global_id, type_name, to_camel_case(field))
    except KinshipGraphQLError as error:
        raise refuse(field, error.message, error.code)


def customer_from(global_id: str, field: str = "customer") -> Any:
    """Return the customer of a Saleor id, or refuse the field."""
    pk = pk_of(global_id, CUSTOMER_TYPE, field)
    customer = get_user_model()._default_manager.filter(pk=pk).first()
    if customer is None:
        raise refuse(field, "No such customer.", KinshipErrorCode.NOT_FOUND)
    return customer


def optional_user_id(global_id: str | None, field: str) -> int | None:
    return None if global_id is None else pk_of(global_id, CUSTOMER_TYPE, field)


def optional_id(global_id: str | None, type_name: str, field: str) -> int | None:
    return None if global_id is None else pk_of(global_id, type_name, field)


def with_relative_id(given: Any) -> dict[str, Any]:
    """Return the input as changes, its `relative` id decoded to `relative_id`."""
    changes = dict(given)
    if "relative" in changes:
        changes["relative_id"] = optional_id(
            changes.pop("relative"), "KinshipRelative", "relative"
        )
    return changes


def locked_row(model: type[Model], type_name: str, global_id: str) -> Any:
    """Return the row of an id, locked for the update; refuse a missing one."""
    pk = pk_of(global_id, type_name, "id")
    row = model._default_manager.select_for_update().filter(pk=pk).first()
    if row is None:
        raise refuse("id", f"No such {type_name}.", KinshipErrorCode.NOT_FOUND)
    return row


def day_of_year(value: Any) -> DayOfYear | None:
    """Return a birthday input (day, month, optional year) as plain values."""
    if value is None:
        return None
    return DayOfYear(value.day, value.month, value.get("year"))


def requesting_staff_id(info: Any) -> int | None:
    """Return the id of the staff member asking, None for an app."""
    user = info.context.requestor.user
    return user.pk if user is not None else None
