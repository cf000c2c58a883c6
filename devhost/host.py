"""Kinship's adapter for the reference host (Saleor's lives in the plugin)."""

from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest

from saleor_kinship.core.host import AuthenticationError, Host
from saleor_kinship.core.requestor import ANONYMOUS, Requestor
from saleor_kinship.core.snapshots import OrderSnapshot

from .account.models import App, User
from .account.tokens import TokenError, read_token
from .shop.models import Channel, Order, PluginConfiguration
from .shop.orders import snapshot


def user_permissions(user: User) -> frozenset[str]:
    """Return Saleor-style permission names (MANAGE_USERS) of an active staff user."""
    if not (user.is_active and user.is_staff):
        return frozenset()
    names = user.get_all_permissions()
    return frozenset(name.split(".", 1)[1].upper() for name in names)


class DevHost(Host):
    def authenticate(self, request: HttpRequest) -> Requestor:
        header = request.headers.get("Authorization", "")
        if not header:
            return ANONYMOUS
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise AuthenticationError(
                "Send the token as 'Authorization: Bearer <token>'."
            )
        try:
            claims = read_token(token.strip())
        except TokenError as error:
            raise AuthenticationError(str(error), error.code)
        if "app" in claims:
            app = App.objects.filter(pk=claims["app"], is_active=True).first()
            if app is None:
                raise AuthenticationError("The token's app is not active.")
            return Requestor(app_id=str(app.pk), permissions=frozenset(app.permissions))
        user = User.objects.filter(pk=claims.get("user", 0), is_active=True).first()
        if user is None:
            raise AuthenticationError("The token's user is not active.")
        return Requestor(user=user, permissions=user_permissions(user))

    def raw_configuration(self, channel_slug: str) -> dict[str, Any] | None:
        row = (
            PluginConfiguration.objects.filter(channel__slug=channel_slug)
            .only("configuration")
            .first()
        )
        return row.configuration if row else None

    def default_channel_slug(self) -> str:
        return settings.DEFAULT_CHANNEL_SLUG

    def channel_exists(self, channel_slug: str) -> bool:
        return Channel.objects.filter(slug=channel_slug).exists()

    def iter_order_snapshots(
        self,
        start_after: str | None = None,
        batch_size: int = 1000,
        with_lines: bool = True,
    ) -> Iterator[OrderSnapshot]:
        orders = Order.objects.select_related("channel").order_by("number")
        if with_lines:
            orders = orders.prefetch_related("lines")
        if start_after:
            orders = orders.filter(number__gt=int(start_after))
        for order in orders.iterator(chunk_size=batch_size):
            yield snapshot(order, with_lines=with_lines)

    def order_snapshot(self, order_id: str) -> OrderSnapshot | None:
        try:
            order = (
                Order.objects.select_related("channel")
                .prefetch_related("lines")
                .filter(pk=order_id)
                .first()
            )
        except (ValueError, ValidationError):
            return None
        return snapshot(order) if order else None

    def write_private_metadata(self, customer_id: int, items: dict[str, str]) -> None:
        with transaction.atomic():
            user = User.objects.select_for_update().filter(pk=customer_id).first()
            if user is None:
                return
            user.private_metadata = {**user.private_metadata, **items}
            user.save(update_fields=["private_metadata", "updated_at"])
