"""Customer actions of the reference host, emitting what Saleor's hooks emit."""

from typing import Any

from django.db import transaction

from saleor_kinship.core.events import enqueue_customer_event

from .models import User


@transaction.atomic
def create_customer(email: str, **fields: Any) -> User:
    """Create a customer account and emit "created", like customerCreate."""
    customer = User.objects.create_user(email, **fields)
    enqueue_customer_event("created", customer.pk, customer.email)
    return customer


@transaction.atomic
def delete_customer(customer: User) -> None:
    """Delete a customer account and emit "deleted", like customerDelete."""
    customer_id, email = customer.pk, customer.email
    customer.delete()
    enqueue_customer_event("deleted", customer_id, email)
