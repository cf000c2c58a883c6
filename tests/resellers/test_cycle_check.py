"""The cycle check on a long chain of resellers, each brought by the one before."""

import time
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from saleor_kinship.graphql.core.ids import customer_global_id
from saleor_kinship.resellers.links import brought_by
from saleor_kinship.resellers.models import (
    Reseller,
    ResellerLink,
    ResellerStatus,
    ResellerStatusChange,
)

from .conftest import codes, reseller_gid
from .test_links import LINK

CHAIN_LENGTH = 1000


@pytest.fixture
def chain(db):
    """Return resellers r0..r1000 where r(i) brought r(i+1): 1,000 active links."""
    User = get_user_model()
    joined = timezone.now() - timedelta(days=30)
    users = User.objects.bulk_create(
        User(email=f"chain{index}@example.com", date_joined=joined)
        for index in range(CHAIN_LENGTH + 1)
    )
    resellers = Reseller.objects.bulk_create(
        Reseller(customer=user, status=ResellerStatus.APPROVED, commission_rate=10)
        for user in users
    )
    ResellerStatusChange.objects.bulk_create(
        ResellerStatusChange(reseller=reseller, status=ResellerStatus.APPROVED)
        for reseller in resellers
    )
    ResellerLink.objects.bulk_create(
        ResellerLink(
            customer=users[index + 1], reseller=resellers[index], valid_from=joined
        )
        for index in range(CHAIN_LENGTH)
    )
    return resellers


def test_the_cycle_check_walks_a_chain_of_1000_links_in_one_query(chain, count_queries):
    top, bottom = chain[0], chain[-1]

    with count_queries() as queries:
        started = time.perf_counter()
        found = brought_by(top.customer_id, bottom.customer_id)
        elapsed = time.perf_counter() - started

    assert found is True
    assert len(queries) == 1
    assert brought_by(bottom.customer_id, top.customer_id) is False
    print(f"\ncycle check over {CHAIN_LENGTH} links: {elapsed * 1000:.1f} ms")


def test_linking_the_top_of_a_1000_chain_under_its_bottom_is_refused(chain, staff_api):
    top, bottom = chain[0], chain[-1]
    variables = {
        "customer": customer_global_id(top.customer_id),
        "reseller": reseller_gid(bottom),
        "since": timezone.now().isoformat(),
    }

    staff_api.data("{ me { id } }")  # the first request of a process builds the schema
    started = time.perf_counter()
    payload = staff_api.data(LINK, variables)["kinshipResellerLink"]
    elapsed = time.perf_counter() - started

    assert codes(payload) == [("resellerId", "CYCLE")]
    assert not ResellerLink.objects.filter(customer_id=top.customer_id).exists()
    print(
        f"\nlink refused over {CHAIN_LENGTH} links, whole request: "
        f"{elapsed * 1000:.1f} ms"
    )


def test_a_newcomer_can_join_under_the_bottom_of_a_1000_chain(chain, staff_api, shop):
    newcomer = shop.create_customer("new@example.com")

    payload = staff_api.data(
        LINK,
        {
            "customer": customer_global_id(newcomer.pk),
            "reseller": reseller_gid(chain[-1]),
            "since": timezone.now().isoformat(),
        },
    )["kinshipResellerLink"]

    assert payload["errors"] == []
    assert payload["link"]["isActive"] is True
