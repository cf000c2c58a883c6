from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from devhost.shop import orders
from saleor_kinship.core.events import enqueue_order_event
from saleor_kinship.core.host import get_host
from saleor_kinship.core.snapshots import OrderEventKind
from saleor_kinship.graphql.core.ids import customer_global_id
from saleor_kinship.loyalty.models import LoyaltyAccount
from saleor_kinship.loyalty.scoring_tasks import rescore_customers
from saleor_kinship.privacy.models import MetadataMirror
from saleor_kinship.privacy.tasks import mirror_changed_customers_task

KEYS = (
    "kinship.tier",
    "kinship.points_balance",
    "kinship.rfm_segment",
    "kinship.reseller_status",
)

ADJUST = """
mutation($customer: ID!, $points: Int!) {
  loyaltyPointsAdjust(customerId: $customer, points: $points, reason: "Gift") {
    errors { field code }
  }
}
"""
MY_PROFILE = """
mutation($input: KinshipMyProfileInput!) {
  kinshipMyProfileUpdate(input: $input) { errors { field code } }
}
"""


def mirrored(customer: Any) -> dict[str, str]:
    """The kinship keys of her private metadata, as the dashboard shows them."""
    customer.refresh_from_db()
    return {
        key: value
        for key, value in customer.private_metadata.items()
        if key.startswith("kinship.")
    }


@pytest.fixture
def writes(monkeypatch) -> list[tuple[int, dict[str, str]]]:
    """Record each write to the host's private metadata (and let it through)."""
    host = get_host()
    recorded: list[tuple[int, dict[str, str]]] = []
    original = host.write_private_metadata

    def write(customer_id: int, items: dict[str, str]) -> None:
        recorded.append((customer_id, dict(items)))
        original(customer_id, items)

    monkeypatch.setattr(host, "write_private_metadata", write)
    return recorded


def paid_order(shop: Any, customer: Any, price: str, days_ago: int = 0) -> Any:
    created_at = timezone.now() - timedelta(days=days_ago)
    order = shop.place_order(
        price, customer=customer, email=customer.email, created_at=created_at
    )
    return shop.mark_paid(order)


def test_a_paid_order_shows_her_tier_and_points_on_her_page(shop, customer):
    paid_order(shop, customer, "120.00")

    assert mirrored(customer) == {
        "kinship.tier": "Bronze",
        "kinship.points_balance": "120",
    }


def test_only_what_changed_is_written(shop, customer, writes, staff_api, run_events):
    paid_order(shop, customer, "120.00")
    writes.clear()
    # A merchant overwrote the tier by hand on the customer page.
    customer.private_metadata["kinship.tier"] = "edited"
    customer.save(update_fields=["private_metadata"])

    run_events(
        staff_api.data,
        ADJUST,
        {"customer": customer_global_id(customer.pk), "points": 5},
    )

    assert writes == [(customer.pk, {"kinship.points_balance": "125"})]
    assert mirrored(customer)["kinship.tier"] == "edited"


def test_a_repeated_event_writes_nothing(shop, customer, writes, run_events):
    order = paid_order(shop, customer, "120.00")
    # Placed (an account at 0 points), then paid.
    assert writes == [
        (customer.pk, {"kinship.tier": "Bronze", "kinship.points_balance": "0"}),
        (customer.pk, {"kinship.points_balance": "120"}),
    ]

    run_events(enqueue_order_event, OrderEventKind.PAID, orders.snapshot(order))

    assert len(writes) == 2


def test_the_host_action_itself_writes_nothing(shop, customer, channel):
    # Without the worker (the queued events never run) nothing is mirrored:
    # the host's hook only queues.
    orders.place_order(channel, [orders.LineInput("Beans", 1, 50)], customer=customer)

    assert mirrored(customer) == {}


def test_a_guest_order_given_to_her_account_is_mirrored(shop, customer):
    order = shop.place_order("30.00", email=customer.email.upper())
    shop.mark_paid(order)

    assert mirrored(customer)["kinship.points_balance"] == "30"


RESCORE = {
    "task": rescore_customers.delay,
    "command": lambda: call_command("kinship_rescore", stdout=StringIO()),
}


@pytest.mark.parametrize("rescoring", sorted(RESCORE))
def test_rescoring_mirrors_the_segments_that_changed(shop, writes, rescoring):
    rescore = RESCORE[rescoring]
    customers = [shop.create_customer(f"c{number}@example.com") for number in range(5)]
    for number, customer in enumerate(customers):
        for order in range(number + 1):
            paid_order(shop, customer, f"{10 * (number + 1)}.00", days_ago=order * 30)
    writes.clear()

    rescore()

    segments = dict(LoyaltyAccount.objects.values_list("customer_id", "rfm_segment"))
    assert all(segments.values())
    for customer in customers:
        assert mirrored(customer)["kinship.rfm_segment"] == segments[customer.pk]
    # One write per customer, holding only the segment that appeared.
    assert sorted(writes) == sorted(
        (pk, {"kinship.rfm_segment": segment}) for pk, segment in segments.items()
    )

    writes.clear()
    rescore()

    assert writes == []


def test_a_customer_who_declined_profiling_has_no_segment_mirrored(
    shop, customer, customer_api, run_events
):
    for days_ago in (0, 40, 80):
        paid_order(shop, customer, "25.00", days_ago=days_ago)
    rescore_customers.delay()
    segment = LoyaltyAccount.objects.get(customer=customer).rfm_segment
    assert mirrored(customer)["kinship.rfm_segment"] == segment != ""

    # Her withdrawal reaches the dashboard at once, not at the nightly pass.
    run_events(customer_api.data, MY_PROFILE, {"input": {"profilingConsent": False}})

    assert mirrored(customer)["kinship.rfm_segment"] == ""
    assert mirrored(customer)["kinship.points_balance"] == "75"


def test_switching_the_mirror_off_empties_it_and_on_fills_it(
    shop, customer, configure, channel
):
    paid_order(shop, customer, "120.00")

    configure(channel, mirror_to_metadata=False)
    mirror_changed_customers_task.delay()

    assert mirrored(customer) == {"kinship.tier": "", "kinship.points_balance": ""}
    assert not MetadataMirror.objects.exists()
    paid_order(shop, customer, "10.00")
    assert mirrored(customer)["kinship.points_balance"] == ""

    configure(channel, mirror_to_metadata=True)
    mirror_changed_customers_task.delay()

    assert mirrored(customer) == {
        "kinship.tier": "Bronze",
        "kinship.points_balance": "130",
    }


def test_other_private_metadata_is_left_alone(shop, customer):
    customer.private_metadata = {"erp.id": "C-42"}
    customer.save(update_fields=["private_metadata"])

    paid_order(shop, customer, "120.00")

    customer.refresh_from_db()
    assert customer.private_metadata["erp.id"] == "C-42"
    assert set(customer.private_metadata) == {"erp.id", *KEYS[:2]}
