"""A customer with data in every kinship table, made through the public ways in.

Zoe ordered as a guest before she had an account, then registered, was
brought by the reseller Rita, ordered, became a reseller herself and brought
Carl; staff keep a profile, relatives, dates, gifts, follow-ups and notes
about her; Bob has her as his mother and gave her a gift; one event about
her failed for good.
"""

from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from saleor_kinship.core.processing import run_event
from saleor_kinship.core.requestor import Requestor
from saleor_kinship.graphql.core.ids import customer_global_id
from saleor_kinship.resellers import links, status
from saleor_kinship.resellers.models import ResellerStatus
from tests.emails.conftest import (  # noqa: F401
    inbox,
    mail_shop,
    smtp_down,
    smtp_server,
    use_smtp,
)

from .staff_actions import (
    DATE_CREATE,
    FOLLOW_UP_CREATE,
    GIFT_CREATE,
    INTERACTION_CREATE,
    PROFILE_UPDATE,
    RELATIVE_CREATE,
    mutate,
)

ZOE_EMAIL = "Zoe.Quixley@Example.com"
ZOE_NAME = ("Zoe", "Quixley")


@dataclass
class World:
    zoe: Any
    bob: Any
    carl: Any
    rita: Any
    guest_order: Any
    zoe_order: Any
    carl_order: Any


@pytest.fixture
def staff_requestor(staff_user) -> Requestor:
    return Requestor(user=staff_user, permissions=frozenset({"MANAGE_USERS"}))


def approved_reseller(customer: Any, staff: Requestor) -> Any:
    reseller = status.apply(customer, "I sell at the market.", Requestor(user=customer))
    return status.change_status(reseller.pk, ResellerStatus.APPROVED, "", staff)


@pytest.fixture
def world(request, channel, configure, staff_api, staff_requestor, run_events) -> World:
    # The shop sends its e-mails to a loopback SMTP server.
    shop = request.getfixturevalue("mail_shop")
    configure(
        channel,
        thank_you_guests=True,
        tiers="Bronze: 0, Silver: 50",
        # A merchant may print the reseller's name anywhere, the subject too.
        email_thank_you_subject=(
            "Thank you{{#if reseller.name}}, from {{reseller.name}} too{{/if}}!"
        ),
    )

    # A guest order under her address, before she had an account.
    guest_order = shop.place_order("20.00", email=ZOE_EMAIL.upper())
    shop.mark_paid(guest_order)

    zoe = shop.create_customer(ZOE_EMAIL, first_name=ZOE_NAME[0], last_name="Quixley")
    bob = shop.create_customer("bob@example.com", first_name="Bob", last_name="Ray")
    carl = shop.create_customer("carl@example.com", first_name="Carl")
    rita_customer = shop.create_customer("rita@example.com", first_name="Rita")

    # Rita brought Zoe; Zoe's order is credited to Rita.
    rita = run_events(approved_reseller, rita_customer, staff_requestor)
    links.link(zoe.pk, rita.pk, timezone.now(), staff_requestor)
    zoe_order = shop.place_order("80.00", customer=zoe, email=zoe.email)
    shop.mark_paid(zoe_order)

    # Zoe became a reseller and brought Carl.
    zoe_reseller = run_events(approved_reseller, zoe, staff_requestor)
    links.link(carl.pk, zoe_reseller.pk, timezone.now(), staff_requestor)
    carl_order = shop.place_order("40.00", customer=carl, email=carl.email)
    shop.mark_paid(carl_order)
    links.unlink(carl.pk, timezone.now(), staff_requestor)

    zoe_id, bob_id = customer_global_id(zoe.pk), customer_global_id(bob.pk)
    mutate(
        staff_api,
        PROFILE_UPDATE,
        customer=zoe_id,
        input={"notes": "Likes dark roast.", "tags": ["regular"]},
    )
    grandma = mutate(
        staff_api,
        RELATIVE_CREATE,
        customer=zoe_id,
        input={"relation": "parent", "name": "Grandma Quixley"},
    )["relative"]["id"]
    # Bob's mother is Zoe: one row on each side.
    bob_mother = mutate(
        staff_api,
        RELATIVE_CREATE,
        customer=bob_id,
        input={"relation": "parent", "relativeCustomer": zoe_id},
    )["relative"]["id"]
    gift_for_zoe = mutate(
        staff_api,
        GIFT_CREATE,
        customer=bob_id,
        input={"relative": bob_mother, "status": "GIVEN", "date": "2024-05-12"},
    )
    assert gift_for_zoe["gift"]["recipientName"] == "Zoe Quixley"
    mutate(
        staff_api,
        GIFT_CREATE,
        customer=zoe_id,
        input={"relative": grandma, "status": "PLANNED", "date": "2031-01-01"},
    )
    mutate(
        staff_api,
        DATE_CREATE,
        customer=zoe_id,
        input={
            "kind": "ANNIVERSARY",
            "label": "Shop anniversary",
            "day": 3,
            "month": 4,
        },
    )
    mutate(
        staff_api,
        FOLLOW_UP_CREATE,
        customer=zoe_id,
        input={"dueOn": "2031-02-01", "note": "Call Zoe about beans."},
    )
    mutate(
        staff_api,
        INTERACTION_CREATE,
        customer=zoe_id,
        input={"kind": "CALL", "summary": "Zoe asked about decaf."},
    )

    # An event about her that can never be processed is kept for an operator.
    run_event(
        "order",
        {
            "kind": "paid",
            "order": {
                "id": "lost-order",
                "number": "999",
                "customer_id": zoe.pk,
                "email": ZOE_EMAIL,
                "channel": channel.slug,
                "currency": "XXX",
                "total": "1.00",
                "paid": "1.00",
                "refunded": "0",
                "status": "unfulfilled",
                "created_at": timezone.now().isoformat(),
                "lines": [],
            },
        },
    )
    return World(zoe, bob, carl, rita, guest_order, zoe_order, carl_order)
