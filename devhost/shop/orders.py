"""Shop actions of the reference host, each emitting what Saleor's hooks emit.

Placing an order emits "created"; a full payment "paid"; a refund
"refunded"; a cancellation "cancelled". Events leave through the same core
entry point the Saleor plugin calls, after the transaction commits.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Max

from saleor_kinship.core.events import enqueue_order_event
from saleor_kinship.core.snapshots import (
    OrderEventKind,
    OrderLineSnapshot,
    OrderSnapshot,
)

from .models import Channel, Order, OrderLine, OrderStatus

ORDER_NUMBER_LOCK = 7_400_001


@dataclass(frozen=True)
class LineInput:
    product_name: str
    quantity: int
    unit_price: Decimal
    variant_name: str = ""
    sku: str = ""


def snapshot(order: Order, with_lines: bool = True) -> OrderSnapshot:
    """Describe an order in plain values, as the Saleor adapter does."""
    return OrderSnapshot(
        id=str(order.id),
        number=str(order.number),
        customer_id=order.user_id,
        email=order.user_email,
        channel=order.channel.slug,
        currency=order.currency,
        total=order.total,
        paid=order.charged,
        refunded=order.refunded,
        status=str(order.status),
        created_at=order.created_at,
        lines=tuple(
            OrderLineSnapshot(
                product_name=line.product_name,
                variant_name=line.variant_name,
                sku=line.sku,
                quantity=line.quantity,
                unit_price=line.unit_price,
            )
            for line in (order.lines.all() if with_lines else ())
        ),
    )


def _emit(kind: OrderEventKind, order: Order) -> None:
    enqueue_order_event(kind, snapshot(order))


@transaction.atomic
def place_order(
    channel: Channel,
    lines: Iterable[LineInput],
    *,
    customer=None,
    email: str = "",
    created_at: datetime | None = None,
) -> Order:
    """Create an order of a customer (or a guest's e-mail) and emit "created"."""
    lines = list(lines)
    with connection.cursor() as cursor:
        # Serialise numbering, as Saleor's order number sequence does.
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ORDER_NUMBER_LOCK])
    number = (Order.objects.aggregate(n=Max("number"))["n"] or 0) + 1
    order = Order(
        number=number,
        user=customer,
        user_email=email or (customer.email if customer else ""),
        channel=channel,
        currency=channel.currency,
        total=sum((line.unit_price * line.quantity for line in lines), Decimal(0)),
    )
    if created_at is not None:
        order.created_at = created_at
    order.save()
    OrderLine.objects.bulk_create(
        OrderLine(
            order=order,
            product_name=line.product_name,
            variant_name=line.variant_name,
            sku=line.sku,
            quantity=line.quantity,
            unit_price=line.unit_price,
        )
        for line in lines
    )
    _emit(OrderEventKind.CREATED, order)
    return order


@transaction.atomic
def mark_paid(order: Order) -> Order:
    """Charge the order's whole total and emit "paid"."""
    order.charged = order.total
    order.save(update_fields=["charged"])
    _emit(OrderEventKind.PAID, order)
    return order


@transaction.atomic
def refund(order: Order, amount: Decimal) -> Order:
    """Refund part of what was charged and emit "refunded"."""
    if amount <= 0 or order.refunded + amount > order.charged:
        raise ValueError("A refund must be positive and at most what is left.")
    order.refunded += amount
    order.save(update_fields=["refunded"])
    _emit(OrderEventKind.REFUNDED, order)
    return order


@transaction.atomic
def cancel(order: Order) -> Order:
    """Cancel the order and emit "cancelled"."""
    order.status = OrderStatus.CANCELED
    order.save(update_fields=["status"])
    _emit(OrderEventKind.CANCELLED, order)
    return order
