"""What other domains may ask of resellers."""

from datetime import datetime

from .attribution import entitled_link
from .models import Reseller


def active_reseller_of(customer_id: int, at: datetime) -> Reseller | None:
    """Return the approved reseller who brought the customer at `at`, or None.

    The reseller's customer (her first name, for a thank-you e-mail) comes
    with the same query.
    """
    link = entitled_link(customer_id, at)
    return link.reseller if link else None
