"""Reading the host's orders in a thread while kinship applies the last batch.

Listing orders is mostly Python work in the host (building snapshots), and
applying a batch is mostly waiting for PostgreSQL, so the two overlap well.
"""

import queue
import threading
from collections.abc import Callable, Generator, Iterator
from itertools import batched
from typing import Any

from django.db import connections

# Batches read ahead and waiting; keeps memory bounded.
DEPTH = 2
_END = object()


def read_batches(
    open_items: Callable[[], Iterator[Any]], size: int, *, in_thread: bool
) -> Generator[tuple[Any, ...]]:
    """Yield batches of the items; with `in_thread`, read ahead in a thread.

    The thread uses its own database connection, which sees only committed
    rows: read in a thread only outside a transaction. Close the generator
    (or exhaust it) to stop the thread.
    """
    if not in_thread:
        yield from batched(open_items(), size)
        return
    ready: queue.Queue = queue.Queue(maxsize=DEPTH)
    stop = threading.Event()

    def offer(item: Any) -> bool:
        while not stop.is_set():
            try:
                ready.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def read() -> None:
        items = open_items()
        try:
            for batch in batched(items, size):
                if not offer(batch):
                    return
            offer(_END)
        except BaseException as error:  # handed to the caller's thread
            offer(error)
        finally:
            close = getattr(items, "close", None)
            if close is not None:
                close()
            connections.close_all()

    reader = threading.Thread(target=read, name="kinship-order-reader", daemon=True)
    reader.start()
    try:
        while True:
            item = ready.get()
            if item is _END:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        reader.join()
