from datetime import datetime
from typing import Any

from promise import Promise

from ..core.permissions import MANAGE_USERS, check_permissions
from ..relationships.connections import load_page
from .dataloaders import InteractionCountLoader, InteractionPageLoader
from .types import KinshipInteractionConnection


def interactions(
    customer: Any,
    info: Any,
    kinds: list[str] | None,
    occurred_from: datetime | None,
    occurred_to: datetime | None,
    page: dict[str, Any],
) -> Promise:
    check_permissions(info, MANAGE_USERS)
    filters = (
        ("kinds", tuple(sorted(set(kinds or ())))),
        ("occurred_from", occurred_from),
        ("occurred_to", occurred_to),
    )
    return load_page(
        info,
        InteractionPageLoader,
        InteractionCountLoader,
        KinshipInteractionConnection,
        customer.pk,
        page,
        filters=filters,
    )
