from dataclasses import replace

from saleor_kinship.loyalty.guests import held_points
from saleor_kinship.loyalty.models import GuestPoints, LedgerEntry, LoyaltyOrder

from .conftest import LOYALTY


def test_points_of_a_guest_order_wait_for_the_account_with_that_email(shop, ledger):
    order = shop.mark_paid(shop.place_order("42.00", email="Zoe@Example.com"))
    shop.refund(order, "2.00")

    held = held_points("zoe@example.com")
    assert (held.balance, held.lifetime_points) == (40, 40)

    zoe = shop.create_customer("zoe@example.COM")

    assert ledger.entries(zoe) == [("earn", 42), ("reverse", -2)]
    assert ledger.balance(zoe) == 40
    assert ledger.account(zoe).tier == "Bronze"
    assert held_points("zoe@example.com") is None
    assert not LedgerEntry.objects.filter(customer__isnull=True).exists()
    assert LoyaltyOrder.objects.get().customer == zoe


def test_after_attaching_a_refund_takes_points_from_the_account(shop, ledger):
    order = shop.mark_paid(shop.place_order("30.00", email="zoe@example.com"))
    zoe = shop.create_customer("zoe@example.com")

    shop.refund(order, "30.00")

    assert ledger.entries(zoe) == [("earn", 30), ("reverse", -30)]
    assert ledger.balance(zoe) == 0


def test_a_guest_order_with_an_accounts_email_earns_for_the_account(
    shop, customer, ledger, customer_api
):
    shop.mark_paid(shop.place_order("12.00", email="ANN@example.com"))

    assert ledger.entries(customer) == [("earn", 12)]
    assert customer_api.data(LOYALTY)["me"]["loyalty"]["balance"] == 12
    assert not GuestPoints.objects.exists()


def test_an_order_linked_to_its_customer_later_brings_its_points(
    shop, ledger, deliver, snapshot_of
):
    order = shop.mark_paid(shop.place_order("25.00", email="kim@example.com"))
    kim = shop.create_customer("kim.new@example.com")
    # The shop links the guest order to the account (as Saleor does when a
    # guest registers); the next event carries the customer.
    deliver("refunded", replace(snapshot_of(order), customer_id=kim.pk))

    assert ledger.entries(kim) == [("earn", 25)]
    assert held_points("kim@example.com") is None
    assert LoyaltyOrder.objects.get().customer == kim


def test_creating_an_account_without_held_points_stores_nothing(shop, ledger):
    newcomer = shop.create_customer("new@example.com")

    assert ledger.entries(newcomer) == []
    assert not GuestPoints.objects.exists()
