"""A real Celery worker on Redis: retries after an outage, and a worker killed
while the server is taking the message."""

import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings

from saleor_kinship.core.events import order_payload
from saleor_kinship.core.snapshots import OrderEventKind
from saleor_kinship.emails import DeliveryStatus
from saleor_kinship.emails.models import Delivery
from saleor_kinship.emails.sending import STALE_MESSAGE

pytestmark = [
    pytest.mark.worker,
    pytest.mark.smtp,
    pytest.mark.django_db(transaction=True),
]

ROOT = Path(__file__).resolve().parents[2]
BROKER = "redis://127.0.0.1:6379/8"

# Pauses shortened so that a test sees the second attempt: one second before
# a retry, two before a claim counts as left by a dead worker, three before
# Redis hands an unacknowledged task to another worker.
WORKER = """
import django
django.setup()
from datetime import timedelta
from saleor_kinship.emails import sending
sending.FIRST_PAUSE = timedelta(seconds=1)
sending.STALE_CLAIM = timedelta(seconds=2)
from devhost.celery import app
app.conf.task_default_queue = QUEUE
app.conf.broker_transport_options = {"visibility_timeout": 3}
app.worker_main(["worker", "-Q", QUEUE, "-P", "solo", "--without-heartbeat",
                 "--without-gossip", "--without-mingle", "--loglevel", "ERROR"])
"""

PRODUCER = """
import json, sys
import django
django.setup()
from devhost.celery import app
app.conf.task_default_queue = QUEUE
from saleor_kinship.tasks import process_order_event
process_order_event.apply_async(args=[json.loads(sys.argv[1])], queue=QUEUE)
"""


def redis_client():
    import redis

    client = redis.Redis.from_url(BROKER, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.RedisError:
        pytest.skip(f"Redis is not reachable at {BROKER}.")
    return client


class Worker:
    """Celery worker processes on one queue of their own."""

    def __init__(self) -> None:
        database = settings.DATABASES["default"]
        self.queue = f"kinship-emails-test-{uuid.uuid4().hex[:8]}"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "devhost.settings",
            "DATABASE_URL": "postgres://{USER}@{HOST}:{PORT}/{NAME}".format(**database),
            "CELERY_BROKER_URL": BROKER,
            "CELERY_TASK_ALWAYS_EAGER": "0",
        }
        self.processes: list[subprocess.Popen] = []

    def script(self, body: str) -> str:
        return body.replace("QUEUE", json.dumps(self.queue))

    def start(self) -> subprocess.Popen:
        process = subprocess.Popen(
            [sys.executable, "-c", self.script(WORKER)],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        self.processes.append(process)
        return process

    def send_event(self, payload: dict) -> None:
        subprocess.run(
            [sys.executable, "-c", self.script(PRODUCER), json.dumps(payload)],
            cwd=ROOT,
            env=self.env,
            check=True,
            timeout=60,
        )

    def kill(self, process: subprocess.Popen) -> None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=30)


@pytest.fixture
def worker():
    client = redis_client()
    workers = Worker()
    yield workers
    workers.stop()
    client.delete(workers.queue, f"_kombu.binding.{workers.queue}")


def paid_order_payload(channel, customer) -> dict:
    """A paid order written straight to the host's tables, as its event."""
    from devhost.shop.models import Order, OrderLine
    from devhost.shop.orders import snapshot

    order = Order.objects.create(
        number=1,
        user=customer,
        user_email=customer.email,
        channel=channel,
        currency="USD",
        total=Decimal("42.00"),
        charged=Decimal("42.00"),
    )
    OrderLine.objects.create(
        order=order, product_name="Tea", quantity=2, unit_price=Decimal("21.00")
    )
    return order_payload(OrderEventKind.PAID, snapshot(order))


def wait_for(condition, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError("Waited in vain.")


def delivery_status() -> str | None:
    delivery = Delivery.objects.first()
    return delivery.status if delivery else None


@pytest.fixture
def ann(db):
    from devhost.account.models import User

    return User.objects.create_user("ann@example.com", first_name="Ann")


def test_the_worker_retries_after_an_outage_and_sends_once(
    worker, channel, use_smtp, smtp_down, ann
):
    use_smtp(smtp_down)
    worker.start()

    worker.send_event(paid_order_payload(channel, ann))
    wait_for(lambda: delivery_status() == DeliveryStatus.FAILED)
    smtp_down.start()
    wait_for(lambda: delivery_status() == DeliveryStatus.SENT)

    delivery = Delivery.objects.get()
    assert delivery.attempts >= 2
    [mail] = smtp_down.inbox.messages
    assert mail.envelope_to == ["ann@example.com"]
    assert "Total: 42.00 USD" in mail.text
    time.sleep(2)  # no late duplicate
    assert len(smtp_down.inbox.messages) == 1


def test_a_worker_killed_while_the_server_takes_the_message_is_not_resent(
    worker, channel, use_smtp, smtp_server, ann
):
    use_smtp(smtp_server)
    smtp_server.inbox.hold = threading.Event()
    first = worker.start()

    worker.send_event(paid_order_payload(channel, ann))
    assert smtp_server.inbox.data_arrived.wait(timeout=60)
    worker.kill(first)
    smtp_server.inbox.hold.set()

    # Redis hands the unacknowledged task to a worker that starts after the
    # visibility timeout.
    time.sleep(3.5)
    worker.start()
    wait_for(lambda: delivery_status() == DeliveryStatus.UNKNOWN)

    delivery = Delivery.objects.get()
    assert delivery.last_error == STALE_MESSAGE
    assert delivery.attempts == 1
    time.sleep(2)
    assert len(smtp_server.inbox.messages) == 1
    assert Delivery.objects.get().status == DeliveryStatus.UNKNOWN
