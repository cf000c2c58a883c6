from django.conf import settings
from django.db import models


class MetadataMirror(models.Model):
    """The values kinship last wrote into a customer's private metadata.

    Comparing with this row, rather than reading the host's metadata back,
    lets the mirror find every changed customer with one query.
    """

    customer = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="kinship_metadata_mirror",
    )
    # Key -> value as written; keys whose value is empty are left out.
    items = models.JSONField(default=dict, blank=True)
    mirrored_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("pk",)

    def __str__(self) -> str:
        return f"Metadata mirror of customer {self.customer_id}"
