"""Plain values describing an order, as the host saw it when an event fired.

Kinship never holds a foreign key to the host's orders: each event carries a
snapshot, so the same core serves Saleor's plugin hooks, an App's webhooks
and the reference host.
"""

from dataclasses import asdict, dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any


class OrderEventKind(StrEnum):
    CREATED = "created"
    PAID = "paid"
    REFUNDED = "refunded"
    CANCELLED = "cancelled"


class OrderStatus(StrEnum):
    UNCONFIRMED = "unconfirmed"
    UNFULFILLED = "unfulfilled"
    PARTIALLY_FULFILLED = "partially_fulfilled"
    FULFILLED = "fulfilled"
    PARTIALLY_RETURNED = "partially_returned"
    RETURNED = "returned"
    CANCELED = "canceled"
    DRAFT = "draft"
    EXPIRED = "expired"


@dataclass(frozen=True)
class OrderLineSnapshot:
    product_name: str
    variant_name: str
    sku: str
    quantity: int
    unit_price: Decimal


@dataclass(frozen=True)
class OrderSnapshot:
    id: str
    number: str
    customer_id: int | None
    email: str
    channel: str
    currency: str
    total: Decimal
    paid: Decimal
    refunded: Decimal
    status: str
    created_at: datetime
    lines: tuple[OrderLineSnapshot, ...] = field(default_factory=tuple)

    @property
    def is_guest(self) -> bool:
        return self.customer_id is None

    @property
    def is_cancelled(self) -> bool:
        return self.status == OrderStatus.CANCELED

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict (amounts as strings, dates as ISO 8601)."""
        values = asdict(self)
        for name in ("total", "paid", "refunded"):
            values[name] = str(values[name])
        values["created_at"] = self.created_at.isoformat()
        values["lines"] = [
            {**line, "unit_price": str(line["unit_price"])} for line in values["lines"]
        ]
        return values

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> "OrderSnapshot":
        lines = tuple(
            OrderLineSnapshot(
                product_name=line["product_name"],
                variant_name=line.get("variant_name", ""),
                sku=line.get("sku", ""),
                quantity=int(line["quantity"]),
                unit_price=Decimal(line["unit_price"]),
            )
            for line in values.get("lines", ())
        )
        return cls(
            id=str(values["id"]),
            number=str(values["number"]),
            customer_id=values.get("customer_id"),
            email=values.get("email") or "",
            channel=values["channel"],
            currency=values["currency"],
            total=Decimal(values["total"]),
            paid=Decimal(values["paid"]),
            refunded=Decimal(values["refunded"]),
            status=values["status"],
            created_at=datetime.fromisoformat(values["created_at"]),
            lines=lines,
        )
