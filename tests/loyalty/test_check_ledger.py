import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from saleor_kinship.loyalty.models import LoyaltyAccount

ROOT = Path(__file__).resolve().parents[2]


def check() -> str:
    out = StringIO()
    call_command("kinship_check_ledger", stdout=out)
    return out.getvalue()


def test_a_consistent_ledger_is_summed_up_in_one_line(
    shop, customer, other_customer, paid_order, count_queries
):
    shop.refund(paid_order, "5.00")
    shop.mark_paid(shop.place_order("20.00", customer=other_customer))
    shop.mark_paid(shop.place_order("9.00", email="guest@example.com"))

    with count_queries() as queries:
        summary = check()

    assert summary == (
        "Ledger consistent: 2 account(s), 1 guest holder(s), 4 entries, 39 points.\n"
    )
    assert len(queries.captured_queries) == 1


def test_a_balance_that_differs_from_its_entries_is_named(
    shop, customer, other_customer, paid_order
):
    shop.mark_paid(shop.place_order("20.00", customer=other_customer))
    LoyaltyAccount.objects.filter(customer=other_customer).update(balance=21)
    LoyaltyAccount.objects.filter(customer=customer).update(lifetime_points=1)

    ids = sorted([customer.pk, other_customer.pk])
    with pytest.raises(CommandError) as refused:
        check()
    assert str(refused.value) == (
        f"Ledger mismatch: totals differ from the entries for 2 customer(s): "
        f"{ids[0]}, {ids[1]}"
    )


@pytest.mark.django_db(transaction=True)
def test_the_command_exits_1_on_a_mismatch(channel, customer):
    LoyaltyAccount.objects.create(customer=customer, balance=7)
    environment = {
        **os.environ,
        "DATABASE_URL": "postgres://{USER}@{HOST}:{PORT}/{NAME}".format(
            **settings.DATABASES["default"]
        ),
    }
    finished = subprocess.run(
        [sys.executable, "manage.py", "kinship_check_ledger"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert finished.returncode == 1
    assert finished.stderr == (
        "CommandError: Ledger mismatch: totals differ from the entries for "
        f"1 customer(s): {customer.pk}\n"
    )
