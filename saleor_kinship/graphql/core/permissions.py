from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import ValidationError

from ...core.error_codes import KinshipErrorCode
from .errors import KinshipGraphQLError, PermissionDenied

MANAGE_USERS = "MANAGE_USERS"


def requestor(info: Any):
    return info.context.requestor


def check_permissions(info: Any, *permissions: str) -> None:
    """Raise PermissionDenied unless the requestor has one of the permissions."""
    if not any(requestor(info).has_perm(perm) for perm in permissions):
        raise PermissionDenied(permissions)


def signed_in_customer(info: Any) -> Any:
    """Return the signed-in user, or raise an error for anonymous requests."""
    user = requestor(info).user
    if user is None:
        raise KinshipGraphQLError(
            "Sign in to see this.", KinshipErrorCode.AUTHENTICATION_FAILED
        )
    return user


def permission_required(*permissions: str) -> Callable:
    """Wrap a resolver so that it runs only for holders of one of the permissions."""

    def decorator(resolver: Callable) -> Callable:
        @wraps(resolver)
        def wrapper(root: Any, info: Any, *args: Any, **kwargs: Any) -> Any:
            check_permissions(info, *permissions)
            return resolver(root, info, *args, **kwargs)

        return wrapper

    return decorator


def check_self_or_permission(info: Any, customer: Any, *permissions: str) -> None:
    """Allow the customer herself, or holders of one of the permissions."""
    user = requestor(info).user
    if user is not None and user.pk == customer.pk:
        return
    check_permissions(info, *permissions)


def refuse_own_account(
    info: Any, customer_id: int | None, field: str, action: str
) -> None:
    """Refuse, as an error on `field`, staff acting on their own customer account.

    `action` completes "You cannot ...", such as "adjust your own points".
    """
    user = requestor(info).user
    if user is not None and customer_id is not None and user.pk == customer_id:
        raise ValidationError(
            {
                field: ValidationError(
                    f"You cannot {action}; ask another staff member.",
                    code=KinshipErrorCode.PERMISSION_DENIED.value,
                )
            }
        )
