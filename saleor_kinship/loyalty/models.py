"""The points ledger, the accounts it adds up to, and the shop's purchase history.

Every change of points is one `LedgerEntry`. A customer's `LoyaltyAccount`
holds the running totals of her entries; points of guest orders are held
against the e-mail in `GuestPoints` until an account with that e-mail exists.
`LoyaltyOrder` is kinship's copy of each order's amounts, which loyalty
reconciles towards and the scoring reads.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q


class LedgerEntryKind(models.TextChoices):
    EARN = "earn"
    REVERSE = "reverse"
    ADJUST = "adjust"
    EXPIRE = "expire"
    BONUS = "bonus"


# Qualifying points (lifetime points, the tier basis) are what orders and
# bonuses earned, net of what refunds and cancellations took back; staff
# adjustments and expiry change the balance only.
QUALIFYING_KINDS = (
    LedgerEntryKind.EARN,
    LedgerEntryKind.BONUS,
    LedgerEntryKind.REVERSE,
)

# The balance is a 32-bit integer, like GraphQL's Int.
MAX_POINTS = 2**31 - 1
MIN_POINTS = -(2**31)


class LoyaltyAccount(models.Model):
    """A customer's points: the totals of her ledger, her tier and her scores."""

    customer = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="kinship_loyalty",
    )
    balance = models.IntegerField(default=0)
    lifetime_points = models.IntegerField(default=0)
    tier = models.CharField(max_length=40, blank=True, default="")
    tier_reached_at = models.DateTimeField(null=True, blank=True)
    # Orders paid in full, neither cancelled nor refunded in full.
    orders_count = models.PositiveIntegerField(default=0)
    last_order_at = models.DateTimeField(null=True, blank=True)

    # Written by the scoring (RFM quintiles, BG/NBD and Gamma-Gamma).
    rfm_recency = models.PositiveSmallIntegerField(null=True, blank=True)
    rfm_frequency = models.PositiveSmallIntegerField(null=True, blank=True)
    rfm_monetary = models.PositiveSmallIntegerField(null=True, blank=True)
    rfm_segment = models.CharField(max_length=32, blank=True, default="")
    p_alive = models.FloatField(null=True, blank=True)
    expected_purchases_90d = models.FloatField(null=True, blank=True)
    predicted_value_12m = models.DecimalField(
        max_digits=12, decimal_places=2, null=True, blank=True
    )
    predicted_value_currency = models.CharField(max_length=3, blank=True, default="")
    scored_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("pk",)

    def __str__(self) -> str:
        return f"Loyalty account of customer {self.customer_id}"


class GuestPoints(models.Model):
    """Points of guest orders, held against a lower-cased e-mail address."""

    email = models.CharField(max_length=254, unique=True)
    balance = models.IntegerField(default=0)
    lifetime_points = models.IntegerField(default=0)

    class Meta:
        verbose_name_plural = "guest points"

    def __str__(self) -> str:
        return f"Guest points {self.pk}"


class LedgerEntry(models.Model):
    """One change of points, written once per idempotency key."""

    # Null while the points are held for a guest's e-mail.
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="kinship_ledger_entries",
    )
    email = models.CharField(max_length=254, blank=True, default="")
    kind = models.CharField(max_length=16, choices=LedgerEntryKind.choices)
    points = models.IntegerField()
    # Points a reversal should have taken back but could not, because the
    # balance may not go below zero.
    shortfall = models.PositiveIntegerField(default=0)
    amount = models.DecimalField(max_digits=20, decimal_places=3, null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True, default="")
    channel = models.CharField(max_length=255, blank=True, default="")
    order_id = models.CharField(max_length=64, blank=True, default="")
    occurred_at = models.DateTimeField()
    reason = models.CharField(max_length=500, blank=True, default="")
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    app_id = models.CharField(max_length=64, blank=True, default="")
    key = models.CharField(max_length=200, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-occurred_at", "-pk")
        verbose_name_plural = "ledger entries"
        indexes = [
            models.Index(
                fields=["customer", "-occurred_at", "-id"],
                name="kinship_ledger_customer_idx",
            ),
            # Only held points are looked up by order or e-mail (to hand them
            # to an account); partial indexes keep inserts of the rest cheap.
            models.Index(
                fields=["order_id"],
                condition=Q(customer__isnull=True),
                name="kinship_ledger_held_order_idx",
            ),
            models.Index(
                fields=["email"],
                condition=Q(customer__isnull=True),
                name="kinship_ledger_held_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(customer__isnull=False) | ~Q(email=""),
                name="kinship_ledger_has_holder",
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind__in=["earn", "bonus"], points__gt=0)
                    | Q(kind="reverse", points__lte=0)
                    | Q(kind="expire", points__lt=0)
                    | (Q(kind="adjust") & ~Q(points=0))
                ),
                name="kinship_ledger_points_sign",
            ),
        ]

    def __str__(self) -> str:
        return f"Ledger entry {self.pk} ({self.kind} {self.points})"


class LoyaltyOrder(models.Model):
    """What kinship knows of one order; amounts only ever move forward."""

    order_id = models.CharField(max_length=64, unique=True)
    number = models.CharField(max_length=32, blank=True, default="")
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="kinship_loyalty_orders",
    )
    # Lower-cased, for guest orders only.
    email = models.CharField(max_length=254, blank=True, default="")
    channel = models.CharField(max_length=255)
    currency = models.CharField(max_length=3)
    placed_at = models.DateTimeField()
    total = models.DecimalField(max_digits=20, decimal_places=3)
    paid_amount = models.DecimalField(max_digits=20, decimal_places=3, default=0)
    refunded_amount = models.DecimalField(max_digits=20, decimal_places=3, default=0)
    cancelled = models.BooleanField(default=False)
    points_earned = models.IntegerField(default=0)
    # Points whose reversal is settled: taken back plus any shortfall.
    points_reversed = models.IntegerField(default=0)
    # When the order's earning was decided, even when it earned nothing.
    earned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-placed_at", "-pk")
        indexes = [
            models.Index(
                fields=["customer", "placed_at"], name="kinship_lorder_customer_idx"
            ),
            models.Index(
                fields=["email"],
                condition=Q(customer__isnull=True),
                name="kinship_lorder_guest_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"Loyalty order {self.order_id}"


class TierChange(models.Model):
    """A customer's tier changed: when, from what, to what and why."""

    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="kinship_tier_changes",
    )
    previous = models.CharField(max_length=40, blank=True, default="")
    tier = models.CharField(max_length=40, blank=True, default="")
    at = models.DateTimeField()
    reason = models.CharField(max_length=200)

    class Meta:
        ordering = ("-at", "-pk")

    def __str__(self) -> str:
        return f"Tier change {self.pk} of customer {self.customer_id}"


class LoyaltyJobState(models.Model):
    """Where a long or periodic job got to: the backfill cursor, the last review."""

    name = models.CharField(max_length=64, unique=True)
    value = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Loyalty job state {self.name}"
