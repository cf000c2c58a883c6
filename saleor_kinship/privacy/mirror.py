"""The dashboard mirror: a customer's tier, points, segment and reseller status
copied into her private metadata in the host, where staff see them.

Only the worker writes (after order and customer events, after the nightly
jobs, and in a task that mutations queue on commit), never a host hook. What was
last written is kept in `MetadataMirror`, so one query finds the customers
whose values changed and only their changed keys are written. Switching
`mirror_to_metadata` off empties the mirrored keys at the next bulk pass.
"""

import json
import logging
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection, transaction

from ..core.host import get_host
from ..loyalty.models import LoyaltyAccount
from ..relationships.models import CustomerProfile
from ..resellers.models import Reseller
from .models import MetadataMirror

logger = logging.getLogger(__name__)

TIER = "kinship.tier"
POINTS_BALANCE = "kinship.points_balance"
RFM_SEGMENT = "kinship.rfm_segment"
RESELLER_STATUS = "kinship.reseller_status"
KEYS = (TIER, POINTS_BALANCE, RFM_SEGMENT, RESELLER_STATUS)

# Each customer's values now, as a JSON object without empty keys, next to
# what was last mirrored; only rows that differ. A customer who declined
# profiling has no segment in the mirror.
CHANGED_SQL = """
WITH customers AS (
    SELECT customer_id FROM {accounts} {only}
    UNION SELECT customer_id FROM {resellers} {only}
    UNION SELECT customer_id FROM {mirrors} {only}
), current AS (
    SELECT customers.customer_id, jsonb_strip_nulls(jsonb_build_object(
        %(tier)s, NULLIF(account.tier, ''),
        %(points_balance)s, account.balance::text,
        %(rfm_segment)s, CASE WHEN profile.profiling_consent IS FALSE THEN NULL
                              ELSE NULLIF(account.rfm_segment, '') END,
        %(reseller_status)s, reseller.status
    )) AS items
    FROM customers
    LEFT JOIN {accounts} AS account ON account.customer_id = customers.customer_id
    LEFT JOIN {resellers} AS reseller
        ON reseller.customer_id = customers.customer_id
    LEFT JOIN {profiles} AS profile ON profile.customer_id = customers.customer_id
)
SELECT current.customer_id, current.items, COALESCE(mirror.items, '{{}}'::jsonb)
FROM current
LEFT JOIN {mirrors} AS mirror ON mirror.customer_id = current.customer_id
WHERE current.items IS DISTINCT FROM COALESCE(mirror.items, '{{}}'::jsonb)
ORDER BY current.customer_id
"""


@dataclass(frozen=True)
class MirrorChange:
    """A customer whose mirrored values differ from her values now."""

    customer_id: int
    current: dict[str, str]
    mirrored: dict[str, str]

    def items_to_write(self) -> dict[str, str]:
        """Return the changed keys; a value that is gone is written empty."""
        return {
            key: self.current.get(key, "")
            for key in KEYS
            if self.current.get(key, "") != self.mirrored.get(key, "")
        }


@dataclass(frozen=True)
class MirrorOutcome:
    """How many customers' values differed, and how many were written."""

    changed: int
    written: int


def is_enabled() -> bool:
    return bool(get_host().programme_settings().mirror_to_metadata)


def changed_customers(
    customer_ids: Collection[int] | None = None,
) -> list[MirrorChange]:
    """Compare every customer (or these) with her mirror in one query."""
    only = "WHERE customer_id = ANY(%(ids)s)" if customer_ids is not None else ""
    sql = CHANGED_SQL.format(
        accounts=LoyaltyAccount._meta.db_table,
        resellers=Reseller._meta.db_table,
        profiles=CustomerProfile._meta.db_table,
        mirrors=MetadataMirror._meta.db_table,
        only=only,
    )
    params: dict[str, Any] = {
        "tier": TIER,
        "points_balance": POINTS_BALANCE,
        "rfm_segment": RFM_SEGMENT,
        "reseller_status": RESELLER_STATUS,
        "ids": list(customer_ids or ()),
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [
            MirrorChange(customer_id, _as_dict(current), _as_dict(mirrored))
            for customer_id, current, mirrored in cursor.fetchall()
        ]


def _as_dict(value: Any) -> dict[str, str]:
    # psycopg decodes jsonb; a driver that does not hands over text.
    return dict(json.loads(value) if isinstance(value, str) else value)


def _lock_customer(customer_id: int) -> bool:
    """Lock the customer's row for this transaction; False if she is gone.

    The host's deletion locks the same row first, so the mirror and a
    deletion never wait on each other in opposite orders.
    """
    customers = get_user_model()._default_manager.select_for_update()
    return bool(list(customers.filter(pk=customer_id).values_list("pk", flat=True)))


def mirror_customer(customer_id: int) -> bool:
    """Write the customer's changed values to the host; True if any were written.

    Cheap when nothing changed (one query). Under a lock of the customer's
    row, so two workers mirroring her at once write in turn, the later with
    the later values.
    """
    if not is_enabled() or not changed_customers([customer_id]):
        return False
    return _mirror_locked(customer_id)


def _mirror_locked(customer_id: int) -> bool:
    """Compare again under the customer's lock and write what still differs."""
    with transaction.atomic():
        if not _lock_customer(customer_id):
            return False
        changes = changed_customers([customer_id])
        if not changes:
            return False
        change = changes[0]
        get_host().write_private_metadata(customer_id, change.items_to_write())
        MetadataMirror.objects.update_or_create(
            customer_id=customer_id, defaults={"items": change.current}
        )
    return True


def mirror_changed_customers() -> MirrorOutcome:
    """Bring every customer's mirror up to date: one compare, then one write each.

    When the shop switched mirroring off, empty what was mirrored instead.
    """
    if not is_enabled():
        return clear_mirrors()
    changes = changed_customers()
    written = sum(_mirror_locked(change.customer_id) for change in changes)
    if written:
        logger.info("Kinship mirrored the metadata of %d customer(s)", written)
    return MirrorOutcome(changed=len(changes), written=written)


def clear_mirrors() -> MirrorOutcome:
    """Empty the mirrored keys of every customer and forget her mirror."""
    mirrors = list(MetadataMirror.objects.values_list("customer_id", flat=True))
    written = 0
    for customer_id in mirrors:
        with transaction.atomic():
            if not _lock_customer(customer_id):
                continue
            mirror = MetadataMirror.objects.filter(customer_id=customer_id).first()
            if mirror is None:
                continue
            if mirror.items:
                get_host().write_private_metadata(
                    customer_id, dict.fromkeys(mirror.items, "")
                )
                written += 1
            mirror.delete()
    if written:
        logger.info("Kinship emptied the mirrored metadata of %d customer(s)", written)
    return MirrorOutcome(changed=len(mirrors), written=written)


def request_mirror(customer_id: int) -> None:
    """Queue the customer's mirror for when the current transaction commits."""
    from .tasks import mirror_customers_task

    transaction.on_commit(lambda: mirror_customers_task.delay([customer_id]))
