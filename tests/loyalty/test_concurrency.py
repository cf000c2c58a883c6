"""Concurrent delivery against committed data: threads, and a real Celery worker."""

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from saleor_kinship.core.events import order_payload
from saleor_kinship.core.models import FailedEvent
from saleor_kinship.loyalty.checks import check_ledger
from saleor_kinship.loyalty.models import LedgerEntry, LoyaltyAccount, LoyaltyOrder
from saleor_kinship.loyalty.rules import points_for, reversal_target

ROOT = Path(__file__).resolve().parents[2]
BROKER = "redis://127.0.0.1:6379/4"

# Starts a worker that runs loyalty's handler only: the other domains would
# queue e-mails and the like that this test has no business waiting for.
WORKER = """
import django
django.setup()
from saleor_kinship.core import events
events.ORDER_EVENT_HANDLERS = ("saleor_kinship.loyalty.events.handle_order_event",)
from devhost.celery import app
app.worker_main(["worker", "-Q", QUEUE, "--concurrency", "2", "-P", "prefork",
                 "--without-heartbeat", "--without-gossip", "--without-mingle",
                 "--loglevel", "WARNING"])
"""

PRODUCER = """
import json, random, sys
import django
django.setup()
from saleor_kinship.tasks import process_order_event
payloads = json.load(open(sys.argv[1]))
random.Random(int(sys.argv[2])).shuffle(payloads)
for payload in payloads:
    process_order_event.apply_async(args=[payload], queue=QUEUE)
"""


def environment(queue: str) -> dict[str, str]:
    database = settings.DATABASES["default"]
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "devhost.settings",
        "DATABASE_URL": "postgres://{USER}@{HOST}:{PORT}/{NAME}".format(**database),
        "CELERY_BROKER_URL": BROKER,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "KINSHIP_TEST_QUEUE": queue,
    }


def script(body: str, queue: str) -> str:
    return body.replace("QUEUE", json.dumps(queue))


def order_history(channel, customers, count=12):
    """Orders written straight to the host's tables, with each step's snapshot."""
    from devhost.shop.models import Order, OrderLine
    from devhost.shop.orders import snapshot

    rng = random.Random(7)
    steps = []
    for number in range(1, count + 1):
        customer = customers[number % len(customers)]
        total = Decimal(rng.randint(500, 40000)) / 100
        order = Order.objects.create(
            number=number,
            user=customer,
            user_email="" if customer else f"guest{number % 2}@example.com",
            channel=channel,
            currency="USD",
            total=total,
        )
        OrderLine.objects.create(
            order=order, product_name="Item", quantity=1, unit_price=total
        )
        steps.append(("created", snapshot(order)))
        order.charged = total
        order.save()
        steps.append(("paid", snapshot(order)))
        for _ in range(rng.randint(0, 3)):
            order.refunded += (total - order.refunded) * Decimal("0.3")
            order.refunded = order.refunded.quantize(Decimal("0.01"))
            order.save()
            steps.append(("refunded", snapshot(order)))
        if rng.random() < 0.25:
            order.status = "canceled"
            order.save()
            steps.append(("cancelled", snapshot(order)))
    return steps


def expected_points(steps) -> dict[str, tuple[int, int]]:
    """Each order's (earned, reversed) from its final state, by the rules alone."""
    final = {}
    for _kind, order in steps:
        final[order.id] = order
    result = {}
    for order_id, order in final.items():
        earned = points_for(min(order.paid, order.total), Decimal(1))
        target = reversal_target(
            earned=earned,
            paid=order.paid,
            total=order.total,
            refunded=order.refunded,
            cancelled=order.is_cancelled,
        )
        result[order_id] = (earned, target)
    return result


def assert_each_order_settled_once(steps):
    expected = expected_points(steps)
    entries = defaultdict(list)
    for entry in LedgerEntry.objects.order_by("pk"):
        entries[entry.order_id].append(entry)
    for order_id, (earned, reversed_target) in expected.items():
        earns = [e for e in entries[order_id] if e.kind == "earn"]
        reversals = [e for e in entries[order_id] if e.kind == "reverse"]
        assert [e.points for e in earns] == [earned]
        assert sum(-e.points + e.shortfall for e in reversals) == reversed_target
        stored = LoyaltyOrder.objects.get(order_id=order_id)
        assert (stored.points_earned, stored.points_reversed) == (
            earned,
            reversed_target,
        )
    assert check_ledger().consistent
    total = sum(earned - reversed for earned, reversed in expected.values())
    held = sum(e.points for e in LedgerEntry.objects.filter(customer__isnull=True))
    balances = sum(LoyaltyAccount.objects.values_list("balance", flat=True))
    assert balances + held == total


@pytest.mark.django_db(transaction=True)
def test_two_workers_delivering_the_same_events_at_once_settle_once(
    channel, customer, other_customer
):
    from saleor_kinship.core.events import handle_order_event

    steps = order_history(channel, [customer, other_customer, None], count=6)
    payloads = [order_payload(kind, order) for kind, order in steps]
    start = threading.Barrier(2)
    failures = []

    def worker(seed):
        shuffled = payloads[:]
        random.Random(seed).shuffle(shuffled)
        start.wait()
        try:
            for payload in shuffled:
                for _attempt in range(5):
                    try:
                        handle_order_event(payload)
                        break
                    except Exception as error:  # a deadlock victim retries
                        if "deadlock" not in str(error):
                            raise
        except Exception as error:
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(seed,)) for seed in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert failures == []
    assert_each_order_settled_once(steps)


def redis_client():
    import redis

    client = redis.Redis.from_url(BROKER, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.RedisError:
        pytest.skip(f"Redis is not reachable at {BROKER}.")
    return client


def wait_until_drained(client, queue, worker, timeout=90.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert worker.poll() is None, worker.stderr.read()
        if client.llen(queue) == 0 and client.hlen("unacked") == 0:
            return
        time.sleep(0.2)
    raise AssertionError("The worker did not drain the queue in time.")


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_settles_duplicated_shuffled_events_once(
    channel, customer, other_customer, tmp_path
):
    client = redis_client()
    queue = f"kinship-loyalty-test-{uuid.uuid4().hex[:8]}"
    steps = order_history(channel, [customer, other_customer, None])
    payloads = tmp_path / "payloads.json"
    payloads.write_text(json.dumps([order_payload(k, o) for k, o in steps]))
    env = environment(queue)

    worker = subprocess.Popen(
        [sys.executable, "-c", script(WORKER, queue)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        producers = [
            subprocess.Popen(
                [sys.executable, "-c", script(PRODUCER, queue), str(payloads), seed],
                cwd=ROOT,
                env=env,
            )
            for seed in ("1", "2", "3")
        ]
        assert [producer.wait(timeout=60) for producer in producers] == [0, 0, 0]
        wait_until_drained(client, queue, worker)
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=30)
        client.delete(queue)

    assert_each_order_settled_once(steps)
    assert not FailedEvent.objects.exists()
    assert LedgerEntry.objects.filter(kind="earn").count() == len(
        {order.id for _kind, order in steps}
    )
