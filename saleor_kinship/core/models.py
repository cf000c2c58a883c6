from django.db import models


class FailedEvent(models.Model):
    """An event the worker gave up on, kept for an operator to see and replay."""

    kind = models.CharField(max_length=32)  # "order" or "customer"
    payload = models.JSONField()
    error = models.TextField()
    code = models.CharField(max_length=64)
    attempts = models.PositiveIntegerField(default=1)
    failed_at = models.DateTimeField(auto_now=True)
    replayed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-failed_at", "-pk")

    def __str__(self) -> str:
        return f"{self.kind} event {self.pk} ({self.code})"
