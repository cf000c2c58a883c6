"""Per-request batching: every relation a type resolves goes through a loader."""

from collections import defaultdict
from collections.abc import Iterable
from typing import Any, ClassVar

from django.db.models import Model, QuerySet
from promise import Promise
from promise.dataloader import DataLoader as PromiseDataLoader


class DataLoader(PromiseDataLoader):
    """A loader that lives for one request; subclasses implement batch_load."""

    context: Any

    def __new__(cls, context: Any) -> "DataLoader":
        loader = context.loaders.get(cls)
        if loader is None:
            loader = super().__new__(cls)
            context.loaders[cls] = loader
        return loader

    def __init__(self, context: Any):
        if getattr(self, "context", None) is context:
            return
        self.context = context
        super().__init__()

    def batch_load_fn(self, keys: list[Any]) -> Promise:
        return Promise.resolve(self.batch_load(keys))

    def batch_load(self, keys: list[Any]) -> list[Any]:
        """Return one result per key, in the order of the keys."""
        raise NotImplementedError("DataLoader.batch_load() must be implemented")


class ByIdLoader(DataLoader):
    """Loads rows by primary key; None for a key with no row."""

    model: ClassVar[type[Model]]

    def queryset(self) -> QuerySet:
        return self.model._default_manager.all()

    def batch_load(self, keys: list[Any]) -> list[Any]:
        rows = self.queryset().in_bulk(keys)
        return [rows.get(key) for key in keys]


class ByForeignKeyLoader(DataLoader):
    """Loads the rows pointing at each key through `field`, as lists."""

    model: ClassVar[type[Model]]
    field: ClassVar[str]

    def queryset(self) -> QuerySet:
        return self.model._default_manager.all()

    def batch_load(self, keys: list[Any]) -> list[list[Any]]:
        attname = self.model._meta.get_field(self.field).attname  # type: ignore[union-attr]
        grouped: dict[Any, list[Any]] = defaultdict(list)
        rows: Iterable[Any] = self.queryset().filter(**{f"{attname}__in": keys})
        for row in rows:
            grouped[getattr(row, attname)].append(row)
        return [grouped.get(key, []) for key in keys]
