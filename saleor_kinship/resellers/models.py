"""Resellers: customers who bring other customers and earn commission on them.

A reseller's status changes are kept as rows, so her standing at any moment
can be read back; links say which reseller brought a customer and when; an
attribution records, once per order, which reseller (if any) the order is
credited to; the commission ledger holds what she earned and gave back.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone


class ResellerStatus(models.TextChoices):
    APPLIED = "applied"
    APPROVED = "approved"
    REJECTED = "rejected"
    SUSPENDED = "suspended"


class Reseller(models.Model):
    """A customer's reseller standing: her application, status and rate."""

    customer = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="kinship_reseller",
    )
    status = models.CharField(max_length=16, choices=ResellerStatus.choices)
    # Percent of what her customers pay; set from the programme's default at
    # the first approval unless staff chose a rate before.
    commission_rate = models.DecimalField(
        max_digits=7, decimal_places=4, null=True, blank=True
    )
    message = models.TextField(max_length=2000, blank=True, default="")
    applied_at = models.DateTimeField(default=timezone.now)
    approved_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-applied_at", "-pk")
        indexes = [models.Index(fields=["status", "-applied_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(commission_rate__isnull=True)
                | Q(commission_rate__gte=0, commission_rate__lte=100),
                name="kinship_reseller_rate_percent",
            ),
        ]

    def __str__(self) -> str:
        return f"Reseller {self.pk} ({self.status})"


class ResellerStatusChange(models.Model):
    """One change of a reseller's status: who made it, when and why."""

    reseller = models.ForeignKey(
        Reseller, on_delete=models.CASCADE, related_name="status_changes"
    )
    previous_status = models.CharField(
        max_length=16, choices=ResellerStatus.choices, blank=True, default=""
    )
    status = models.CharField(max_length=16, choices=ResellerStatus.choices)
    reason = models.TextField(max_length=2000, blank=True, default="")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Set when an App (not a person) made the change.
    changed_by_app = models.CharField(max_length=64, blank=True, default="")
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-changed_at", "-pk")
        indexes = [models.Index(fields=["reseller", "-changed_at", "-id"])]

    def __str__(self) -> str:
        return f"Reseller {self.reseller_id}: {self.previous_status}->{self.status}"


class ResellerLink(models.Model):
    """A customer brought by a reseller, from valid_from until valid_to.

    An open link (valid_to null) is the customer's active one; there is at
    most one per customer. Closed links stay as history.
    """

    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="kinship_reseller_links",
    )
    reseller = models.ForeignKey(
        Reseller, on_delete=models.CASCADE, related_name="links"
    )
    valid_from = models.DateTimeField()
    valid_to = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ("-valid_from", "-pk")
        indexes = [
            models.Index(fields=["customer", "-valid_from"]),
            models.Index(
                fields=["reseller"],
                condition=Q(valid_to__isnull=True),
                name="kinship_reseller_active_links",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["customer"],
                condition=Q(valid_to__isnull=True),
                name="kinship_one_active_reseller_link",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="kinship_reseller_link_period",
            ),
        ]

    def __str__(self) -> str:
        return f"Reseller link {self.pk}"

    @property
    def is_active(self) -> bool:
        return self.valid_to is None


class Attribution(models.Model):
    """The decision, taken once per order, of which reseller it is credited to.

    `reseller` is null when no reseller was entitled when the order was
    placed; the row is kept so a later event never re-decides. Amounts are
    the highest the order's events have shown, so late events never undo
    what earlier ones recorded.
    """

    order_id = models.CharField(max_length=64, unique=True)
    order_number = models.CharField(max_length=64, blank=True, default="")
    reseller = models.ForeignKey(
        Reseller,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attributions",
    )
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    link = models.ForeignKey(
        ResellerLink,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="attributions",
    )
    channel = models.CharField(max_length=255)
    currency = models.CharField(max_length=3)
    order_created_at = models.DateTimeField()
    total = models.DecimalField(max_digits=20, decimal_places=3)
    paid = models.DecimalField(max_digits=20, decimal_places=3, default=0)
    refunded = models.DecimalField(max_digits=20, decimal_places=3, default=0)
    cancelled = models.BooleanField(default=False)
    # The reseller's rate when the commission was accrued, kept for statements.
    commission_rate = models.DecimalField(
        max_digits=7, decimal_places=4, null=True, blank=True
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-order_created_at", "-pk")
        indexes = [
            models.Index(
                fields=["reseller", "order_created_at"],
                condition=Q(reseller__isnull=False),
                name="kinship_reseller_orders",
            ),
        ]

    def __str__(self) -> str:
        return f"Attribution of order {self.order_id}"


class CommissionKind(models.TextChoices):
    ACCRUE = "accrue"
    REVERSE = "reverse"


class CommissionEntry(models.Model):
    """One line of a reseller's commission ledger; amounts are always positive."""

    reseller = models.ForeignKey(
        Reseller, on_delete=models.CASCADE, related_name="commission_entries"
    )
    attribution = models.ForeignKey(
        Attribution, on_delete=models.CASCADE, related_name="commission_entries"
    )
    order_id = models.CharField(max_length=64)
    kind = models.CharField(max_length=8, choices=CommissionKind.choices)
    amount = models.DecimalField(max_digits=20, decimal_places=3)
    currency = models.CharField(max_length=3)
    # commission:accrue:<order> or commission:reverse:<order>:<reversed so far>
    key = models.CharField(max_length=200, unique=True)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-recorded_at", "-pk")
        verbose_name_plural = "commission entries"
        indexes = [models.Index(fields=["reseller", "recorded_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="kinship_commission_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"Commission {self.kind} {self.amount} {self.currency}"
