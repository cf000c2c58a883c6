"""The permission matrix again, with Saleor's own requestors and rows.

The same root fields and the same policy as the reference host's matrix
(tests/permissions), asked with Saleor tokens: a customer's and a staff
member's JWT, an App's token, with and without MANAGE_USERS; Ann's order is
a real Saleor order, completed and paid through Saleor's API.
"""

from typing import Any

import pytest
from django.test import TestCase
from django.utils import timezone
from graphql_relay import to_global_id

from saleor.account.models import User
from saleor.app.models import App
from saleor.graphql.tests.fixtures import ApiClient
from saleor_kinship.core.requestor import Requestor
from saleor_kinship.emails.models import Delivery
from saleor_kinship.loyalty.adjustments import adjust_points
from saleor_kinship.resellers import links, status
from saleor_kinship.resellers.models import ResellerStatus
from tests.permissions.matrix import FIELDS, leaks, record_what_staff_know
from tests.permissions.policy import KINDS

from .fixtures import configure


class KinshipApi:
    """Saleor's test client aimed at the kinship endpoint, read as JSON."""

    def __init__(self, kinship_url: str, **identity: Any):
        self.client = ApiClient(api_path=kinship_url, **identity)

    def query(self, text: str, variables: dict[str, Any] | None = None) -> Any:
        response = self.client.post_graphql(text, variables or {})
        assert response.status_code == 200, response.content
        return response.json()

    def data(self, text: str, variables: dict[str, Any] | None = None) -> Any:
        body = self.query(text, variables)
        assert "errors" not in body, body["errors"]
        return body["data"]


def saleor_user(email: str, is_staff: bool = False) -> User:
    return User.objects.create(email=email, is_staff=is_staff, is_active=True)


@pytest.fixture
def clients(
    kinship_plugin, kinship_url, customer_user, permission_manage_users, app
) -> dict[str, KinshipApi]:
    """A client of every kind in the policy, each with its Saleor token."""
    rita = saleor_user("rita@example.com")
    staff = saleor_user("manager@example.com", is_staff=True)
    staff.user_permissions.add(permission_manage_users)
    app.permissions.add(permission_manage_users)
    other_app = App.objects.create(name="Reviews", is_active=True)
    clients = {
        "anonymous": KinshipApi(kinship_url, user=None),
        "customer": KinshipApi(kinship_url, user=customer_user),
        "other_customer": KinshipApi(kinship_url, user=saleor_user("bob@example.com")),
        "reseller": KinshipApi(kinship_url, user=rita),
        "staff_without_permission": KinshipApi(
            kinship_url, user=saleor_user("clerk@example.com", is_staff=True)
        ),
        "staff": KinshipApi(kinship_url, user=staff),
        "app": KinshipApi(kinship_url, app=app),
        "app_without_permission": KinshipApi(kinship_url, app=other_app),
    }
    assert set(clients) == set(KINDS)
    return clients


@pytest.fixture
def ids(
    clients, saleor_shop, kinship_plugin, kinship_mail, draft_order, customer_user
) -> dict[str, str]:
    """Ann's rows, made through Saleor and kinship as a shop would make them."""
    configure(kinship_plugin, points_expiry_months="1", expiry_warning_days="60")
    staff = clients["staff"].client.user
    staff_requestor = Requestor(user=staff, permissions=frozenset({"MANAGE_USERS"}))
    rita = clients["reseller"].client.user
    with TestCase.captureOnCommitCallbacks(execute=True):
        application = status.apply(rita, "", Requestor(user=rita))
        reseller = status.change_status(
            application.pk, ResellerStatus.APPROVED, "", staff_requestor
        )
        links.link(customer_user.pk, reseller.pk, timezone.now(), staff_requestor)

    order = saleor_shop.complete_and_pay(draft_order)
    with TestCase.captureOnCommitCallbacks(execute=True):
        adjust_points(
            customer_user.pk, 5, "Welcome gift", now=timezone.now(), staff_id=staff.pk
        )

    ann = to_global_id("User", customer_user.pk)
    delivery = Delivery.objects.get(customer=customer_user)
    return {
        "User": ann,
        "Order": order["id"],
        "KinshipReseller": to_global_id("KinshipReseller", reseller.pk),
        **record_what_staff_know(clients["staff"], ann),
        "KinshipEmailDelivery": to_global_id("KinshipEmailDelivery", delivery.pk),
    }


@pytest.mark.parametrize(("operation", "field_name"), FIELDS)
def test_each_saleor_requestor_gets_what_the_policy_says(
    clients, ids, operation, field_name
):
    def ask(kind, text, variables):
        return clients[kind].query(text, variables)

    found = leaks(operation, field_name, ids, ask)

    assert found == [], f"{field_name}:\n" + "\n".join(found)
