"""Fixtures for the reference-host suite (tests/saleor/ brings its own)."""

import json
from collections.abc import Callable
from typing import Any

import pytest

HOST_SETTINGS = "devhost.settings"


def pytest_sessionstart(session: pytest.Session) -> None:
    """Stop at once, in one line, when the reference host's PostgreSQL is away.

    Without it every test fails on its own with a traceback. Other settings
    (Saleor's, for tests/saleor) bring their own database and are left alone.
    """
    from django.conf import settings

    if not settings.configured or settings.SETTINGS_MODULE != HOST_SETTINGS:
        return
    from devhost.checkdb import DatabaseUrlError, connect_server

    try:
        connect_server(settings.DATABASES["default"]).close()
    except DatabaseUrlError as error:
        # pytest prints a usage error as one line; pytest.exit takes two.
        raise pytest.UsageError(str(error)) from None


class GraphQLClient:
    """Posts GraphQL to the kinship endpoint as one requestor, like a browser."""

    def __init__(self, token: str | None = None):
        from django.test import Client

        self.http = Client()
        self.token = token

    def post(self, query: str, variables: dict[str, Any] | None = None) -> Any:
        headers = {"HTTP_AUTHORIZATION": f"Bearer {self.token}"} if self.token else {}
        return self.http.post(
            "/graphql/",
            json.dumps({"query": query, "variables": variables or {}}),
            content_type="application/json",
            **headers,
        )

    def query(self, query: str, variables: dict[str, Any] | None = None) -> Any:
        """Return the decoded response; fail the test on an HTTP error status."""
        response = self.post(query, variables)
        assert response.status_code == 200, response.content
        return response.json()

    def data(self, query: str, variables: dict[str, Any] | None = None) -> Any:
        """Return `data`, failing the test if the response has errors."""
        body = self.query(query, variables)
        assert "errors" not in body, body["errors"]
        return body["data"]


def _grant(user: Any, *codenames: str) -> Any:
    from django.contrib.auth.models import Permission

    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


@pytest.fixture
def channel(db):
    from devhost.shop.models import Channel, PluginConfiguration

    usd = Channel.objects.create(slug="default-channel", name="Shop", currency="USD")
    PluginConfiguration.objects.create(channel=usd, configuration={})
    return usd


@pytest.fixture
def channel_pln(db):
    from devhost.shop.models import Channel, PluginConfiguration

    pln = Channel.objects.create(slug="channel-pln", name="Sklep", currency="PLN")
    PluginConfiguration.objects.create(
        channel=pln, configuration={"points_per_unit": "0.25"}
    )
    return pln


@pytest.fixture
def configure(db) -> Callable[..., None]:
    """Set configuration values of a channel, as a merchant saves them."""
    from devhost.shop.models import PluginConfiguration

    def configure(channel: Any, **values: Any) -> None:
        row = PluginConfiguration.objects.get(channel=channel)
        row.configuration = {**row.configuration, **values}
        row.save()

    return configure


@pytest.fixture
def run_events(django_capture_on_commit_callbacks) -> Callable[..., Any]:
    """Call a host action and run the events it queued, as the worker would.

    Tests run inside a transaction that never commits, so the on-commit
    callbacks that queue kinship's tasks are captured and run here.
    """

    def run(action: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return run


class Shop:
    """The reference host's shop actions, each followed by its events."""

    def __init__(self, run: Callable[..., Any], channel: Any):
        from devhost.account import customers
        from devhost.shop import orders

        self.run = run
        self.channel = channel
        self.orders = orders
        self.customers = customers

    def create_customer(self, email: str, **fields: Any) -> Any:
        return self.run(self.customers.create_customer, email, **fields)

    def delete_customer(self, customer: Any) -> None:
        self.run(self.customers.delete_customer, customer)

    def place_order(self, *prices: str, channel: Any = None, **kwargs: Any) -> Any:
        """Place an order with one line per price (quantity 1)."""
        from decimal import Decimal

        lines = [
            self.orders.LineInput(f"Product {index}", 1, Decimal(price))
            for index, price in enumerate(prices, start=1)
        ]
        return self.run(
            self.orders.place_order, channel or self.channel, lines, **kwargs
        )

    def mark_paid(self, order: Any) -> Any:
        return self.run(self.orders.mark_paid, order)

    def refund(self, order: Any, amount: str) -> Any:
        from decimal import Decimal

        return self.run(self.orders.refund, order, Decimal(amount))

    def cancel(self, order: Any) -> Any:
        return self.run(self.orders.cancel, order)


@pytest.fixture
def shop(channel, run_events) -> Shop:
    return Shop(run_events, channel)


@pytest.fixture
def customer(shop):
    return shop.create_customer("ann@example.com", first_name="Ann", last_name="Lee")


@pytest.fixture
def other_customer(shop):
    return shop.create_customer("bob@example.com", first_name="Bob", last_name="Ray")


@pytest.fixture
def staff_user(db):
    from devhost.account.models import User

    staff = User.objects.create_user("staff@example.com", is_staff=True)
    return _grant(staff, "manage_users")


@pytest.fixture
def staff_without_permission(db):
    from devhost.account.models import User

    return User.objects.create_user("clerk@example.com", is_staff=True)


@pytest.fixture
def app_with_permission(db):
    from devhost.account.models import App

    return App.objects.create(name="CRM sync", permissions=["MANAGE_USERS"])


@pytest.fixture
def app_without_permission(db):
    from devhost.account.models import App

    return App.objects.create(name="Analytics", permissions=[])


def _user_client(user: Any) -> GraphQLClient:
    from devhost.account.tokens import issue_user_token

    return GraphQLClient(issue_user_token(user.pk))


@pytest.fixture
def anonymous_api(db) -> GraphQLClient:
    return GraphQLClient()


@pytest.fixture
def customer_api(customer) -> GraphQLClient:
    return _user_client(customer)


@pytest.fixture
def other_customer_api(other_customer) -> GraphQLClient:
    return _user_client(other_customer)


@pytest.fixture
def staff_api(staff_user) -> GraphQLClient:
    return _user_client(staff_user)


@pytest.fixture
def staff_api_without_permission(staff_without_permission) -> GraphQLClient:
    return _user_client(staff_without_permission)


@pytest.fixture
def app_api(app_with_permission) -> GraphQLClient:
    from devhost.account.tokens import issue_app_token

    return GraphQLClient(issue_app_token(app_with_permission.pk))


@pytest.fixture
def app_api_without_permission(app_without_permission) -> GraphQLClient:
    from devhost.account.tokens import issue_app_token

    return GraphQLClient(issue_app_token(app_without_permission.pk))


@pytest.fixture
def count_queries(db) -> Callable[[], Any]:
    """Return a context manager that records the SQL queries run inside it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def counter() -> CaptureQueriesContext:
        return CaptureQueriesContext(connection)

    return counter
