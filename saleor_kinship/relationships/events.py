import logging

from django.contrib.auth import get_user_model

from ..core.snapshots import OrderEventKind, OrderSnapshot
from .models import CustomerProfile

logger = logging.getLogger(__name__)


def handle_order_event(kind: OrderEventKind, order: OrderSnapshot) -> None:
    """Orders change nothing in relationships; the timeline records them."""


def handle_customer_event(kind: str, customer_id: int, email: str) -> None:
    """Give a new customer her profile (idempotent); deletion cascades."""
    if kind != "created":
        return
    if not get_user_model()._default_manager.filter(pk=customer_id).exists():
        logger.info("Skipped the profile of customer %s: no such customer", customer_id)
        return
    CustomerProfile.objects.get_or_create(customer_id=customer_id)
