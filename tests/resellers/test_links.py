from datetime import UTC, datetime, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from saleor_kinship.graphql.core.ids import customer_global_id
from saleor_kinship.interactions.models import Interaction
from saleor_kinship.resellers.models import ResellerLink

from .conftest import codes, reseller_gid

LINK = """
mutation Link($customer: ID!, $reseller: ID!, $since: DateTime!) {
  kinshipResellerLink(customerId: $customer, resellerId: $reseller, since: $since) {
    link {
      isActive validFrom validTo
      customer { email }
      reseller { customer { email } }
    }
    errors { field code message }
  }
}
"""

UNLINK = """
mutation Unlink($customer: ID!, $until: DateTime!) {
  kinshipResellerUnlink(customerId: $customer, until: $until) {
    link { isActive validTo }
    errors { field code message }
  }
}
"""

LINKS_OF = """
query($id: ID!) {
  customer(id: $id) {
    resellerLinks { isActive validFrom validTo reseller { customer { email } } }
  }
}
"""


ACTIVE_LINKS = """
query($id: ID!) {
  kinshipReseller(id: $id) {
    customersBrought
    links(first: 5, active: true) { edges { node { isActive validTo } } }
  }
}
"""


def joined_long_ago(customer):
    """Date the customer's account back, so links can start before today."""
    customer.date_joined = datetime(2025, 12, 1, tzinfo=UTC)
    customer.save()


def link_variables(customer, reseller, since=None):
    return {
        "customer": customer_global_id(customer.pk),
        "reseller": reseller_gid(reseller),
        "since": (since or timezone.now()).isoformat(),
    }


def test_staff_link_a_customer_to_an_approved_reseller(staff_api, customer, rita):
    since = timezone.now()

    payload = staff_api.data(LINK, link_variables(customer, rita, since))

    assert payload["kinshipResellerLink"] == {
        "link": {
            "isActive": True,
            "validFrom": since.isoformat(),
            "validTo": None,
            "customer": {"email": "ann@example.com"},
            "reseller": {"customer": {"email": "rita@example.com"}},
        },
        "errors": [],
    }


def test_relinking_closes_the_old_link_at_that_moment_and_keeps_it(
    staff_api, customer, rita, make_reseller
):
    sara = make_reseller("sara@example.com", first_name="Sara")
    joined_long_ago(customer)
    first = timezone.now() - timedelta(hours=3)
    second = first + timedelta(hours=2)
    staff_api.data(LINK, link_variables(customer, rita, first))

    payload = staff_api.data(LINK, link_variables(customer, sara, second))

    assert payload["kinshipResellerLink"]["errors"] == []
    history = staff_api.data(LINKS_OF, {"id": customer_global_id(customer.pk)})
    assert history["customer"]["resellerLinks"] == [
        {
            "isActive": True,
            "validFrom": second.isoformat(),
            "validTo": None,
            "reseller": {"customer": {"email": "sara@example.com"}},
        },
        {
            "isActive": False,
            "validFrom": first.isoformat(),
            "validTo": second.isoformat(),
            "reseller": {"customer": {"email": "rita@example.com"}},
        },
    ]


def test_a_customer_has_at_most_one_active_link_in_the_database(
    customer, rita, make_reseller, link_customer
):
    sara = make_reseller("sara@example.com")
    link_customer(customer, rita)

    with pytest.raises(IntegrityError), transaction.atomic():
        ResellerLink.objects.create(
            customer=customer, reseller=sara, valid_from=timezone.now()
        )


def test_link_and_unlink_are_on_both_timelines_without_naming_the_customer(
    staff_api, customer, rita
):
    staff_api.data(LINK, link_variables(customer, rita))
    staff_api.data(
        UNLINK,
        {
            "customer": customer_global_id(customer.pk),
            "until": timezone.now().isoformat(),
        },
    )

    link = ResellerLink.objects.get()
    on_customer = Interaction.objects.filter(customer=customer).order_by("pk")
    on_rita = Interaction.objects.filter(
        customer=rita.customer, key__startswith="reseller:link:"
    ).order_by("pk")
    today = timezone.now().date().isoformat()
    assert [(entry.key, entry.summary) for entry in on_customer] == [
        (
            f"reseller:link:{link.pk}:customer",
            f"Brought by Rita (reseller #{rita.pk}) from {today}",
        ),
        (
            f"reseller:link:{link.pk}:closed:customer",
            f"No longer brought by Rita (reseller #{rita.pk}) from {today}",
        ),
    ]
    assert [(entry.key, entry.summary) for entry in on_rita] == [
        (
            f"reseller:link:{link.pk}:reseller",
            f"A customer was linked to her from {today} (link #{link.pk})",
        ),
        (
            f"reseller:link:{link.pk}:closed:reseller",
            f"A customer's link to her ended on {today} (link #{link.pk})",
        ),
    ]
    assert all(entry.kind == "reseller_changed" for entry in [*on_customer, *on_rita])


def test_unlink_ends_the_active_link(staff_api, customer, rita, link_customer):
    link_customer(customer, rita)
    until = timezone.now()

    payload = staff_api.data(
        UNLINK,
        {"customer": customer_global_id(customer.pk), "until": until.isoformat()},
    )

    assert payload["kinshipResellerUnlink"] == {
        "link": {"isActive": False, "validTo": until.isoformat()},
        "errors": [],
    }
    assert staff_api.data(ACTIVE_LINKS, {"id": reseller_gid(rita)}) == {
        "kinshipReseller": {"customersBrought": 0, "links": {"edges": []}}
    }


def test_an_unlink_at_a_later_moment_is_refused(
    staff_api, customer, rita, link_customer
):
    link = link_customer(customer, rita)
    later = timezone.now() + timedelta(hours=20)

    payload = staff_api.data(
        UNLINK,
        {"customer": customer_global_id(customer.pk), "until": later.isoformat()},
    )

    assert payload["kinshipResellerUnlink"] == {
        "link": None,
        "errors": [
            {
                "field": "until",
                "code": "INVALID",
                "message": "An unlink ends the link now or at a past moment, "
                "not later.",
            }
        ],
    }
    # The link runs on, and shows so.
    link.refresh_from_db()
    assert link.valid_to is None
    assert staff_api.data(ACTIVE_LINKS, {"id": reseller_gid(rita)}) == {
        "kinshipReseller": {
            "customersBrought": 1,
            "links": {"edges": [{"node": {"isActive": True, "validTo": None}}]},
        }
    }


def test_unlinking_a_customer_without_a_reseller_is_refused(staff_api, customer):
    payload = staff_api.data(
        UNLINK,
        {
            "customer": customer_global_id(customer.pk),
            "until": timezone.now().isoformat(),
        },
    )
    assert codes(payload["kinshipResellerUnlink"]) == [("customerId", "NOT_FOUND")]


def test_a_link_cannot_end_before_it_began(staff_api, customer, rita, link_customer):
    link = link_customer(customer, rita)

    payload = staff_api.data(
        UNLINK,
        {
            "customer": customer_global_id(customer.pk),
            "until": (link.valid_from - timedelta(seconds=1)).isoformat(),
        },
    )

    assert codes(payload["kinshipResellerUnlink"]) == [("until", "OUT_OF_RANGE")]
    link.refresh_from_db()
    assert link.valid_to is None


def refused(staff_api, variables):
    """Run a link that must be refused; check nothing was stored."""
    links_before = ResellerLink.objects.count()
    entries_before = Interaction.objects.count()
    payload = staff_api.data(LINK, variables)["kinshipResellerLink"]
    assert payload["link"] is None
    assert ResellerLink.objects.count() == links_before
    assert Interaction.objects.count() == entries_before
    return codes(payload)


def test_linking_to_a_customer_who_is_not_an_approved_reseller_is_refused(
    staff_api, customer, other_customer, rita, staff_requestor
):
    from saleor_kinship.resellers import status
    from saleor_kinship.resellers.models import ResellerStatus

    status.change_status(rita.pk, ResellerStatus.SUSPENDED, "Pause", staff_requestor)

    assert refused(staff_api, link_variables(customer, rita)) == [
        ("resellerId", "INVALID_STATE")
    ]


def test_linking_to_a_customer_who_never_applied_is_refused(
    staff_api, customer, other_customer
):
    variables = {
        "customer": customer_global_id(customer.pk),
        "reseller": customer_global_id(other_customer.pk),
        "since": timezone.now().isoformat(),
    }
    assert refused(staff_api, variables) == [("resellerId", "INVALID")]


def test_a_reseller_cannot_be_linked_under_herself(staff_api, rita):
    assert refused(staff_api, link_variables(rita.customer, rita)) == [
        ("resellerId", "CYCLE")
    ]


def test_a_reseller_cannot_be_linked_under_a_customer_she_brought(
    staff_api, rita, make_reseller, link_customer
):
    sara = make_reseller("sara@example.com")
    tina = make_reseller("tina@example.com")
    link_customer(sara.customer, rita)  # Rita brought Sara
    link_customer(tina.customer, sara)  # Sara brought Tina

    assert refused(staff_api, link_variables(rita.customer, sara)) == [
        ("resellerId", "CYCLE")
    ]
    assert refused(staff_api, link_variables(rita.customer, tina)) == [
        ("resellerId", "CYCLE")
    ]


def test_a_closed_link_does_not_count_as_a_cycle(
    staff_api, rita, make_reseller, link_customer, staff_requestor
):
    from saleor_kinship.resellers import links

    sara = make_reseller("sara@example.com")
    link_customer(sara.customer, rita)
    links.unlink(sara.customer.pk, timezone.now(), staff_requestor)

    payload = staff_api.data(LINK, link_variables(rita.customer, sara))

    assert payload["kinshipResellerLink"]["errors"] == []


def test_a_link_cannot_start_before_the_customer_existed(staff_api, customer, rita):
    before = customer.date_joined - timedelta(minutes=1)
    assert refused(staff_api, link_variables(customer, rita, before)) == [
        ("since", "OUT_OF_RANGE")
    ]


@pytest.mark.parametrize("ahead", [timedelta(minutes=6), timedelta(hours=23)])
def test_a_link_cannot_start_at_a_later_moment(
    staff_api, customer, rita, make_reseller, link_customer, ahead
):
    later = timezone.now() + ahead
    assert refused(staff_api, link_variables(customer, rita, later)) == [
        ("since", "INVALID")
    ]

    # Nor move her to another reseller then: her link would show as ended early.
    sara = make_reseller("sara@example.com")
    link_customer(customer, rita)
    assert refused(staff_api, link_variables(customer, sara, later)) == [
        ("since", "INVALID")
    ]


def test_a_moment_a_little_ahead_is_a_fast_clock_and_taken_as_now(
    staff_api, customer, rita
):
    sent = timezone.now() + timedelta(minutes=2)

    payload = staff_api.data(LINK, link_variables(customer, rita, sent))

    assert payload["kinshipResellerLink"]["errors"] == []
    [link] = ResellerLink.objects.filter(customer=customer)
    assert link.valid_from < sent
    assert link.valid_from <= timezone.now()


def test_a_new_link_cannot_start_before_her_current_one(
    staff_api, customer, rita, make_reseller, link_customer
):
    sara = make_reseller("sara@example.com")
    joined_long_ago(customer)
    started = datetime(2026, 1, 5, 9, 30, tzinfo=UTC)
    link_customer(customer, rita, started)

    payload = staff_api.data(
        LINK, link_variables(customer, sara, started - timedelta(minutes=30))
    )

    assert payload["kinshipResellerLink"]["errors"] == [
        {
            "field": "since",
            "code": "OUT_OF_RANGE",
            "message": "The new link cannot start before her current link, which "
            "began at 2026-01-05T09:30:00+00:00; history is not rewritten.",
        }
    ]


def test_a_new_link_cannot_overlap_her_previous_one(
    staff_api, customer, rita, make_reseller, link_customer, staff_requestor
):
    from saleor_kinship.resellers import links

    sara = make_reseller("sara@example.com")
    joined_long_ago(customer)
    link_customer(customer, rita, datetime(2026, 1, 5, 9, 30, tzinfo=UTC))
    links.unlink(customer.pk, datetime(2026, 2, 1, 12, 0, tzinfo=UTC), staff_requestor)

    overlapping = datetime(2026, 1, 20, tzinfo=UTC)
    payload = staff_api.data(LINK, link_variables(customer, sara, overlapping))

    assert payload["kinshipResellerLink"]["errors"] == [
        {
            "field": "since",
            "code": "OUT_OF_RANGE",
            "message": "The new link would overlap her previous link, valid until "
            "2026-02-01T12:00:00+00:00; start it then or later.",
        }
    ]
    after = datetime(2026, 2, 1, 12, 0, tzinfo=UTC)
    payload = staff_api.data(LINK, link_variables(customer, sara, after))
    assert payload["kinshipResellerLink"]["errors"] == []


def test_linking_again_to_the_same_reseller_is_refused(
    staff_api, customer, rita, link_customer
):
    link_customer(customer, rita)
    assert refused(staff_api, link_variables(customer, rita)) == [
        ("resellerId", "INVALID_STATE")
    ]


def test_a_time_without_offset_is_read_in_the_shops_time_zone(
    staff_api, customer, rita, configure, channel
):
    configure(channel, time_zone="Europe/Warsaw")
    customer.date_joined = datetime(2020, 1, 1, tzinfo=UTC)
    customer.save()

    payload = staff_api.data(
        LINK,
        {**link_variables(customer, rita), "since": "2025-07-01T00:00:00"},
    )

    assert payload["kinshipResellerLink"]["errors"] == []
    link = ResellerLink.objects.get()
    assert link.valid_from.isoformat() == "2025-06-30T22:00:00+00:00"


@pytest.mark.parametrize(
    "client_fixture", ["customer_api", "staff_api_without_permission"]
)
def test_linking_needs_manage_users(request, customer, rita, client_fixture):
    api = request.getfixturevalue(client_fixture)
    body = api.query(LINK, link_variables(customer, rita))
    assert body["errors"][0]["extensions"]["exception"]["code"] == "PERMISSION_DENIED"
    assert not ResellerLink.objects.exists()
