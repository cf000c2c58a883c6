"""Points move both ways for a real Saleor order: paid, then partly refunded."""

from decimal import ROUND_FLOOR, Decimal

from graphql_relay import to_global_id

from saleor_kinship.loyalty.models import LedgerEntry

LOYALTY = """
{ me { loyalty { balance lifetimePoints tier } } }
"""


def test_a_paid_then_partly_refunded_order_moves_points_both_ways(
    saleor_shop, draft_order, customer_user, kinship_customer_api
):
    order = saleor_shop.complete_and_pay(draft_order)
    total = Decimal(str(order["total"]["gross"]["amount"]))
    earned = int(total.to_integral_value(rounding=ROUND_FLOOR))
    assert earned > 0

    paid = kinship_customer_api.post_graphql(LOYALTY).json()["data"]["me"]
    assert paid["loyalty"]["balance"] == earned

    refunded = (total / 4).quantize(Decimal("0.01"))
    saleor_shop.refund(order["id"], refunded)

    after = kinship_customer_api.post_graphql(LOYALTY).json()["data"]["me"]
    kept = int((earned * (total - refunded) / total).to_integral_value(ROUND_FLOOR))
    assert after["loyalty"]["balance"] == kept
    entries = LedgerEntry.objects.filter(order_id=str(draft_order.pk))
    assert sorted(entry.points for entry in entries) == [kept - earned, earned]


def test_paying_twice_through_both_paid_hooks_earns_once(
    saleor_shop, draft_order, customer_user
):
    saleor_shop.complete_and_pay(draft_order)
    # Saleor may call order_paid and order_fully_paid for one payment.
    from saleor.plugins.manager import get_plugins_manager

    manager = get_plugins_manager(allow_replica=False)
    draft_order.refresh_from_db()
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        manager.order_paid(draft_order)
        manager.order_fully_paid(draft_order)

    earned = LedgerEntry.objects.filter(order_id=str(draft_order.pk), kind="earn")
    assert earned.count() == 1
    assert to_global_id("User", customer_user.pk)
