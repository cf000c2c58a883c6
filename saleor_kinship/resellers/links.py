"""Links between customers and the resellers who brought them."""

import logging
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Max

from ..core.error_codes import KinshipErrorCode
from ..core.requestor import Requestor
from .models import Reseller, ResellerLink, ResellerStatus
from .timeline import record_link_closed, record_link_opened
from .validation import check_not_ahead, refuse, shop_moment

logger = logging.getLogger(__name__)

# Serialises changes of the link graph, so two concurrent links can never
# close a cycle that neither saw on its own.
LINK_GRAPH_LOCK = 7_400_201


def _lock_link_graph() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LINK_GRAPH_LOCK])


def brought_by(customer_id: int, reseller_customer_id: int) -> bool:
    """Return True if the customer is the reseller or stands above her.

    Walks the active links upwards from the reseller (who brought her, who
    brought that one, ...) in one recursive query; UNION stops on a loop.
    """
    # Table names come from the models; every value is a query parameter.
    link_table = ResellerLink._meta.db_table
    reseller_table = Reseller._meta.db_table
    # The lateral lookup (kept apart by its LIMIT) makes each step one probe
    # of the unique index on active links; as a plain join the planner
    # hashes every active link on every step: square in the chain's length.
    sql = f"""
        WITH RECURSIVE upline(customer_id) AS (
            SELECT CAST(%(start)s AS bigint)
          UNION
            SELECT above.customer_id
            FROM upline
            CROSS JOIN LATERAL (
                SELECT reseller.customer_id
                FROM {link_table} link
                JOIN {reseller_table} reseller ON reseller.id = link.reseller_id
                WHERE link.customer_id = upline.customer_id
                  AND link.valid_to IS NULL
                LIMIT 1
            ) above
            WHERE upline.customer_id <> %(customer)s
        )
        SELECT EXISTS (SELECT 1 FROM upline WHERE customer_id = %(customer)s)
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, {"start": reseller_customer_id, "customer": customer_id})
        return bool(cursor.fetchone()[0])


def _active_link(customer_id: int) -> ResellerLink | None:
    return (
        ResellerLink.objects.select_for_update(of=("self",))
        .select_related("reseller__customer")
        .filter(customer_id=customer_id, valid_to__isnull=True)
        .first()
    )


def _close(link: ResellerLink, until: datetime, requestor: Requestor) -> None:
    link.valid_to = until
    link.closed_by = requestor.user
    link.save(update_fields=["valid_to", "closed_by"])
    record_link_closed(link)


def _check_after_history(
    customer_id: int, current: ResellerLink | None, since: datetime
) -> None:
    """Refuse a start that would rewrite the customer's links or overlap one."""
    if current is not None and since < current.valid_from:
        refuse(
            "since",
            "The new link cannot start before her current link, which began "
            f"at {shop_moment(current.valid_from)}; history is not rewritten.",
            KinshipErrorCode.OUT_OF_RANGE,
        )
    previous_end = ResellerLink.objects.filter(
        customer_id=customer_id, valid_to__isnull=False
    ).aggregate(end=Max("valid_to"))["end"]
    if previous_end is not None and since < previous_end:
        refuse(
            "since",
            "The new link would overlap her previous link, valid until "
            f"{shop_moment(previous_end)}; start it then or later.",
            KinshipErrorCode.OUT_OF_RANGE,
        )


@transaction.atomic
def link(
    customer_id: int, reseller_id: int, since: datetime, requestor: Requestor
) -> ResellerLink:
    """Link a customer to an approved reseller from `since`, closing her old link.

    `since` is now or in the past, and the old link ends at that moment.
    """
    _lock_link_graph()
    customer = get_user_model()._default_manager.filter(pk=customer_id).first()
    if customer is None:
        refuse("customerId", "There is no such customer.", KinshipErrorCode.NOT_FOUND)
    # Locked, so a suspension cannot slip in between the check and the link.
    reseller = (
        Reseller.objects.select_for_update(of=("self",))
        .select_related("customer")
        .filter(pk=reseller_id)
        .first()
    )
    if reseller is None:
        refuse("resellerId", "There is no such reseller.", KinshipErrorCode.NOT_FOUND)
    if reseller.status != ResellerStatus.APPROVED:
        refuse(
            "resellerId",
            "Customers can be linked only to an approved reseller.",
            KinshipErrorCode.INVALID_STATE,
        )

    since = check_not_ahead(
        "since", since, "A link starts now or at a past moment, not later."
    )
    joined = getattr(customer, "date_joined", None)
    if joined is not None and since < joined:
        refuse(
            "since",
            "The link cannot start before the customer's account existed.",
            KinshipErrorCode.OUT_OF_RANGE,
        )
    if reseller.customer_id == customer_id:
        refuse("resellerId", "A reseller cannot bring herself.", KinshipErrorCode.CYCLE)
    if brought_by(customer_id, reseller.customer_id):
        refuse(
            "resellerId",
            "This reseller was brought by the customer, directly or through "
            "others; the link would make a circle.",
            KinshipErrorCode.CYCLE,
        )

    current = _active_link(customer_id)
    if current is not None and current.reseller_id == reseller.pk:
        refuse(
            "resellerId",
            "The customer is already linked to this reseller.",
            KinshipErrorCode.INVALID_STATE,
        )
    _check_after_history(customer_id, current, since)

    if current is not None:
        _close(current, since, requestor)
    created = ResellerLink.objects.create(
        customer=customer,
        reseller=reseller,
        valid_from=since,
        created_by=requestor.user,
    )
    record_link_opened(created)
    logger.info(
        "Customer %s linked to reseller %s (link %s)",
        customer_id,
        reseller.pk,
        created.pk,
    )
    return created


@transaction.atomic
def unlink(customer_id: int, until: datetime, requestor: Requestor) -> ResellerLink:
    """End the customer's active link at `until`, now or in the past."""
    _lock_link_graph()
    current = _active_link(customer_id)
    if current is None:
        refuse(
            "customerId",
            "The customer is not linked to a reseller.",
            KinshipErrorCode.NOT_FOUND,
        )
    until = check_not_ahead(
        "until", until, "An unlink ends the link now or at a past moment, not later."
    )
    if until < current.valid_from:
        refuse(
            "until",
            "The link cannot end before it started.",
            KinshipErrorCode.OUT_OF_RANGE,
        )
    _close(current, until, requestor)
    logger.info("Customer %s unlinked (link %s)", customer_id, current.pk)
    return current
