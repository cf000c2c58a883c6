"""A customer's reseller standing: applying, and staff deciding on it."""

import logging
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from ..core.error_codes import KinshipErrorCode
from ..core.host import get_host
from ..core.requestor import Requestor
from ..privacy.mirror import request_mirror
from .models import Reseller, ResellerStatus, ResellerStatusChange
from .timeline import record_status_change
from .validation import check_rate, check_text, refuse

logger = logging.getLogger(__name__)

# The statuses each status may be reached from.
ALLOWED_FROM = {
    ResellerStatus.APPROVED: {
        ResellerStatus.APPLIED,
        ResellerStatus.REJECTED,
        ResellerStatus.SUSPENDED,
    },
    ResellerStatus.REJECTED: {ResellerStatus.APPLIED},
    ResellerStatus.SUSPENDED: {ResellerStatus.APPROVED},
}

REFUSALS = {
    ResellerStatus.APPROVED: "This reseller is already approved.",
    ResellerStatus.REJECTED: "Only an application that awaits a decision "
    "can be rejected; suspend an approved reseller instead.",
    ResellerStatus.SUSPENDED: "Only an approved reseller can be suspended.",
}


def _record(
    reseller: Reseller, previous: str, reason: str, requestor: Requestor
) -> ResellerStatusChange:
    change = ResellerStatusChange.objects.create(
        reseller=reseller,
        previous_status=previous,
        status=reseller.status,
        reason=reason,
        changed_by=requestor.user,
        changed_by_app=requestor.app_id or "",
        changed_at=reseller.updated_at,
    )
    record_status_change(change, reseller)
    request_mirror(reseller.customer_id)
    logger.info("Reseller %s: %s -> %s", reseller.pk, previous or "-", reseller.status)
    return change


@transaction.atomic
def apply(customer: Any, message: str, requestor: Requestor) -> Reseller:
    """Record the customer's application; refuse a second one."""
    message = check_text("message", message)
    if Reseller.objects.filter(customer=customer).exists():
        refuse(None, "You have already applied.", KinshipErrorCode.UNIQUE)
    now = timezone.now()
    try:
        with transaction.atomic():
            reseller = Reseller.objects.create(
                customer=customer,
                status=ResellerStatus.APPLIED,
                message=message,
                applied_at=now,
            )
    except IntegrityError:
        # A concurrent application of the same customer won the race.
        refuse(None, "You have already applied.", KinshipErrorCode.UNIQUE)
    _record(reseller, "", message, requestor)
    return reseller


def locked_reseller(reseller_id: int, field: str = "id") -> Reseller:
    reseller = (
        Reseller.objects.select_for_update(of=("self",))
        .select_related("customer")
        .filter(pk=reseller_id)
        .first()
    )
    if reseller is None:
        refuse(field, "There is no such reseller.", KinshipErrorCode.NOT_FOUND)
    return reseller


@transaction.atomic
def change_status(
    reseller_id: int, status: ResellerStatus, reason: str, requestor: Requestor
) -> Reseller:
    """Move a reseller to `status` if the move is allowed, recording why."""
    reason = check_text("reason", reason, required=status != ResellerStatus.APPROVED)
    reseller = locked_reseller(reseller_id)
    if reseller.status not in ALLOWED_FROM[status]:
        refuse("id", REFUSALS[status], KinshipErrorCode.INVALID_STATE)

    previous = reseller.status
    reseller.status = status
    if status == ResellerStatus.APPROVED:
        if reseller.commission_rate is None:
            settings = get_host().programme_settings()
            reseller.commission_rate = settings.default_commission_rate
        reseller.approved_at = reseller.approved_at or timezone.now()
    reseller.save()

    _record(reseller, previous, reason, requestor)
    return reseller


@transaction.atomic
def update_rate(reseller_id: int, rate: Decimal | None) -> Reseller:
    """Set a reseller's commission rate; orders already accrued keep theirs."""
    checked = check_rate("commissionRate", rate)
    reseller = locked_reseller(reseller_id)
    reseller.commission_rate = checked
    reseller.save(update_fields=["commission_rate", "updated_at"])
    return reseller
