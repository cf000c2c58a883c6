"""Pages of per-customer lists, loaded for a whole list of customers at once.

`customers(first: 100) { edges { node { gifts(first: 5) { ... } } } }` asks
for a page of gifts of each of 100 customers. A `PageLoader` answers all of
them with one query: ROW_NUMBER() OVER (PARTITION BY customer) keeps the
first rows of each customer after the cursor. Cursors are the keyset
cursors of `core.connection.paginate`, so a page stays put while rows are
added before it.
"""

from collections import defaultdict
from dataclasses import dataclass
from typing import Any, ClassVar

from django.db.models import Count, F, OrderBy, QuerySet, Window
from django.db.models.functions import RowNumber
from graphene import relay
from promise import Promise

from ...core.error_codes import KinshipErrorCode
from ..core.connection import (
    MAX_PAGE_SIZE,
    CursorReader,
    after_filter,
    column_readers,
    decode_cursor,
    encode_cursor,
    flip,
    row_values,
)
from ..core.dataloaders import DataLoader
from ..core.errors import KinshipGraphQLError

Filters = tuple[tuple[str, Any], ...]


@dataclass(frozen=True)
class PageRequest:
    """One page of a list, with its filters; hashable, so a loader key."""

    first: int | None
    last: int | None
    after: tuple | None
    before: tuple | None
    filters: Filters = ()

    @classmethod
    def from_args(
        cls,
        readers: tuple[CursorReader, ...],
        first: int | None = None,
        last: int | None = None,
        after: str | None = None,
        before: str | None = None,
        filters: Filters = (),
    ) -> "PageRequest":
        """Check the paging arguments as `paginate` does; raise a coded error.

        `readers` read each sort column back from a cursor.
        """
        if (first is None) == (last is None):
            raise KinshipGraphQLError(
                "Give either `first` or `last` to choose a page.",
                KinshipErrorCode.REQUIRED,
            )
        size = first if first is not None else last
        assert size is not None
        if not 1 <= size <= MAX_PAGE_SIZE:
            raise KinshipGraphQLError(
                f"A page holds from 1 to {MAX_PAGE_SIZE} items.",
                KinshipErrorCode.OUT_OF_RANGE,
            )
        return cls(
            first=first,
            last=last,
            after=tuple(decode_cursor(after, readers, "after")) if after else None,
            before=tuple(decode_cursor(before, readers, "before")) if before else None,
            filters=filters,
        )

    @property
    def forward(self) -> bool:
        return self.first is not None

    @property
    def size(self) -> int:
        size = self.first if self.first is not None else self.last
        assert size is not None
        return size


@dataclass(frozen=True)
class Page:
    rows: list[Any]
    has_more: bool


def _ordering(order_by: tuple[str, ...]) -> list[OrderBy]:
    return [
        F(name[1:]).desc() if name.startswith("-") else F(name).asc()
        for name in order_by
    ]


class PageLoader(DataLoader):
    """Loads one page per (customer id, PageRequest) key, one query per request."""

    model: ClassVar[Any]
    order_by: ClassVar[tuple[str, ...]]
    partition: ClassVar[str] = "customer_id"

    def queryset(self, filters: Filters) -> QuerySet:
        """Return the rows of every customer matching the filters."""
        return self.model._default_manager.all()

    def batch_load(self, keys: list[tuple[int, PageRequest]]) -> list[Page]:
        wanted: dict[PageRequest, set[int]] = defaultdict(set)
        for customer_id, request in keys:
            wanted[request].add(customer_id)
        pages = {
            (customer_id, request): page
            for request, customer_ids in wanted.items()
            for customer_id, page in self._pages(request, customer_ids).items()
        }
        return [pages[key] for key in keys]

    def _pages(self, request: PageRequest, customer_ids: set[int]) -> dict[int, Page]:
        ordering = self.order_by if request.forward else flip(self.order_by)
        rows = self.queryset(request.filters).filter(
            **{f"{self.partition}__in": customer_ids}
        )
        if request.after is not None:
            rows = rows.filter(after_filter(self.order_by, list(request.after)))
        if request.before is not None:
            rows = rows.filter(after_filter(flip(self.order_by), list(request.before)))
        rows = rows.annotate(
            kinship_row=Window(
                RowNumber(),
                partition_by=[F(self.partition)],
                order_by=_ordering(ordering),
            )
        ).filter(kinship_row__lte=request.size + 1)
        grouped: dict[int, list[Any]] = defaultdict(list)
        for row in rows.order_by(self.partition, *ordering):
            grouped[getattr(row, self.partition)].append(row)
        pages = {}
        for customer_id in customer_ids:
            found = grouped.get(customer_id, [])
            page = found[: request.size]
            if not request.forward:
                page.reverse()
            pages[customer_id] = Page(page, has_more=len(found) > request.size)
        return pages


class CountLoader(DataLoader):
    """Counts the rows per customer matching filters, for `totalCount`."""

    partition: ClassVar[str] = "customer_id"
    page_loader: ClassVar[type[PageLoader]]

    def batch_load(self, keys: list[tuple[int, Filters]]) -> list[int]:
        wanted: dict[Filters, set[int]] = defaultdict(set)
        for customer_id, filters in keys:
            wanted[filters].add(customer_id)
        counts: dict[tuple[int, Filters], int] = {}
        for filters, customer_ids in wanted.items():
            loader = self.page_loader(self.context)
            rows = (
                loader.queryset(filters)
                .filter(**{f"{self.partition}__in": customer_ids})
                .values(self.partition)
                .annotate(count=Count("pk"))
                .order_by()
            )
            for row in rows:
                counts[row[self.partition], filters] = row["count"]
        return [counts.get(key, 0) for key in keys]


class _LoadedCount:
    """Stands in for `connection.matching`: counted by a loader, not per customer."""

    def __init__(self, loader: CountLoader, key: tuple[int, Filters]):
        self.loader, self.key = loader, key

    def count(self) -> Promise:
        return self.loader.load(self.key)


def build_connection(
    connection_type: type[relay.Connection],
    order_by: tuple[str, ...],
    request: PageRequest,
    page: Page,
    matching: Any,
) -> relay.Connection:
    """Return the Relay connection of a loaded page."""
    edges = [
        connection_type.Edge(node=row, cursor=encode_cursor(row_values(row, order_by)))
        for row in page.rows
    ]
    forward = request.forward
    page_info = relay.PageInfo(
        start_cursor=edges[0].cursor if edges else None,
        end_cursor=edges[-1].cursor if edges else None,
        has_next_page=page.has_more if forward else request.before is not None,
        has_previous_page=request.after is not None if forward else page.has_more,
    )
    connection = connection_type(edges=edges, page_info=page_info)
    connection.matching = matching
    return connection


def load_page(
    info: Any,
    loader_class: type[PageLoader],
    count_class: type[CountLoader],
    connection_type: type[relay.Connection],
    customer_id: int,
    page_args: dict[str, Any],
    filters: Filters = (),
) -> Promise:
    """Return a promise of one customer's page of a list, as a connection."""
    order_by = loader_class.order_by
    loader = loader_class(info.context)
    # Once per customer of a list: the columns are looked up only for a cursor.
    with_cursor = page_args.get("after") or page_args.get("before")
    readers = column_readers(loader.queryset(filters), order_by) if with_cursor else ()
    request = PageRequest.from_args(readers, filters=filters, **page_args)
    matching = _LoadedCount(count_class(info.context), (customer_id, filters))
    return loader.load((customer_id, request)).then(
        lambda page: build_connection(
            connection_type, order_by, request, page, matching
        )
    )


class _CountedRows(list):
    """A computed list standing in for `connection.matching`."""

    def count(self, *args: Any) -> int:  # type: ignore[override]
        return len(self)


def list_connection(
    connection_type: type[relay.Connection],
    rows: list[Any],
    columns: dict[str, CursorReader],
    page_args: dict[str, Any],
) -> relay.Connection:
    """Return a page of a list computed in Python, already sorted by `columns`.

    `columns` maps each sort attribute of the rows, in order, to the reader
    of its cursor values.
    """
    order_by = tuple(columns)
    request = PageRequest.from_args(tuple(columns.values()), **page_args)
    chosen = rows
    if request.after is not None:
        after = request.after
        chosen = [row for row in chosen if _sorts_after(row, after, order_by)]
    if request.before is not None:
        before = request.before
        chosen = [row for row in chosen if not _sorts_after(row, before, order_by)]
        chosen = [row for row in chosen if tuple(row_values(row, order_by)) != before]
    has_more = len(chosen) > request.size
    if request.forward:
        page = Page(chosen[: request.size], has_more)
    else:
        page = Page(chosen[-request.size :], has_more)
    return build_connection(
        connection_type, order_by, request, page, _CountedRows(rows)
    )


def _sorts_after(row: Any, cursor: tuple, order_by: tuple[str, ...]) -> bool:
    """Return True when the row comes after the cursor in `order_by`."""
    values = row_values(row, order_by)
    for name, value, mark in zip(order_by, values, cursor, strict=True):
        if value != mark:
            return value < mark if name.startswith("-") else value > mark
    return False
