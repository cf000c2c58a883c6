"""The commission ledger: accrued once per paid order, reversed as refunds come.

Like the points ledger, each entry is keyed by what it stands for, and the
handler moves the ledger toward the state the order is in, so replays and
late events add nothing.
"""

import logging
from decimal import Decimal

from django.db.models import Q, Sum

from ..core.currencies import quantize
from .models import Attribution, CommissionEntry, CommissionKind

logger = logging.getLogger(__name__)

ZERO = Decimal(0)


def accrue_key(order_id: str) -> str:
    return f"commission:accrue:{order_id}"


def reverse_key(order_id: str, target: Decimal) -> str:
    return f"commission:reverse:{order_id}:{target}"


def _booked(attribution: Attribution) -> tuple[Decimal, Decimal]:
    totals = CommissionEntry.objects.filter(attribution=attribution).aggregate(
        accrued=Sum("amount", filter=Q(kind=CommissionKind.ACCRUE)),
        reversed=Sum("amount", filter=Q(kind=CommissionKind.REVERSE)),
    )
    return totals["accrued"] or ZERO, totals["reversed"] or ZERO


def _write(
    attribution: Attribution, kind: CommissionKind, amount: Decimal, key: str
) -> None:
    assert attribution.reseller_id is not None
    CommissionEntry.objects.create(
        reseller_id=attribution.reseller_id,
        attribution=attribution,
        order_id=attribution.order_id,
        kind=kind,
        amount=amount,
        currency=attribution.currency,
        key=key,
    )
    logger.info(
        "Commission %s for reseller %s on order %s",
        kind,
        attribution.reseller_id,
        attribution.order_id,
    )


def _accrue(attribution: Attribution) -> Decimal:
    """Accrue commission on a fully paid order; return what was accrued."""
    fully_paid = attribution.total > 0 and attribution.paid >= attribution.total
    if attribution.cancelled or not fully_paid:
        return ZERO
    assert attribution.reseller is not None
    rate = attribution.reseller.commission_rate or ZERO
    amount = quantize(attribution.paid * rate / 100, attribution.currency)
    if amount <= 0:
        # Limitation: at 0 % nothing is booked, so a later event of the order
        # after a rate rise accrues at the new rate.
        return ZERO
    _write(attribution, CommissionKind.ACCRUE, amount, accrue_key(attribution.order_id))
    attribution.commission_rate = rate
    attribution.save(update_fields=["commission_rate"])
    return amount


def reversal_target(attribution: Attribution, accrued: Decimal) -> Decimal:
    """Return how much of the accrued commission should be reversed by now."""
    if attribution.cancelled:
        share = accrued
    else:
        share = min(accrued, accrued * attribution.refunded / attribution.paid)
    # Quantized, so the key reads the same however the amount was computed.
    return quantize(share, attribution.currency)


def reconcile(attribution: Attribution) -> None:
    """Bring the ledger of an attributed, locked order in line with its state."""
    accrued, reversed_ = _booked(attribution)
    if accrued == 0:
        accrued = _accrue(attribution)
        if accrued == 0:
            return
    target = reversal_target(attribution, accrued)
    if target > reversed_:
        _write(
            attribution,
            CommissionKind.REVERSE,
            target - reversed_,
            reverse_key(attribution.order_id, target),
        )
