from django.conf import settings
from django.db import models
from django.utils import timezone


class InteractionKind(models.TextChoices):
    VISIT = "visit"
    CALL = "call"
    MESSAGE = "message"
    EMAIL = "email"
    MEETING = "meeting"
    GIFT = "gift"
    NOTE = "note"
    # Written by kinship itself, never by staff:
    ORDER_PLACED = "order_placed"
    ORDER_PAID = "order_paid"
    ORDER_REFUNDED = "order_refunded"
    ORDER_CANCELLED = "order_cancelled"
    THANK_YOU_SENT = "thank_you_sent"
    TIER_CHANGED = "tier_changed"
    RESELLER_CHANGED = "reseller_changed"


AUTOMATIC_KINDS = frozenset(
    {
        InteractionKind.ORDER_PLACED,
        InteractionKind.ORDER_PAID,
        InteractionKind.ORDER_REFUNDED,
        InteractionKind.ORDER_CANCELLED,
        InteractionKind.THANK_YOU_SENT,
        InteractionKind.TIER_CHANGED,
        InteractionKind.RESELLER_CHANGED,
    }
)


class Interaction(models.Model):
    """One entry on a customer's timeline."""

    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="kinship_interactions",
    )
    kind = models.CharField(max_length=32, choices=InteractionKind.choices)
    occurred_at = models.DateTimeField(default=timezone.now)
    summary = models.CharField(max_length=200)
    body = models.TextField(max_length=10_000, blank=True, default="")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    channel = models.CharField(max_length=255, blank=True, default="")
    order_id = models.CharField(max_length=64, blank=True, default="")
    # Automatic entries carry a key naming their cause, so each is written once.
    key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-occurred_at", "-pk")
        indexes = [models.Index(fields=["customer", "-occurred_at", "-id"])]

    def __str__(self) -> str:
        return f"Interaction {self.pk} ({self.kind})"
