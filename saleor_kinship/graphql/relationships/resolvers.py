"""Resolvers of the relationship fields of a customer; every one through a loader."""

from dataclasses import dataclass
from typing import Any

from promise import Promise

from ...relationships.dates import next_date
from ...relationships.relations import RolePair, role_pairs
from ..core.connection import read_integer
from ..core.permissions import MANAGE_USERS, check_permissions, check_self_or_permission
from .connections import list_connection, load_page
from .dataloaders import (
    FollowUpCountLoader,
    FollowUpPageLoader,
    GiftCountLoader,
    GiftPageLoader,
    ImportantDateCountLoader,
    ImportantDatePageLoader,
    ImportantDatesByCustomerIdLoader,
    ProfileByCustomerIdLoader,
    RelativeCountLoader,
    RelativePageLoader,
    ShopTodayLoader,
)
from .types import (
    KinshipFollowUpConnection,
    KinshipGiftConnection,
    KinshipImportantDateConnection,
    KinshipRelationTypeConnection,
    KinshipRelativeConnection,
)


def profile(customer: Any, info: Any) -> Promise:
    check_self_or_permission(info, customer, MANAGE_USERS)
    return ProfileByCustomerIdLoader(info.context).load(customer.pk)


def relatives(customer: Any, info: Any, page: dict[str, Any]) -> Promise:
    check_permissions(info, MANAGE_USERS)
    return load_page(
        info,
        RelativePageLoader,
        RelativeCountLoader,
        KinshipRelativeConnection,
        customer.pk,
        page,
    )


def important_dates(customer: Any, info: Any, page: dict[str, Any]) -> Promise:
    check_permissions(info, MANAGE_USERS)
    return load_page(
        info,
        ImportantDatePageLoader,
        ImportantDateCountLoader,
        KinshipImportantDateConnection,
        customer.pk,
        page,
    )


def next_important_date(customer: Any, info: Any) -> Promise:
    check_permissions(info, MANAGE_USERS)
    rows = ImportantDatesByCustomerIdLoader(info.context).load(customer.pk)
    today = ShopTodayLoader(info.context).load(0)
    return Promise.all([rows, today]).then(lambda loaded: next_date(*loaded))


def gifts(customer: Any, info: Any, page: dict[str, Any]) -> Promise:
    check_permissions(info, MANAGE_USERS)
    return load_page(
        info, GiftPageLoader, GiftCountLoader, KinshipGiftConnection, customer.pk, page
    )


def follow_ups(
    customer: Any, info: Any, done: bool | None, page: dict[str, Any]
) -> Promise:
    check_permissions(info, MANAGE_USERS)
    return load_page(
        info,
        FollowUpPageLoader,
        FollowUpCountLoader,
        KinshipFollowUpConnection,
        customer.pk,
        page,
        filters=(("done", done),),
    )


@dataclass(frozen=True)
class ListedRolePair:
    position: int
    pair: RolePair

    def __getattr__(self, name: str) -> Any:
        return getattr(self.pair, name)


def relation_types(page: dict[str, Any]) -> Any:
    listed = [ListedRolePair(index, pair) for index, pair in enumerate(role_pairs())]
    return list_connection(
        KinshipRelationTypeConnection, listed, {"position": read_integer}, page
    )
