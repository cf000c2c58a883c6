"""What needs the merchant's attention: follow-ups due, dates coming, quiet customers.

Each list is a query over the whole shop (no loop per customer), so the
GraphQL layer can page through it.
"""

from datetime import date
from decimal import Decimal

from django.db.models import DecimalField, Q, QuerySet, Value
from django.db.models.functions import Coalesce

from ..loyalty.models import LoyaltyAccount
from .models import CustomerProfile, FollowUp

# A valued customer has gone quiet when the scoring puts her "at risk" (she
# bought often, but not lately), or when a loyal customer's probability of
# still being active falls below this.
QUIET_P_ALIVE = 0.5
QUIET_SEGMENTS = ("at_risk",)
VALUED_SEGMENTS = ("champions", "loyal")


def follow_ups_due(today: date) -> QuerySet[FollowUp]:
    """Return open follow-ups due today or earlier."""
    return FollowUp.objects.filter(done_at__isnull=True, due_on__lte=today)


def quiet_customers() -> QuerySet:
    """Return loyalty accounts of valued customers gone quiet, with `value`.

    `value` is the predicted 12-month value (0 until scored), to rank them.

    Customers who withdrew their profiling consent are left out: the list is
    built from scores about them.
    """
    declined = CustomerProfile.objects.filter(profiling_consent=False).values(
        "customer_id"
    )
    quiet = Q(rfm_segment__in=QUIET_SEGMENTS) | Q(
        rfm_segment__in=VALUED_SEGMENTS, p_alive__lt=QUIET_P_ALIVE
    )
    # Shortcoming: values in different currencies are ranked as plain numbers,
    # so a customer worth 5,000 JPY is listed above one worth 300 EUR.
    return (
        LoyaltyAccount.objects.filter(quiet, last_order_at__isnull=False)
        .exclude(customer_id__in=declined)
        .annotate(
            value=Coalesce(
                "predicted_value_12m",
                Value(Decimal(0)),
                output_field=DecimalField(max_digits=12, decimal_places=2),
            )
        )
    )
