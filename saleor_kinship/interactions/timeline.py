"""Writing to the timeline from other domains."""

from datetime import datetime

from .models import Interaction, InteractionKind


def record_automatic(
    *,
    customer_id: int,
    kind: InteractionKind,
    key: str,
    occurred_at: datetime,
    summary: str,
    body: str = "",
    channel: str = "",
    order_id: str = "",
) -> bool:
    """Write an automatic entry once per key; return False if it already exists.

    Call it inside the transaction that makes the change it records.
    """
    _, created = Interaction.objects.get_or_create(
        key=key,
        defaults={
            "customer_id": customer_id,
            "kind": kind,
            "occurred_at": occurred_at,
            "summary": summary[:200],
            "body": body,
            "channel": channel,
            "order_id": order_id,
        },
    )
    return created
