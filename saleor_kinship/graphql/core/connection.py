"""Relay connections with keyset cursors.

A cursor holds the sort values of its row, not an offset, so a page stays
the same while rows are added before it (a new interaction on the timeline
does not shift the next page).
"""

import base64
import json
import math
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import partial
from typing import Any

import graphene
from django.db import connection as db_connection
from django.db.models import DecimalField, Field, ForeignKey, Q, QuerySet
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


def encode_cursor(values: list[Any]) -> str:
    """Return the cursor of a row's sort values: base64 of a JSON list."""
    plain = [
        value.isoformat()
        if isinstance(value, date | datetime)
        else str(value)
        if isinstance(value, Decimal)
        else value
        for value in values
    ]
    return base64.urlsafe_b64encode(json.dumps(plain).encode()).decode()


# Reads one value of a cursor back as its column holds it; raises ValueError,
# TypeError or ArithmeticError for anything the column could not have given.
CursorReader = Callable[[Any], Any]


def read_integer(value: Any, low: int = -(2**63), high: int = 2**63 - 1) -> int:
    if type(value) is not int or not low <= value <= high:
        raise ValueError("not an integer of the column")
    return value


def read_float(value: Any) -> float:
    if type(value) not in (int, float) or not math.isfinite(value):
        raise ValueError("not a finite number")
    return float(value)


def read_decimal(value: Any, max_digits: int, decimal_places: int) -> Decimal:
    if not isinstance(value, str):
        raise TypeError("a decimal is written as text")
    number = Decimal(value)
    exact = number.quantize(Decimal(1).scaleb(-decimal_places))
    if exact != number or abs(exact) >= Decimal(10) ** (max_digits - decimal_places):
        raise ValueError("not a value of the column")
    return number


def read_text(value: Any) -> str:
    if not isinstance(value, str) or "\x00" in value:
        raise ValueError("not text")
    return value


def read_date(value: Any) -> date:
    if not isinstance(value, str):
        raise TypeError("a date is written as text")
    return date.fromisoformat(value)


def read_datetime(value: Any) -> datetime:
    if not isinstance(value, str):
        raise TypeError("a moment is written as text")
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise ValueError("a moment needs an offset")
    moment.astimezone(UTC)  # OverflowError past year 1 or 9999 in UTC
    return moment


def _reader(field: Field) -> CursorReader:
    if isinstance(field, ForeignKey):
        field = field.target_field
    kind = field.get_internal_type()
    if kind == "DateTimeField":
        return read_datetime
    if kind == "DateField":
        return read_date
    if isinstance(field, DecimalField):
        return partial(
            read_decimal,
            max_digits=field.max_digits,
            decimal_places=field.decimal_places,
        )
    if kind == "FloatField":
        return read_float
    if kind in {"CharField", "TextField", "EmailField", "SlugField"}:
        return read_text
    if kind.endswith(("IntegerField", "AutoField")):
        low, high = db_connection.ops.integer_field_range(kind)
        return partial(read_integer, low=low, high=high)
    raise TypeError(f"A {kind} cannot be a keyset column.")


def _column(queryset: QuerySet, name: str) -> Field:
    """Return the field of a sort column: an annotation, or a model field path."""
    annotation = queryset.query.annotations.get(name)
    if annotation is not None:
        return annotation.output_field
    model = queryset.model
    field = None
    for part in name.split("__"):
        field = model._meta.pk if part == "pk" else model._meta.get_field(part)
        model = field.related_model
    assert isinstance(field, Field)
    return field


def column_readers(
    queryset: QuerySet, order_by: tuple[str, ...]
) -> tuple[CursorReader, ...]:
    """Return how to read each column of `order_by` back from a cursor."""
    return tuple(_reader(_column(queryset, name.lstrip("-"))) for name in order_by)


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a value of a column")


def decode_cursor(
    cursor: str, readers: Sequence[CursorReader], argument: str
) -> list[Any]:
    """Return a cursor's values as their columns hold them, or refuse it.

    A cursor must be one a list gave out: base64 of a JSON list with a value
    of the right type for each column.
    """
    try:
        raw = base64.b64decode(cursor, altchars=b"-_", validate=True)
        values = json.loads(raw, parse_constant=_no_constant)
        if not isinstance(values, list) or len(values) != len(readers):
            raise ValueError("not a list of one value per column")
        return [read(value) for read, value in zip(readers, values, strict=True)]
    except (ValueError, TypeError, ArithmeticError, RecursionError):
        raise KinshipGraphQLError(
            f"{argument}: the cursor is not one this list gave out.",
            KinshipErrorCode.INVALID,
        ) from None


def after_filter(order_by: tuple[str, ...], values: list[Any]) -> Q:
    """Return the filter for rows that come after `values` in `order_by`.

    Keyset columns are never null, and a cursor holds no null.
    """
    condition = Q(pk__in=[])
    equal = Q()
    for name, value in zip(order_by, values, strict=True):
        field = name.lstrip("-")
        lookup = "lt" if name.startswith("-") else "gt"
        condition |= equal & Q(**{f"{field}__{lookup}": value})
        equal &= Q(**{field: value})
    return condition


def flip(order_by: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(name[1:] if name.startswith("-") else f"-{name}" for name in order_by)


def row_values(row: Any, order_by: tuple[str, ...]) -> list[Any]:
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
    ordering = order_by if forward else flip(order_by)
    rows = queryset.order_by(*ordering)
    readers = column_readers(queryset, order_by)
    if after:
        rows = rows.filter(
            after_filter(order_by, decode_cursor(after, readers, "after"))
        )
    if before:
        rows = rows.filter(
            after_filter(flip(order_by), decode_cursor(before, readers, "before"))
        )
    page = list(rows[: size + 1])
    has_more = len(page) > size
    page = page[:size]
    if not forward:
        page.reverse()

    edge_type = connection_type.Edge
    edges = [
        edge_type(node=row, cursor=encode_cursor(row_values(row, order_by)))
        for row in page
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
