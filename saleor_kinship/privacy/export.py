"""Everything kinship holds about one customer, as one JSON document.

Built from the registry that erasure uses, so what is exported is what is
erased. Staff hand it to a customer who asks for her data.
"""

import json
import logging
from typing import Any

from django.contrib.auth import get_user_model
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models.functions import Lower
from django.utils import timezone

from .registry import SECTIONS, Subject

logger = logging.getLogger(__name__)

# Bump when a section changes shape, so readers of old exports can tell.
FORMAT_VERSION = 1


def find_customer(reference: str) -> Any:
    """Return the customer with this id or e-mail address, or None."""
    customers = get_user_model()._default_manager
    reference = reference.strip()
    if reference.isdigit():
        return customers.filter(pk=int(reference)).first()
    if "@" in reference:
        return (
            customers.annotate(lowered_email=Lower("email"))
            .filter(lowered_email=reference.lower())
            .order_by("pk")
            .first()
        )
    return None


def export_customer(customer: Any) -> dict[str, Any]:
    """Return her data: who she is, then one list of rows per section."""
    subject = Subject(customer.pk, getattr(customer, "email", "") or "")
    document: dict[str, Any] = {
        "format": FORMAT_VERSION,
        "exported_at": timezone.now(),
        "customer": {
            "id": customer.pk,
            "email": getattr(customer, "email", ""),
            "first_name": getattr(customer, "first_name", ""),
            "last_name": getattr(customer, "last_name", ""),
        },
    }
    for section in SECTIONS:
        rows = section.queryset(subject).order_by("pk").values()
        document.setdefault(section.name, []).extend(rows)
    logger.info("Kinship exported the data of customer %s", customer.pk)
    # Dates, amounts and ids as JSON strings, the way DjangoJSONEncoder writes them.
    return json.loads(json.dumps(document, cls=DjangoJSONEncoder))
