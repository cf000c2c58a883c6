"""Relay connections with keyset cursors.

A cursor holds the sort values of its row, not an offset, so a page stays
the same while rows are added before it (a new interaction on the timeline
does not shift the next page).
"""

import base64
import binascii
import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import graphene
from django.db.models import Q, QuerySet
from graphene import relay

from ...core.error_codes import KinshipErrorCode
from .errors import KinshipGraphQLError

MAX_PAGE_SIZE = 100


class CountableConnection(relay.Connection):
    """A connection that can also tell how many rows match, when asked."""

    class Meta:
        abstract = True

    total_count = graphene.Int(description="Number of items that match the query.")

    def resolve_total_count(self, info: Any) -> int:
        return self.matching.count()


def _encode(values: list[Any]) -> str:
    plain = [
        value.isoformat()
        if isinstance(value, date | datetime)
        else str(value)
        if isinstance(value, Decimal)
        else value
        for value in values
    ]
    return base64.urlsafe_b64encode(json.dumps(plain).encode()).decode()


def _decode(cursor: str, size: int) -> list[Any]:
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor.encode()))
    except (ValueError, UnicodeError, binascii.Error):
        values = None
    if not isinstance(values, list) or len(values) != size:
        raise KinshipGraphQLError(
            "The cursor is not one this list gave out.", KinshipErrorCode.INVALID
        )
    return values


def _after(order_by: tuple[str, ...], values: list[Any]) -> Q:
    """Return the filter for rows that come after `values` in `order_by`."""
    condition = Q(pk__in=[])
    equal = Q()
    for name, value in zip(order_by, values, strict=True):
        field = name.lstrip("-")
        lookup = "lt" if name.startswith("-") else "gt"
        if value is None:
            # Keyset columns are expected to be non-null; treat null as the end.
            break
        condition |= equal & Q(**{f"{field}__{lookup}": value})
        equal &= Q(**{field: value})
    return condition


def _flip(order_by: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(name[1:] if name.startswith("-") else f"-{name}" for name in order_by)


def _row_values(row: Any, order_by: tuple[str, ...]) -> list[Any]:
    values = []
    for name in order_by:
        value = row
        for part in name.lstrip("-").split("__"):
            value = getattr(value, part)
        values.append(value)
    return values


def paginate(
    queryset: QuerySet,
    connection_type: type[relay.Connection],
    *,
    first: int | None = None,
    last: int | None = None,
    after: str | None = None,
    before: str | None = None,
    order_by: tuple[str, ...] = ("-pk",),
    max_page_size: int = MAX_PAGE_SIZE,
    **_filters: Any,
) -> relay.Connection:
    """Return one page of the queryset as a connection of `connection_type`.

    `order_by` must end with a unique column (the primary key) so that every
    row has a place of its own.
    """
    if (first is None) == (last is None):
        raise KinshipGraphQLError(
            "Give either `first` or `last` to choose a page.", KinshipErrorCode.REQUIRED
        )
    size = first if first is not None else last
    assert size is not None
    if not 1 <= size <= max_page_size:
        raise KinshipGraphQLError(
            f"A page holds from 1 to {max_page_size} items.",
            KinshipErrorCode.OUT_OF_RANGE,
        )
    forward = first is not None
    ordering = order_by if forward else _flip(order_by)
    rows = queryset.order_by(*ordering)
    if after:
        rows = rows.filter(_after(order_by, _decode(after, len(order_by))))
    if before:
        rows = rows.filter(_after(_flip(order_by), _decode(before, len(order_by))))
    page = list(rows[: size + 1])
    has_more = len(page) > size
    page = page[:size]
    if not forward:
        page.reverse()

    edge_type = connection_type.Edge
    edges = [
        edge_type(node=row, cursor=_encode(_row_values(row, order_by))) for row in page
    ]
    page_info = relay.PageInfo(
        start_cursor=edges[0].cursor if edges else None,
        end_cursor=edges[-1].cursor if edges else None,
        has_next_page=has_more if forward else bool(before),
        has_previous_page=bool(after) if forward else has_more,
    )
    connection = connection_type(edges=edges, page_info=page_info)
    connection.matching = queryset
    return connection
