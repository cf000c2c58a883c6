from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q, QuerySet

from ...interactions.models import Interaction
from ..core.ids import CUSTOMER_TYPE, decode_id


def customers(search: str | None = None) -> QuerySet:
    queryset = get_user_model()._default_manager.all()
    if search:
        words = search.split()
        for word in words:
            queryset = queryset.filter(
                Q(email__icontains=word)
                | Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
            )
    return queryset


def customer_list(search: str | None = None) -> QuerySet:
    """Return the accounts the `customers` list shows.

    As in Saleor's customer list, a staff member is there only once she has
    ordered: kinship holds no orders, so it knows that from an order on her
    timeline or a loyalty account. Known shortcoming: an order from before
    kinship was installed, not backfilled, leaves no such trace.
    """
    queryset = customers(search)
    if not any(
        field.name == "is_staff" for field in queryset.model._meta.concrete_fields
    ):
        return queryset
    has_ordered = Interaction.objects.filter(customer=OuterRef("pk")).exclude(
        order_id=""
    )
    return queryset.filter(
        Q(is_staff=False) | Exists(has_ordered) | Q(kinship_loyalty__isnull=False)
    )


def customer_by_global_id(global_id: str) -> Any:
    pk = decode_id(global_id, CUSTOMER_TYPE)
    return get_user_model()._default_manager.filter(pk=pk).first()
