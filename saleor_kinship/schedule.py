"""Kinship's periodic jobs, registered in the host's Celery beat schedule.

`KinshipConfig.ready()` adds these entries to the Celery app's
`beat_schedule` unless the host's settings already name an entry the same,
so a host can move or switch off a job by defining it itself.
"""

from typing import Any

from .emails.schedule import EMAIL_BEAT_SCHEDULE
from .loyalty.schedule import LOYALTY_BEAT_SCHEDULE
from .loyalty.scoring_tasks import RESCORE_BEAT_SCHEDULE

BEAT_SCHEDULE: dict[str, dict[str, Any]] = {
    **LOYALTY_BEAT_SCHEDULE,
    **RESCORE_BEAT_SCHEDULE,
    **EMAIL_BEAT_SCHEDULE,
}


def register(beat_schedule: dict[str, Any]) -> None:
    """Add kinship's jobs to a beat schedule, keeping the host's own entries."""
    for name, entry in BEAT_SCHEDULE.items():
        beat_schedule.setdefault(name, entry)
