from datetime import datetime
from typing import Any

from django.utils import timezone
from promise import Promise

from ...relationships.dates import shop_zone
from ..core.permissions import MANAGE_USERS, check_permissions
from ..core.scalars import readable
from ..relationships.connections import load_page
from .dataloaders import InteractionCountLoader, InteractionPageLoader
from .types import KinshipInteractionConnection


def _moment(value: Any, argument: str) -> datetime | None:
    """Return a bound of the period, aware; without an offset, in the shop's zone."""
    moment = readable(value, argument)
    if moment is None or timezone.is_aware(moment):
        return moment
    return timezone.make_aware(moment, shop_zone())


def interactions(
    customer: Any,
    info: Any,
    kinds: list[str] | None,
    occurred_from: Any,
    occurred_to: Any,
    page: dict[str, Any],
) -> Promise:
    check_permissions(info, MANAGE_USERS)
    filters = (
        ("kinds", tuple(sorted(set(kinds or ())))),
        ("occurred_from", _moment(occurred_from, "occurredFrom")),
        ("occurred_to", _moment(occurred_to, "occurredTo")),
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
