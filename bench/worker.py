"""The reference host's Celery app, with a probe that times order events.

Started by `bench.run` as ``celery -A bench.worker worker``. For each order
event the probe notes in Redis when the first one started, when the latest
one finished, how many finished and how many failed or were retried;
`bench.run` polls the count.
"""

import os
import time
from typing import Any

import redis
from celery.signals import task_postrun, task_prerun

from devhost.celery import app

__all__ = ["app"]

ORDER_TASK = "saleor_kinship.process_order_event"
FIRST, LAST, DONE, FAILED = (
    "kinship-bench:first",
    "kinship-bench:last",
    "kinship-bench:done",
    "kinship-bench:failed",
)

# No connection is made until the worker's first task.
_probe = redis.Redis.from_url(
    os.environ.get("CELERY_BROKER_URL") or "redis://127.0.0.1:6379/7"
)
_started = False


@task_prerun.connect
def note_start(sender: Any = None, **kwargs: Any) -> None:
    global _started
    if not _started and getattr(sender, "name", "") == ORDER_TASK:
        _started = True
        _probe.set(FIRST, repr(time.time()), nx=True)


@task_postrun.connect
def note_end(sender: Any = None, state: str = "", **kwargs: Any) -> None:
    if getattr(sender, "name", "") != ORDER_TASK:
        return
    if state == "SUCCESS":
        _probe.pipeline().set(LAST, repr(time.time())).incr(DONE).execute()
    else:
        # A retry or a failure; a retried event comes back and is counted then.
        _probe.incr(FAILED)
