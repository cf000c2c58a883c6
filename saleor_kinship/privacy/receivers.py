"""Receivers that connect on import (from the app's ready())."""

from django.conf import settings
from django.db.models.signals import pre_delete

from .erasure import erase_before_deletion

# Whoever deletes a customer (Saleor's mutations, the dashboard, a shell),
# kinship cleans the rows the deletion would only unlink.
pre_delete.connect(
    erase_before_deletion,
    sender=settings.AUTH_USER_MODEL,
    dispatch_uid="saleor_kinship.privacy.erase_before_deletion",
)
