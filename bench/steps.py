"""One benchmark step per process: `python -m bench.steps <step> [argument]`.

`bench.run` starts each step in a process of its own, so the step's peak
memory is that process's, and reads the step's measurements from the JSON
object it prints on its last line of output. Timers start after Django,
numpy, scipy and pandas are imported: they measure the work, not start-up.
"""

import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import django

REPO = Path(__file__).resolve().parents[1]
MASTER_FILE = REPO / "data/cdnow/CDNOW_master.txt"
# The last purchase day of the CDNOW files.
CDNOW_END = date(1998, 6, 30)
EVENT_CUSTOMERS = 1000


def prepare_events(orders: str) -> dict[str, Any]:
    """Create the channel and customers the order events will be about.

    Runs with eager Celery, so the customers' own events are handled here and
    only order events reach the worker's queue.
    """
    from devhost.account.customers import create_customer

    channel = _channel()
    customers = [
        create_customer(f"bench-{index}@example.com")
        for index in range(EVENT_CUSTOMERS)
    ]
    return {"channel": channel.slug, "customers": len(customers)}


def enqueue_events(orders: str) -> dict[str, Any]:
    """Place and pay ``orders`` orders: two order events each, sent to the broker."""
    from devhost.account.models import User
    from devhost.shop.orders import LineInput, mark_paid, place_order

    channel = _channel()
    customers = list(User.objects.filter(email__startswith="bench-"))
    started = time.perf_counter()
    for index in range(int(orders)):
        line = LineInput("Bench tea", 1 + index % 3, Decimal("12.50"), sku="TEA-1")
        order = place_order(channel, [line], customer=customers[index % len(customers)])
        mark_paid(order)
    seconds = time.perf_counter() - started
    return {"events": 2 * int(orders), "enqueue_s": seconds}


def check_events(orders: str) -> dict[str, Any]:
    """Tell whether every order the worker saw earned its points once."""
    from saleor_kinship.loyalty.models import LedgerEntry, LoyaltyOrder

    bench_customers = {"customer__email__startswith": "bench-"}
    paid = LoyaltyOrder.objects.filter(points_earned__gt=0, **bench_customers)
    entries = LedgerEntry.objects.filter(kind="earn", **bench_customers)
    return {
        "orders_paid": paid.count(),
        "earn_entries": entries.count(),
        "ok": paid.count() == entries.count() == int(orders),
    }


def import_master(path: str) -> dict[str, Any]:
    """Bulk-insert the CDNOW master file as customers and orders, without events."""
    from devhost.shop.cdnow import bulk_import, read_purchases

    channel = _channel()
    started = time.perf_counter()
    purchases = read_purchases(Path(path or MASTER_FILE))
    summary = bulk_import(purchases, channel)
    return {
        "import_s": time.perf_counter() - started,
        "customers": summary.new_customers,
        "orders": summary.new_orders,
    }


def backfill(argument: str) -> dict[str, Any]:
    """Replay every order into loyalty with kinship_backfill."""
    from django.core.management import call_command

    from saleor_kinship.loyalty.models import LoyaltyAccount, LoyaltyOrder

    started = time.perf_counter()
    call_command("kinship_backfill", "--restart", stdout=sys.stderr)
    seconds = time.perf_counter() - started
    return {
        "backfill_s": seconds,
        "orders": LoyaltyOrder.objects.count(),
        "accounts": LoyaltyAccount.objects.count(),
    }


def rescore(repeat: str) -> dict[str, Any]:
    """Rescore every customer as of the last CDNOW day; median of runs."""
    from saleor_kinship.loyalty.scoring import rescore

    runs = [rescore(CDNOW_END) for _ in range(int(repeat or 3))]
    totals = [sum(run.timings.values()) for run in runs]
    middle = runs[totals.index(statistics.median_low(totals))]
    return {
        "rescore_s": statistics.median(totals),
        "phases": middle.timings,
        "customers": middle.customers,
        "runs": totals,
    }


def rescore_pandas(repeat: str) -> dict[str, Any]:
    """Run the pandas baseline as of the last CDNOW day; median of runs."""
    from bench import pandas_baseline

    output = Path(os.environ.get("BENCH_PANDAS_OUTPUT", "bench/pandas_scores.csv"))
    totals = []
    for _ in range(int(repeat or 3)):
        started = time.perf_counter()
        pandas_baseline.main(pandas_baseline.database_url(), CDNOW_END, output)
        totals.append(time.perf_counter() - started)
    return {"rescore_pandas_s": statistics.median(totals), "runs": totals}


def compare(output: str) -> dict[str, Any]:
    """Compare the stored scores with the pandas baseline's CSV."""
    import numpy as np
    import pandas as pd

    from saleor_kinship.loyalty.models import LoyaltyAccount

    ours = pd.DataFrame.from_records(
        LoyaltyAccount.objects.filter(scored_at__isnull=False).values_list(
            "customer_id",
            "rfm_recency",
            "rfm_frequency",
            "rfm_monetary",
            "rfm_segment",
            "p_alive",
            "predicted_value_12m",
        ),
        columns=["customer_id", "r", "f", "m", "segment", "p_alive", "value"],
    )
    theirs = pd.read_csv(output)
    both = ours.merge(theirs, on="customer_id", suffixes=("", "_pandas"))
    same = (
        (both.r == both.r_pandas)
        & (both.f == both.f_pandas)
        & (both.m == both.m_pandas)
        & (both.segment == both.segment_pandas)
    )
    value = both.value.astype(float)
    relative = np.abs(value - both.value_pandas) / np.maximum(value, 1.0)
    p_alive = np.abs(both.p_alive - both.p_alive_pandas)
    return {
        "customers": len(ours),
        "customers_pandas": len(theirs),
        "same_rfm_and_segment": float(same.mean()) if len(both) else 0.0,
        "max_p_alive_difference": float(p_alive.max()),
        "max_value_difference": float(relative.max()),
    }


def _channel() -> Any:
    from devhost.shop.models import Channel, PluginConfiguration

    channel, _ = Channel.objects.get_or_create(
        slug="default-channel", defaults={"name": "Bench shop", "currency": "USD"}
    )
    # Thank-you e-mails are off: one worker should spend its time on the order
    # events, not on SMTP conversations (sending is a task of its own).
    PluginConfiguration.objects.get_or_create(
        channel=channel, defaults={"configuration": {"email_thank_you": False}}
    )
    return channel


STEPS: dict[str, Callable[[str], dict[str, Any]]] = {
    "prepare_events": prepare_events,
    "enqueue_events": enqueue_events,
    "check_events": check_events,
    "import_master": import_master,
    "backfill": backfill,
    "rescore": rescore,
    "rescore_pandas": rescore_pandas,
    "compare": compare,
}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "devhost.settings")
    django.setup()
    # Imported before any timer starts, as a long-running worker has them.
    import numpy  # noqa: F401
    import scipy.optimize  # noqa: F401

    name, argument = sys.argv[1], (sys.argv[2] if len(sys.argv) > 2 else "")
    result = STEPS[name](argument)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
