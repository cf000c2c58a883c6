"""What loyalty refuses in an order snapshot, beyond the core's checks."""

from collections.abc import Sequence
from typing import TypeGuard

from django.contrib.auth import get_user_model
from django.db import connection

from ..core.error_codes import KinshipErrorCode
from ..core.events import InvalidEvent, validate_snapshot
from ..core.snapshots import OrderSnapshot


def check_snapshots(
    snapshots: Sequence[OrderSnapshot],
) -> tuple[list[OrderSnapshot], list[tuple[OrderSnapshot, InvalidEvent]]]:
    """Split snapshots into those loyalty can apply and those it must refuse."""
    known = _existing_customers(
        {order.customer_id for order in snapshots if _is_id(order.customer_id)}
    )
    accepted, refused = [], []
    for order in snapshots:
        problem = _problem(order, known)
        if problem is None:
            accepted.append(order)
        else:
            refused.append((order, problem))
    return accepted, refused


def _existing_customers(customer_ids: set[int]) -> set[int]:
    if not customer_ids:
        return set()
    users = get_user_model()._meta
    with connection.cursor() as cursor:
        # One parameter however many ids a batch holds.
        cursor.execute(
            f"""
            SELECT {users.pk.column} FROM {users.db_table}
            WHERE {users.pk.column} = ANY(%s::bigint[])
            """,
            [sorted(customer_ids)],
        )
        return {pk for (pk,) in cursor.fetchall()}


def _is_id(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _problem(order: OrderSnapshot, known_customers: set[int]) -> InvalidEvent | None:
    try:
        validate_snapshot(order)
    except InvalidEvent as refused:
        return refused
    if order.customer_id is not None and order.customer_id not in known_customers:
        return InvalidEvent(
            f"Order {order.id}: customer {order.customer_id} does not exist.",
            KinshipErrorCode.NOT_FOUND,
        )
    return None
