from datetime import UTC, date, datetime
from types import SimpleNamespace
from typing import Any

import pytest
from graphql_relay import to_global_id

from saleor_kinship.graphql.core.ids import customer_global_id


def gid(type_name: str, pk: Any) -> str:
    return to_global_id(type_name, pk)


def uid(user: Any) -> str:
    return customer_global_id(user.pk)


def mutation_errors(body: dict, name: str) -> list[dict]:
    """Return the `errors` of a mutation payload as {field, code} pairs."""
    return [
        {"field": error["field"], "code": error["code"]}
        for error in body[name]["errors"]
    ]


@pytest.fixture
def carol(shop):
    return shop.create_customer(
        "carol@example.com", first_name="Carol", last_name="Day"
    )


@pytest.fixture
def assistant(db):
    from devhost.account.models import User

    return User.objects.create_user(
        "assistant@example.com", first_name="Ida", last_name="Moss", is_staff=True
    )


@pytest.fixture
def shop_day(monkeypatch):
    """Return a function that makes `day` the shop's today (noon UTC that day).

    Only the shop's calendar moves (`shop_today()`); moments such as when a
    row was written stay real.
    """
    from saleor_kinship.relationships import dates

    def set_day(day: date) -> None:
        noon = datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
        monkeypatch.setattr(dates, "timezone", SimpleNamespace(now=lambda: noon))

    return set_day
