from decimal import Decimal

from django.db.models import Sum

from devhost.shop.models import Order
from saleor_kinship.core.events import handle_customer_event
from saleor_kinship.core.models import FailedEvent
from saleor_kinship.emails.models import Delivery
from saleor_kinship.interactions.models import Interaction
from saleor_kinship.loyalty.checks import check_ledger
from saleor_kinship.loyalty.models import (
    GuestPoints,
    LedgerEntry,
    LedgerEntryKind,
    LoyaltyAccount,
    LoyaltyOrder,
)
from saleor_kinship.privacy.erasure import erase_deleted_customer
from saleor_kinship.privacy.registry import (
    ERASED_RECIPIENT,
    ERASED_RESELLER_LINKED,
    ERASED_RESELLER_UNLINKED,
    MENTIONS,
    SECTIONS,
    Subject,
    registered_models,
)
from saleor_kinship.relationships.models import CustomerProfile, KinshipGift, Relative
from saleor_kinship.resellers.models import Attribution, CommissionEntry

from .conftest import ZOE_EMAIL
from .traces import kinship_models, traces_of


def hold_points_for(email: str, points: int) -> None:
    """Points held for a guest address, as a guest order that raced the
    registration of an account with that address leaves them."""
    LedgerEntry.objects.create(
        email=email.lower(),
        kind=LedgerEntryKind.EARN,
        points=points,
        occurred_at="2024-01-01T00:00:00Z",
        key=f"earn:held-{email}",
    )
    GuestPoints.objects.create(
        email=email.lower(), balance=points, lifetime_points=points
    )


def test_every_kinship_model_is_decided_for_erasure_and_export():
    undecided = sorted(
        model.__name__ for model in kinship_models() if model not in registered_models()
    )
    assert undecided == [], (
        f"{', '.join(undecided)}: list the model in saleor_kinship/privacy/"
        "registry.py (a Section or Mention saying what erasure does, or "
        "SHOP_LEVEL) and give it a row in tests/privacy/conftest.py"
    )


def test_the_customer_of_these_tests_has_rows_in_every_holding(world):
    hold_points_for(ZOE_EMAIL, 5)
    subject = Subject(world.zoe.pk, ZOE_EMAIL, name="Zoe Quixley")

    empty = [
        section.name for section in SECTIONS if not section.queryset(subject).exists()
    ]
    empty += [
        f"mention in {mention.model.__name__}"
        for mention in MENTIONS
        if not mention.queryset(subject).exists()
    ]

    assert empty == [], (
        f"Give Zoe data in {', '.join(empty)} (tests/privacy/conftest.py), so "
        "that the erasure test covers it"
    )


def test_deleting_a_customer_leaves_no_row_that_names_her(world, shop, inbox):
    zoe, zoe_id = world.zoe, world.zoe.pk
    hold_points_for(ZOE_EMAIL, 5)
    assert traces_of(zoe_id, ZOE_EMAIL, "Quixley") != []
    # She got her thank-you e-mails (one as a guest), and Carl's named her.
    recipients = [mail.envelope_to[0].lower() for mail in inbox.messages]
    assert recipients.count(ZOE_EMAIL.lower()) == 2
    (carl_mail,) = inbox.to("carl@example.com")
    assert carl_mail.subject == "Thank you, from Zoe Quixley too!"
    assert "Zoe Quixley is always glad to help" in carl_mail.text

    shop.delete_customer(zoe)

    assert traces_of(zoe_id, ZOE_EMAIL, "Quixley") == []


def test_what_stays_after_erasure_names_no_one(world, shop):
    rita_commission = CommissionEntry.objects.filter(reseller=world.rita)
    commission_before = rita_commission.aggregate(total=Sum("amount"))["total"]
    assert commission_before == Decimal("8.000")

    shop.delete_customer(world.zoe)

    # Rita keeps the commission on Zoe's order; the order says not whose.
    assert rita_commission.aggregate(total=Sum("amount"))["total"] == Decimal("8.000")
    attribution = Attribution.objects.get(order_id=str(world.zoe_order.pk))
    assert (attribution.reseller_id, attribution.customer_id) == (world.rita.pk, None)
    assert attribution.link_id is None
    # Bob keeps his gift, for a "(deleted customer)", and loses the relation.
    gift = KinshipGift.objects.get(customer=world.bob)
    assert (gift.recipient_name, gift.relative_id) == (ERASED_RECIPIENT, None)
    assert not Relative.objects.filter(customer=world.bob).exists()
    # The shop's purchase history keeps her orders, owned by no one and settled.
    orders = LoyaltyOrder.objects.filter(
        order_id__in=[str(world.guest_order.pk), str(world.zoe_order.pk)]
    )
    assert sorted(orders.values_list("total", flat=True)) == [
        Decimal("20.000"),
        Decimal("80.000"),
    ]
    assert set(orders.values_list("customer_id", "email", "points_earned")) == {
        (None, "", 0)
    }
    # Carl, whom she brought, keeps the facts on his timeline, not her name.
    carl_timeline = Interaction.objects.filter(customer=world.carl)
    summaries = carl_timeline.filter(kind="reseller_changed").values_list(
        "summary", flat=True
    )
    assert sorted(summaries) == [ERASED_RESELLER_LINKED, ERASED_RESELLER_UNLINKED]
    thank_you = carl_timeline.get(kind="thank_you_sent")
    assert thank_you.summary == "E-mail sent: Thank you, from [name removed] too!"
    assert "[name removed] is always glad to help" in thank_you.body
    delivery = Delivery.objects.get(customer=world.carl)
    assert delivery.subject == "Thank you, from [name removed] too!"
    # Everyone else is untouched, and the points still add up.
    assert CustomerProfile.objects.filter(customer=world.bob).exists()
    assert LoyaltyAccount.objects.get(customer=world.carl).balance == 40
    assert check_ledger().consistent


def test_late_events_for_her_orders_write_nothing_about_her(world, shop):
    zoe_id = world.zoe.pk
    shop.delete_customer(world.zoe)

    # Her orders stay in the shop under her address; refunds come later.
    shop.refund(Order.objects.get(pk=world.zoe_order.pk), "30.00")
    shop.cancel(Order.objects.get(pk=world.guest_order.pk))

    assert traces_of(zoe_id, ZOE_EMAIL, "Quixley") == []
    assert not FailedEvent.objects.exists()
    assert check_ledger().consistent


def test_a_deleted_event_for_a_customer_who_exists_erases_nothing(world):
    bob = world.bob

    handle_customer_event(
        {"kind": "deleted", "customer_id": bob.pk, "email": bob.email}
    )

    assert Relative.objects.filter(customer=bob).exists()
    assert KinshipGift.objects.get(customer=bob).recipient_name == "Zoe Quixley"


def test_rows_kept_by_address_stay_when_the_address_has_a_new_account(world, shop):
    zoe_id = world.zoe.pk
    shop.delete_customer(world.zoe)
    shop.create_customer(ZOE_EMAIL.lower())
    hold_points_for(ZOE_EMAIL, 5)

    # A late "deleted" event of the old account: the address is now another's.
    erase_deleted_customer(zoe_id, ZOE_EMAIL)

    assert GuestPoints.objects.get(email=ZOE_EMAIL.lower()).balance == 5


def test_erasing_twice_is_harmless(world, shop):
    zoe_id = world.zoe.pk
    shop.delete_customer(world.zoe)

    handle_customer_event(
        {"kind": "deleted", "customer_id": zoe_id, "email": ZOE_EMAIL}
    )

    assert traces_of(zoe_id, ZOE_EMAIL, "Quixley") == []
    assert not FailedEvent.objects.exists()
