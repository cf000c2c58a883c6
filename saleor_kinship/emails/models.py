from django.conf import settings
from django.db import models
from django.utils import timezone

from . import DeliveryStatus, Trigger


class Delivery(models.Model):
    """One e-mail kinship means to send, exactly once per key.

    The key names the cause: `thank_you:<order id>` for an order (whichever
    of the thank-you and first-order e-mails it gets), `birthday:<customer
    id>:<year>`, `points_expiring:<customer id>:<expiry date>` and
    `tier_reached:<cause>`. The e-mail itself is rendered when it is sent,
    from `payload` (what the cause said) and the configuration of the day.

    Rows stay until their customer is deleted (guests' rows stay: a
    shortcoming for shops that must purge old order data).
    """

    key = models.CharField(max_length=200, unique=True)
    trigger = models.CharField(
        max_length=32, choices=[(trigger.value, trigger.name) for trigger in Trigger]
    )
    status = models.CharField(
        max_length=16,
        choices=[(status.value, status.name) for status in DeliveryStatus],
        default=DeliveryStatus.PENDING.value,
    )
    # Null for a guest's order: the address is in the payload's order.
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="kinship_email_deliveries",
        db_index=False,  # kinship_delivery_customer starts with it
    )
    channel = models.CharField(max_length=255)
    order_id = models.CharField(max_length=64, blank=True, default="")
    payload = models.JSONField(default=dict, blank=True)
    # Filled when an attempt prepares the e-mail: what the customer got.
    recipient = models.CharField(max_length=254, blank=True, default="")
    subject = models.CharField(max_length=998, blank=True, default="")
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True, default="")
    claimed_at = models.DateTimeField(null=True, blank=True)
    # When the next automatic attempt is due; null when none will be made.
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-created_at", "-pk")
        indexes = [
            models.Index(
                fields=["status", "-created_at", "-id"], name="kinship_delivery_status"
            ),
            models.Index(
                fields=["customer", "trigger"], name="kinship_delivery_customer"
            ),
            models.Index(fields=["-created_at", "-id"], name="kinship_delivery_newest"),
        ]

    def __str__(self) -> str:
        return f"E-mail delivery {self.pk} ({self.trigger}, {self.status})"
