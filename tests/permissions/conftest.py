"""Requestors of every kind, and a customer with a row behind every id argument.

Ann (`customer`) is the customer whose data the requests aim at: she has a
profile with a birthday, a relative, a date, a gift, a follow-up, a note on
her timeline, points (one order, one staff adjustment, some expiring soon),
an e-mail delivery, and she was brought by Rita, an approved reseller with
commission on Ann's order. Bob (`other_customer`) and Rita ask for it too.
"""

from typing import Any

import pytest
from django.utils import timezone
from graphql_relay import to_global_id

from saleor_kinship.core.requestor import Requestor
from saleor_kinship.emails.models import Delivery
from saleor_kinship.graphql.core.ids import customer_global_id
from saleor_kinship.loyalty.adjustments import adjust_points
from saleor_kinship.resellers import links, status
from saleor_kinship.resellers.models import ResellerStatus
from tests.conftest import GraphQLClient

from .matrix import record_what_staff_know

# Every kind of requestor, and the fixture of its GraphQL client.
REQUESTORS = {
    "anonymous": "anonymous_api",
    "customer": "customer_api",
    "other_customer": "other_customer_api",
    "reseller": "reseller_api",
    "staff_without_permission": "staff_api_without_permission",
    "staff": "staff_api",
    "app": "app_api",
    "app_without_permission": "app_api_without_permission",
}


@pytest.fixture
def staff_requestor(staff_user) -> Requestor:
    return Requestor(user=staff_user, permissions=frozenset({"MANAGE_USERS"}))


@pytest.fixture
def reseller(shop, staff_requestor, run_events) -> Any:
    """Rita, a customer whom staff approved as a reseller."""
    rita = shop.create_customer("rita@example.com", first_name="Rita")
    application = status.apply(rita, "", Requestor(user=rita))
    return run_events(
        status.change_status,
        application.pk,
        ResellerStatus.APPROVED,
        "",
        staff_requestor,
    )


@pytest.fixture
def reseller_api(reseller) -> GraphQLClient:
    from devhost.account.tokens import issue_user_token

    return GraphQLClient(issue_user_token(reseller.customer_id))


@pytest.fixture
def ids(
    shop,
    channel,
    configure,
    customer,
    other_customer,
    reseller,
    staff_user,
    staff_api,
    staff_requestor,
) -> dict[str, str]:
    """Ann's rows and the people involved, by the type name of their global id."""
    # Points expire after a month and are shown as expiring two months ahead.
    configure(channel, points_expiry_months=1, expiry_warning_days=60)
    links.link(customer.pk, reseller.pk, timezone.now(), staff_requestor)
    order = shop.place_order("30.00", customer=customer, email=customer.email)
    shop.mark_paid(order)
    adjust_points(
        customer.pk, 5, "Welcome gift", now=timezone.now(), staff_id=staff_user.pk
    )

    ann = customer_global_id(customer.pk)
    rows = record_what_staff_know(staff_api, ann)
    delivery = Delivery.objects.get(customer=customer)
    return {
        "User": ann,
        "Order": to_global_id("Order", order.pk),
        "KinshipReseller": to_global_id("KinshipReseller", reseller.pk),
        **rows,
        "KinshipEmailDelivery": to_global_id("KinshipEmailDelivery", delivery.pk),
    }
