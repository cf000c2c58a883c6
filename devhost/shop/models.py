"""Channels, the plugin's configuration and orders, as far as kinship sees them."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone


class Channel(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=250)
    currency = models.CharField(max_length=3)

    def __str__(self) -> str:
        return self.slug


class PluginConfiguration(models.Model):
    """The merchant's kinship configuration of one channel, like Saleor's rows."""

    channel = models.OneToOneField(Channel, on_delete=models.CASCADE)
    active = models.BooleanField(default=True)
    configuration = models.JSONField(default=dict, blank=True)

    def __str__(self) -> str:
        return f"Kinship configuration of {self.channel}"


class OrderStatus(models.TextChoices):
    UNFULFILLED = "unfulfilled"
    FULFILLED = "fulfilled"
    CANCELED = "canceled"


class Order(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    number = models.PositiveIntegerField(unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    user_email = models.EmailField(blank=True)
    channel = models.ForeignKey(Channel, on_delete=models.PROTECT)
    currency = models.CharField(max_length=3)
    total = models.DecimalField(max_digits=12, decimal_places=3)
    charged = models.DecimalField(max_digits=12, decimal_places=3, default=Decimal(0))
    refunded = models.DecimalField(max_digits=12, decimal_places=3, default=Decimal(0))
    status = models.CharField(
        max_length=32, choices=OrderStatus.choices, default=OrderStatus.UNFULFILLED
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("created_at", "number")

    def __str__(self) -> str:
        return f"Order {self.number}"


class OrderLine(models.Model):
    order = models.ForeignKey(Order, related_name="lines", on_delete=models.CASCADE)
    product_name = models.CharField(max_length=386)
    variant_name = models.CharField(max_length=255, blank=True)
    sku = models.CharField(max_length=255, blank=True)
    quantity = models.PositiveIntegerField()
    unit_price = models.DecimalField(max_digits=12, decimal_places=3)

    def __str__(self) -> str:
        return f"Line {self.pk} of order {self.order_id}"
