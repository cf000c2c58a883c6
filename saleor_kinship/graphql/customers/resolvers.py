from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

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


def customer_by_global_id(global_id: str) -> Any:
    pk = decode_id(global_id, CUSTOMER_TYPE)
    return get_user_model()._default_manager.filter(pk=pk).first()
