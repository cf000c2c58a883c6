"""The seam between kinship and the platform it runs in.

Kinship's domains speak Django and plain values; everything they need from
the host (who sends a request, the merchant's configuration, where customer
data is mirrored) goes through one `Host` object. Saleor's implementation
lives in `saleor_kinship.plugin`; the reference host has its own.
"""

import json
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from contextvars import ContextVar
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.module_loading import import_string

from .requestor import Requestor

if TYPE_CHECKING:
    from ..config import ChannelSettings
    from .snapshots import OrderSnapshot

DEFAULT_HOST = "saleor_kinship.plugin.SaleorHost"


class AuthenticationError(Exception):
    """A request carried credentials that the host refused."""

    def __init__(self, message: str, code: str = "authentication_failed"):
        super().__init__(message)
        self.code = code


class Host:
    """What kinship asks of the platform; each method names its contract."""

    def authenticate(self, request: HttpRequest) -> Requestor:
        """Return the requestor of an HTTP request, or raise AuthenticationError."""
        raise NotImplementedError("Host.authenticate() must be implemented")

    def raw_configuration(self, channel_slug: str) -> dict[str, Any] | None:
        """Return the merchant's configuration of a channel as name -> value."""
        raise NotImplementedError("Host.raw_configuration() must be implemented")

    def default_channel_slug(self) -> str:
        """Return the channel whose configuration holds programme-wide values."""
        raise NotImplementedError("Host.default_channel_slug() must be implemented")

    def channel_exists(self, channel_slug: str) -> bool:
        """Return True if the shop has a channel with this slug."""
        raise NotImplementedError("Host.channel_exists() must be implemented")

    def iter_order_snapshots(
        self,
        start_after: str | None = None,
        batch_size: int = 1000,
        with_lines: bool = True,
    ) -> Iterator["OrderSnapshot"]:
        """Yield snapshots of all orders by number after a cursor (a number).

        Without lines the snapshots carry an empty `lines`, which is much
        cheaper for work that needs only amounts.
        """
        raise NotImplementedError("Host.iter_order_snapshots() must be implemented")

    def order_snapshot(self, order_id: str) -> "OrderSnapshot | None":
        """Return a snapshot of one order as it is now, or None if there is none."""
        raise NotImplementedError("Host.order_snapshot() must be implemented")

    def write_private_metadata(self, customer_id: int, items: dict[str, str]) -> None:
        """Store items in the customer's private metadata, where the host has it."""
        raise NotImplementedError("Host.write_private_metadata() must be implemented")

    def connect_customer_events(self) -> None:
        """Subscribe to customer changes the host does not report otherwise."""

    def writer(self) -> AbstractContextManager:
        """Return a context in which kinship may write to the host's database.

        Saleor guards its primary database inside Celery tasks and requests;
        hosts without such a guard need nothing.
        """
        return nullcontext()

    def channel_settings(self, channel_slug: str) -> "ChannelSettings":
        """Return the parsed configuration of a channel (defaults if none).

        Inside `settings_scope()` a channel is read from the host once.
        """
        scope = _settings_scope.get()
        if scope is not None and channel_slug in scope:
            return scope[channel_slug]
        raw = self.raw_configuration(channel_slug) or {}
        parsed = _parse(json.dumps(raw, sort_keys=True, default=str))
        if scope is not None:
            scope[channel_slug] = parsed
        return parsed

    def programme_settings(self) -> "ChannelSettings":
        """Return the configuration that holds programme-wide values."""
        return self.channel_settings(self.default_channel_slug())


_settings_scope: ContextVar[dict[str, "ChannelSettings"] | None] = ContextVar(
    "kinship_settings_scope", default=None
)


@contextmanager
def settings_scope() -> Iterator[None]:
    """Read each channel's configuration once within the block (one event)."""
    token = _settings_scope.set({})
    try:
        yield
    finally:
        _settings_scope.reset(token)


@lru_cache(maxsize=64)
def _parse(raw_json: str) -> "ChannelSettings":
    # Parsing checks every template; the same stored values parse the same.
    from ..config import parse_configuration

    return parse_configuration(json.loads(raw_json))


@cache
def get_host() -> Host:
    """Return the host named by the KINSHIP_HOST setting (Saleor by default)."""
    path = getattr(settings, "KINSHIP_HOST", DEFAULT_HOST)
    return import_string(path)()
