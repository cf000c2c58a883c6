"""Loaders of relationship data; each answers a whole list with one query."""

from typing import Any

from django.db.models import QuerySet

from ...relationships.dates import shop_today
from ...relationships.models import (
    CustomerProfile,
    FollowUp,
    ImportantDate,
    KinshipGift,
    Relative,
)
from ...relationships.profiles import default_profile
from ...relationships.relations import reverse_roles
from ..core.dataloaders import ByForeignKeyLoader, ByIdLoader, DataLoader
from .connections import CountLoader, PageLoader


class ProfileByCustomerIdLoader(DataLoader):
    """A customer's profile; an unsaved one with defaults if she has none yet."""

    def batch_load(self, keys: list[int]) -> list[CustomerProfile]:
        found = {
            profile.customer_id: profile
            for profile in CustomerProfile.objects.filter(customer_id__in=keys)
        }
        return [found.get(key) or default_profile(key) for key in keys]


class ReverseRolesLoader(DataLoader):
    """Every role name with the role of the other side; load it with key 0."""

    def batch_load(self, keys: list[Any]) -> list[dict[str, str]]:
        reverses = reverse_roles()
        return [reverses for _ in keys]


class ShopTodayLoader(DataLoader):
    """The shop's date for this request; load it with key 0."""

    def batch_load(self, keys: list[Any]) -> list[Any]:
        today = shop_today()
        return [today for _ in keys]


class RelativeByIdLoader(ByIdLoader):
    model = Relative


class ImportantDateByIdLoader(ByIdLoader):
    model = ImportantDate


class ImportantDatesByCustomerIdLoader(ByForeignKeyLoader):
    model = ImportantDate
    field = "customer"


class RelativePageLoader(PageLoader):
    model = Relative
    order_by = ("pk",)


class RelativeCountLoader(CountLoader):
    page_loader = RelativePageLoader


class ImportantDatePageLoader(PageLoader):
    model = ImportantDate
    order_by = ("month", "day", "pk")


class ImportantDateCountLoader(CountLoader):
    page_loader = ImportantDatePageLoader


class GiftPageLoader(PageLoader):
    model = KinshipGift
    order_by = ("-date", "-pk")


class GiftCountLoader(CountLoader):
    page_loader = GiftPageLoader


class FollowUpPageLoader(PageLoader):
    model = FollowUp
    order_by = ("due_on", "pk")

    def queryset(self, filters: tuple) -> QuerySet:
        rows = FollowUp.objects.all()
        done = dict(filters).get("done")
        if done is not None:
            rows = rows.filter(done_at__isnull=not done)
        return rows


class FollowUpCountLoader(CountLoader):
    page_loader = FollowUpPageLoader
