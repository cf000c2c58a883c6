"""Mutations answer `errors { field code message }` and never raise to a 500."""

from typing import Any

import graphene
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction

from ...core.error_codes import KinshipErrorCode
from .permissions import check_permissions, signed_in_customer
from .text import field_of, find_unstorable
from .types import KinshipError


def _code(error: ValidationError) -> KinshipErrorCode:
    try:
        return KinshipErrorCode(error.code)
    except ValueError:
        return KinshipErrorCode.INVALID


def unstorable_text_errors(data: dict[str, Any]) -> list[KinshipError]:
    """Return an error naming the input field whose text cannot be stored."""
    found = find_unstorable(data)
    if found is None:
        return []
    path, what = found
    return [
        KinshipError(
            field=field_of(path),
            code=KinshipErrorCode.INVALID,
            message=f"Text may not contain {what}.",
        )
    ]


def errors_from(error: ValidationError) -> list[KinshipError]:
    """Turn Django's ValidationError (keyed by field or not) into GraphQL errors."""
    result = []
    if hasattr(error, "error_dict"):
        for field, field_errors in error.error_dict.items():
            for single in field_errors:
                result.append(
                    KinshipError(
                        field=None if field == NON_FIELD_ERRORS else field,
                        code=_code(single),
                        message=" ".join(single.messages),
                    )
                )
    else:
        for single in error.error_list:
            result.append(
                KinshipError(
                    field=None, code=_code(single), message=" ".join(single.messages)
                )
            )
    return result


class BaseMutation(graphene.Mutation):
    """Base for every mutation: permissions, one transaction, coded errors.

    Subclasses set `permissions` (any of which allows the call) or
    `customer_only = True`, and implement `perform(root, info, **data)`, which
    returns a dict of the payload's fields or raises ValidationError. Input
    holding text the database cannot store is refused before `perform`.
    """

    errors = graphene.List(graphene.NonNull(KinshipError), required=True)

    permissions: tuple[str, ...] = ()
    customer_only = False

    class Meta:
        abstract = True

    @classmethod
    def perform(cls, root: Any, info: Any, **data: Any) -> dict[str, Any]:
        raise NotImplementedError(f"{cls.__name__}.perform() must be implemented")

    @classmethod
    def mutate(cls, root: Any, info: Any, **data: Any) -> "BaseMutation":
        if cls.permissions:
            check_permissions(info, *cls.permissions)
        if cls.customer_only:
            signed_in_customer(info)
        unstorable = unstorable_text_errors(data)
        if unstorable:
            return cls(errors=unstorable)
        try:
            with transaction.atomic():
                fields = cls.perform(root, info, **data)
        except ValidationError as error:
            return cls(errors=errors_from(error))
        return cls(errors=[], **fields)
