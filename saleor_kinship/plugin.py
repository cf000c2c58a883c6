"""Kinship inside Saleor: the plugin's hooks and the host adapter.

This is the only module that imports `saleor`. Each hook turns a Saleor
object into plain values, queues a Celery task once the transaction commits
and returns at once: hooks run in the shopper's request, so they never raise
and never do the work themselves.
"""

import logging
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import jwt
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import DecimalField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse, HttpResponseNotFound

from saleor.account.models import User
from saleor.channel.models import Channel
from saleor.core.auth_backend import load_user_from_request
from saleor.core.db.connection import allow_writer
from saleor.graphql.app.dataloaders import get_app_promise
from saleor.graphql.context import get_context_value
from saleor.order.models import Order
from saleor.payment import TransactionKind
from saleor.payment.models import Transaction, TransactionItem
from saleor.plugins.base_plugin import BasePlugin, ConfigurationTypeField
from saleor.plugins.error_codes import PluginErrorCode
from saleor.plugins.models import PluginConfiguration

from .config import FIELDS, ConfigurationError, validate_configuration
from .core.events import enqueue_customer_event, enqueue_order_event
from .core.host import AuthenticationError, Host
from .core.requestor import ANONYMOUS, Requestor
from .core.snapshots import OrderEventKind, OrderLineSnapshot, OrderSnapshot
from .graphql.views import graphql_view

logger = logging.getLogger(__name__)

PLUGIN_ID = "saleor.kinship"

FIELD_KINDS = {
    "string": ConfigurationTypeField.STRING,
    "multiline": ConfigurationTypeField.MULTILINE,
    "boolean": ConfigurationTypeField.BOOLEAN,
    "secret": ConfigurationTypeField.SECRET,
    "password": ConfigurationTypeField.PASSWORD,
}

ZERO = Value(Decimal(0), output_field=DecimalField(max_digits=20, decimal_places=3))


def _refunds_by_payments(order_ref: Any) -> Subquery:
    """Sum of successful refunds of the order's payments (the payment flow)."""
    refunds = (
        Transaction.objects.filter(
            payment__order_id=order_ref, kind=TransactionKind.REFUND, is_success=True
        )
        .values("payment__order_id")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return Subquery(refunds, output_field=ZERO.output_field)


def _refunds_by_transactions(order_ref: Any) -> Subquery:
    """Sum of the order's transactions' refunded amounts (the transaction flow)."""
    refunds = (
        TransactionItem.objects.filter(order_id=order_ref)
        .values("order_id")
        .annotate(total=Sum("refunded_value"))
        .values("total")
    )
    return Subquery(refunds, output_field=ZERO.output_field)


def with_refunds(orders: Any) -> Any:
    """Annotate orders with what was refunded through either payment flow."""
    return orders.annotate(
        kinship_payment_refunds=Coalesce(_refunds_by_payments(OuterRef("pk")), ZERO),
        kinship_transaction_refunds=Coalesce(
            _refunds_by_transactions(OuterRef("pk")), ZERO
        ),
    )


def order_snapshot(order: Order, with_lines: bool = True) -> OrderSnapshot:
    """Describe a Saleor order in plain values.

    Saleor keeps no refunded total on the order: it is the sum of refunds
    of its transactions or payments. In the payment flow a refund also lowers
    the charged amount, so what was paid is the charge plus those refunds.
    """
    if hasattr(order, "kinship_payment_refunds"):
        by_payments = order.kinship_payment_refunds
        by_transactions = order.kinship_transaction_refunds
    else:
        annotated = with_refunds(Order.objects.filter(pk=order.pk)).values(
            "kinship_payment_refunds", "kinship_transaction_refunds"
        )
        sums = annotated.first() or {}
        by_payments = sums.get("kinship_payment_refunds") or Decimal(0)
        by_transactions = sums.get("kinship_transaction_refunds") or Decimal(0)
    return OrderSnapshot(
        id=str(order.pk),
        number=str(order.number),
        customer_id=order.user_id,
        email=order.user_email or "",
        channel=order.channel.slug,
        currency=order.currency,
        total=order.total_gross_amount,
        paid=order.total_charged_amount + by_payments,
        refunded=by_payments + by_transactions,
        status=str(order.status),
        created_at=order.created_at,
        lines=tuple(
            OrderLineSnapshot(
                product_name=line.product_name,
                variant_name=line.variant_name,
                sku=line.product_sku or "",
                quantity=line.quantity,
                unit_price=line.unit_price_gross_amount,
            )
            for line in (order.lines.all() if with_lines else ())
        ),
    )


def permission_names(permissions: Any) -> frozenset[str]:
    """Turn Saleor's Permission rows into names such as MANAGE_USERS."""
    return frozenset(permission.codename.upper() for permission in permissions)


def queue_customer_event(kind: str, customer: User) -> None:
    """Queue one event per customer and kind, whichever path reports it first."""
    marker = f"_kinship_{kind}_queued"
    if getattr(customer, marker, False):
        return
    try:
        enqueue_customer_event(kind, customer.pk, customer.email)
        setattr(customer, marker, True)
    except Exception:
        logger.exception(
            "Kinship could not queue %s for customer %s", kind, customer.pk
        )


def _customer_saved(sender: Any, instance: User, created: bool, raw: bool, **_: Any):
    if created and not raw:
        queue_customer_event("created", instance)


def _customer_deleted(sender: Any, instance: User, **_: Any) -> None:
    queue_customer_event("deleted", instance)


class SaleorHost(Host):
    """Kinship's view of Saleor: its tokens, plugin configuration and orders."""

    def authenticate(self, request: HttpRequest) -> Requestor:
        context = get_context_value(request)
        try:
            app = get_app_promise(context).get()
            if app is not None:
                return Requestor(
                    app_id=str(app.pk),
                    permissions=permission_names(app.permissions.all()),
                )
            user = load_user_from_request(context)
        except jwt.ExpiredSignatureError:
            raise AuthenticationError(
                "The token has expired; sign in again.", "token_expired"
            )
        except jwt.PyJWTError:
            raise AuthenticationError("The token is not valid.")
        if user is None:
            if request.META.get("HTTP_AUTHORIZATION") or request.META.get(
                "HTTP_AUTHORIZATION_BEARER"
            ):
                raise AuthenticationError("The token is not valid.")
            return ANONYMOUS
        if not user.is_active:
            raise AuthenticationError("The token's user is not active.")
        permissions = (
            permission_names(user.effective_permissions)
            if user.is_staff
            else frozenset()
        )
        return Requestor(user=user, permissions=permissions)

    def connect_customer_events(self) -> None:
        # Saleor runs customer hooks only on global plugins; kinship is
        # configured per channel, so it follows the user rows instead.
        post_save.connect(
            _customer_saved, sender=User, dispatch_uid="kinship-customer-saved"
        )
        post_delete.connect(
            _customer_deleted, sender=User, dispatch_uid="kinship-customer-deleted"
        )

    def writer(self) -> Any:
        return allow_writer()

    def raw_configuration(self, channel_slug: str) -> dict[str, Any] | None:
        row = (
            PluginConfiguration.objects.filter(
                identifier=PLUGIN_ID, channel__slug=channel_slug
            )
            .only("configuration")
            .first()
        )
        if row is None:
            return None
        return {item["name"]: item.get("value") for item in row.configuration}

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
        orders = (
            with_refunds(Order.objects.non_draft())
            .select_related("channel")
            .order_by("number")
        )
        if with_lines:
            orders = orders.prefetch_related("lines")
        if start_after:
            orders = orders.filter(number__gt=int(start_after))
        for order in orders.iterator(chunk_size=batch_size):
            yield order_snapshot(order, with_lines=with_lines)

    def order_snapshot(self, order_id: str) -> OrderSnapshot | None:
        try:
            order = (
                with_refunds(Order.objects.filter(pk=order_id))
                .select_related("channel")
                .prefetch_related("lines")
                .first()
            )
        except (ValueError, ValidationError):
            return None
        return order_snapshot(order) if order else None

    def write_private_metadata(self, customer_id: int, items: dict[str, str]) -> None:
        with transaction.atomic():
            user = User.objects.select_for_update().filter(pk=customer_id).first()
            if user is None:
                return
            user.store_value_in_private_metadata(items)
            user.save(update_fields=["private_metadata", "updated_at"])


class KinshipPlugin(BasePlugin):
    PLUGIN_ID = PLUGIN_ID
    PLUGIN_NAME = "Kinship"
    PLUGIN_DESCRIPTION = (
        "Customer relationships, resellers and loyalty: profiles, relatives and "
        "dates, a timeline, points and tiers, and personal thank-you e-mails."
    )
    CONFIGURATION_PER_CHANNEL = True
    DEFAULT_ACTIVE = False
    DEFAULT_CONFIGURATION = [
        {"name": field.name, "value": field.default} for field in FIELDS
    ]
    CONFIG_STRUCTURE = {
        field.name: {
            "type": FIELD_KINDS[field.kind],
            "label": field.label,
            "help_text": field.help_text,
        }
        for field in FIELDS
    }

    @classmethod
    def validate_plugin_configuration(
        cls, plugin_configuration: PluginConfiguration, **kwargs: Any
    ) -> None:
        raw = {
            item["name"]: item.get("value")
            for item in plugin_configuration.configuration
        }
        try:
            validate_configuration(raw)
        except ConfigurationError as refused:
            raise ValidationError(
                {
                    name: ValidationError(message, code=PluginErrorCode.INVALID.value)
                    for name, message in refused.errors.items()
                }
            )

    def _order_event(self, kind: OrderEventKind, order: Order) -> None:
        try:
            enqueue_order_event(kind, order_snapshot(order))
        except Exception:
            # The order is committed whatever happens here; a raise would turn
            # the shopper's successful mutation into an error.
            logger.exception("Kinship could not queue %s for order %s", kind, order.pk)

    def order_created(
        self, order: Order, webhooks: Any = None, previous_value: Any = None
    ):
        self._order_event(OrderEventKind.CREATED, order)
        return previous_value

    def order_fully_paid(
        self, order: Order, webhooks: Any = None, previous_value: Any = None
    ):
        self._order_event(OrderEventKind.PAID, order)
        return previous_value

    def order_paid(
        self, order: Order, webhooks: Any = None, previous_value: Any = None
    ):
        # A charge through a transaction brings order_paid and, once the whole
        # total is charged, order_fully_paid; the snapshot tells which applies.
        self._order_event(OrderEventKind.PAID, order)
        return previous_value

    def order_refunded(
        self, order: Order, webhooks: Any = None, previous_value: Any = None
    ):
        self._order_event(OrderEventKind.REFUNDED, order)
        return previous_value

    def order_fully_refunded(
        self, order: Order, webhooks: Any = None, previous_value: Any = None
    ):
        self._order_event(OrderEventKind.REFUNDED, order)
        return previous_value

    def order_cancelled(
        self, order: Order, webhooks: Any = None, previous_value: Any = None
    ):
        self._order_event(OrderEventKind.CANCELLED, order)
        return previous_value

    def customer_created(self, customer: User, previous_value: Any = None):
        queue_customer_event("created", customer)
        return previous_value

    def customer_updated(
        self, customer: User, webhooks: Any = None, previous_value: Any = None
    ):
        queue_customer_event("updated", customer)
        return previous_value

    def customer_deleted(
        self, customer: User, webhooks: Any = None, previous_value: Any = None
    ):
        queue_customer_event("deleted", customer)
        return previous_value

    def webhook(
        self, request: HttpRequest, path: str | None, previous_value: Any
    ) -> Any:
        # Saleor's channel-less route reaches this method even when the plugin
        # is switched off; kinship answers nothing then.
        if not self.active:
            return HttpResponseNotFound()
        if (path or "").strip("/") != "graphql":
            return HttpResponseNotFound()
        response: HttpResponse = graphql_view(request, host=SaleorHost())
        return response
