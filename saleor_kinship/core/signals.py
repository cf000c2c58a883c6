"""Signals between domains, sent inside the transaction of the change.

Receivers that do outside work (an e-mail) must defer it with on_commit.
"""

from django.dispatch import Signal

# Sent by loyalty: customer_id, previous (tier name or ""), tier, at, key.
tier_changed = Signal()
