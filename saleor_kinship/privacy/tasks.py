"""Celery tasks of the mirror."""

from celery import shared_task

from ..core.host import get_host
from .mirror import mirror_changed_customers, mirror_customer


@shared_task(
    bind=True,
    acks_late=True,
    max_retries=5,
    default_retry_delay=30,
    name="saleor_kinship.privacy.mirror_customers",
)
def mirror_customers_task(self, customer_ids: list[int]) -> int:
    """Mirror these customers' changed values; return how many were written."""
    try:
        with get_host().writer():
            return sum(mirror_customer(customer_id) for customer_id in customer_ids)
    except Exception as error:
        # The next change or the nightly pass mirrors her anyway; retrying
        # covers a short outage of the database.
        raise self.retry(exc=error)


@shared_task(name="saleor_kinship.privacy.mirror_changed_customers")
def mirror_changed_customers_task() -> int:
    """Bring every customer's mirror up to date; return how many were written."""
    with get_host().writer():
        return mirror_changed_customers().written
