"""Fixtures for resellers: approved resellers, links, and GraphQL ids."""

from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
from django.utils import timezone
from graphql_relay import to_global_id

from saleor_kinship.core.requestor import Requestor
from saleor_kinship.resellers import links, status
from saleor_kinship.resellers.models import Reseller, ResellerLink, ResellerStatus


def reseller_gid(reseller: Reseller) -> str:
    return to_global_id("KinshipReseller", reseller.pk)


def codes(payload: dict[str, Any]) -> list[tuple[str | None, str]]:
    """Return (field, code) of each error of a mutation payload."""
    return [(error["field"], error["code"]) for error in payload["errors"]]


@pytest.fixture
def staff_requestor(staff_user) -> Requestor:
    return Requestor(user=staff_user, permissions=frozenset({"MANAGE_USERS"}))


@pytest.fixture
def make_reseller(shop, staff_requestor) -> Callable[..., Reseller]:
    """Create a customer who applied and was approved as a reseller."""

    def make(email: str, first_name: str = "", last_name: str = "") -> Reseller:
        customer = shop.create_customer(
            email, first_name=first_name, last_name=last_name
        )
        reseller = status.apply(customer, "", Requestor(user=customer))
        return status.change_status(
            reseller.pk, ResellerStatus.APPROVED, "", staff_requestor
        )

    return make


@pytest.fixture
def link_customer(staff_requestor) -> Callable[..., ResellerLink]:
    def link(customer: Any, reseller: Reseller, since: datetime | None = None):
        return links.link(
            customer.pk, reseller.pk, since or timezone.now(), staff_requestor
        )

    return link


@pytest.fixture
def rita(make_reseller) -> Reseller:
    """An approved reseller at the programme's default rate (10 %)."""
    return make_reseller("rita@example.com", first_name="Rita", last_name="Moss")


@pytest.fixture
def rita_api(rita):
    """GraphQL as Rita herself, signed in."""
    from devhost.account.tokens import issue_user_token
    from tests.conftest import GraphQLClient

    return GraphQLClient(issue_user_token(rita.customer_id))
