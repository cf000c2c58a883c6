"""The values one e-mail is rendered with, all about its own customer.

Order data comes from the snapshot kept on the delivery; points, tiers and
the reseller from the other domains' APIs, asked at send time. A value that
cannot be had is left out: the templates guard optional values, and a
thank-you without its points sentence is better than none.
"""

import importlib.util
import logging
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from ..core.currencies import quantize
from ..core.snapshots import OrderSnapshot
from . import ORDER_TRIGGERS, Trigger
from .models import Delivery

logger = logging.getLogger(__name__)


def domain_api(module: str, name: str) -> Callable[..., Any] | None:
    """Return a function of another domain's API, or None where it is missing."""
    if importlib.util.find_spec(module) is None:
        return None
    return getattr(importlib.import_module(module), name, None)


def _ask(delivery_id: int | None, what: str, call: Callable[[], Any]) -> Any:
    try:
        return call()
    except Exception:
        logger.exception(
            "Kinship left the %s out of e-mail delivery %s", what, delivery_id
        )
        return None


def money(amount: Decimal, currency: str) -> str:
    return f"{quantize(amount, currency)} {currency}"


def long_date(day: date) -> str:
    # Shortcoming: English only; dates read "30 June 2025" in every shop.
    return f"{day.day} {day:%B %Y}"


def order_values(order: OrderSnapshot) -> dict[str, Any]:
    return {
        "number": order.number,
        "total": money(order.total, order.currency),
        "lines": [
            {
                "product_name": line.product_name,
                "variant_name": line.variant_name,
                "quantity": line.quantity,
                "total": money(line.unit_price * line.quantity, order.currency),
            }
            for line in order.lines
        ],
    }


def customer_values(customer: Any) -> dict[str, Any]:
    if customer is None:
        return {}
    return {"first_name": customer.first_name, "last_name": customer.last_name}


def reseller_name(customer_id: int, at: datetime, delivery_id: int | None) -> str:
    active_reseller_of = domain_api(
        "saleor_kinship.resellers.api", "active_reseller_of"
    )
    if active_reseller_of is None:
        return ""
    reseller = _ask(
        delivery_id, "reseller", lambda: active_reseller_of(customer_id, at)
    )
    person = getattr(reseller, "customer", None)
    if person is None:
        return ""
    return f"{person.first_name} {person.last_name}".strip()


def loyalty_values(
    customer_id: int, order_id: str, delivery_id: int | None
) -> dict[str, dict[str, Any]]:
    """Return the points and tier groups: this order's points, balance, progress."""
    api = "saleor_kinship.loyalty.api"
    points: dict[str, Any] = {}
    tier: dict[str, Any] = {}
    points_earned_for_order = domain_api(api, "points_earned_for_order")
    if order_id and points_earned_for_order is not None:
        points["earned"] = _ask(
            delivery_id, "points earned", lambda: points_earned_for_order(order_id)
        )
    account_of = domain_api(api, "account_of")
    account = account_of and _ask(
        delivery_id, "loyalty account", lambda: account_of(customer_id)
    )
    if account is not None:
        points["balance"] = account.balance
        tier["name"] = account.tier or None
        tier_progress = domain_api(api, "tier_progress")
        progress = tier_progress and _ask(
            delivery_id, "tier progress", lambda: tier_progress(account)
        )
        if progress is not None:
            tier["name"] = progress.tier or None
            tier["next_name"] = progress.next_tier
            tier["points_to_next"] = progress.points_to_next
    return {"points": points, "tier": tier}


def build_context(
    delivery: Delivery, trigger: Trigger, customer: Any, shop_name: str
) -> dict[str, Any]:
    """Return the template values of a delivery, as `trigger` declares them."""
    context: dict[str, Any] = {
        "customer": customer_values(customer),
        "shop": {"name": shop_name},
    }
    payload = delivery.payload
    order = OrderSnapshot.from_dict(payload["order"]) if "order" in payload else None
    if trigger in ORDER_TRIGGERS and order is not None:
        context["order"] = order_values(order)
    if customer is None:
        return context

    at = order.created_at if order is not None else timezone.now()
    context["reseller"] = {"name": reseller_name(customer.pk, at, delivery.pk)}
    loyalty = loyalty_values(
        customer.pk, order.id if order is not None else "", delivery.pk
    )
    context["points"], context["tier"] = loyalty["points"], loyalty["tier"]
    if trigger == Trigger.TIER_REACHED:
        context["tier"] = {
            "name": payload.get("tier"),
            "previous_name": payload.get("previous") or None,
        }
    elif trigger == Trigger.POINTS_EXPIRING:
        context["points"]["expiring"] = payload.get("points")
        if payload.get("expire_on"):
            expire_on = date.fromisoformat(payload["expire_on"])
            context["points"]["expire_on"] = long_date(expire_on)
    return context
