"""Importing CDNOW purchase records into the reference host."""

from datetime import UTC, datetime
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import F, Sum

from devhost.account.models import User
from devhost.shop.models import Order, OrderLine
from saleor_kinship.loyalty.models import LedgerEntry, LoyaltyAccount, LoyaltyOrder

# Sample format: master id, sample id, date, CDs, dollar value. Customer 4
# bought twice on 18 January with identical rows; customer 18's only
# purchase cost nothing.
SAMPLE_ROWS = """\
 00004 0001 19970101  2   29.33
 00004 0001 19970118  2   29.73
 00004 0001 19970118  2   29.73
 00004 0001 19970802  1   14.96
 00018 0002 19970101  1    0.00
 00021 0003 19970101  3   63.34
 00021 0003 19970113  1   11.77
"""

MASTER_ROWS = """\
 customer_id  date number_of_cds  dollar_value\r
 00001 19970101  1   11.77\r
 00002 19970112  1   12.00\r
 00002 19970112  5   77.00\r
"""


@pytest.fixture
def sample_file(tmp_path) -> Path:
    path = tmp_path / "CDNOW_sample.txt"
    path.write_text(SAMPLE_ROWS)
    return path


def run(*args, events=None) -> str:
    output = StringIO()
    if events is None:
        call_command("import_cdnow", *map(str, args), stdout=output)
    else:
        with events(execute=True):
            call_command("import_cdnow", *map(str, args), stdout=output)
    return output.getvalue()


def test_import_creates_customers_and_paid_orders_through_events(
    channel, sample_file, django_capture_on_commit_callbacks
):
    output = run(sample_file, events=django_capture_on_commit_callbacks)

    assert output.splitlines() == [
        "  3/3 customers, 7 new orders so far",
        "CDNOW import into default-channel: 3 customers (3 new), 7 purchases "
        "(7 new orders, 1 of them free).",
    ]
    emails = set(User.objects.values_list("email", flat=True))
    assert emails == {
        "cdnow-4@example.com",
        "cdnow-18@example.com",
        "cdnow-21@example.com",
    }
    lines = OrderLine.objects.filter(order__user__email="cdnow-4@example.com")
    assert sorted(lines.values_list("sku", "product_name", "unit_price")) == [
        ("cdnow-4-19970101-1", "2 CDs", Decimal("29.330")),
        ("cdnow-4-19970118-1", "2 CDs", Decimal("29.730")),
        ("cdnow-4-19970118-2", "2 CDs", Decimal("29.730")),
        ("cdnow-4-19970802-1", "1 CD", Decimal("14.960")),
    ]
    first = Order.objects.get(lines__sku="cdnow-4-19970101-1")
    assert first.created_at == datetime(1997, 1, 1, 12, tzinfo=UTC)
    assert (first.total, first.charged) == (Decimal("29.33"), Decimal("29.33"))

    # The events reached kinship: every order is a paid purchase there, and
    # each earned a point per dollar, except the free one.
    assert LoyaltyOrder.objects.filter(paid_amount=F("total")).count() == 7
    assert LoyaltyAccount.objects.count() == 3
    earned = dict(
        LedgerEntry.objects.filter(kind="earn")
        .values_list("order_id")
        .annotate(points=Sum("points"))
    )
    assert sorted(earned.values()) == [11, 14, 29, 29, 29, 63]
    free = Order.objects.get(lines__sku="cdnow-18-19970101-1")
    assert free.total == 0
    assert LoyaltyOrder.objects.get(order_id=str(free.id)).points_earned == 0


def test_running_the_import_again_imports_nothing_twice(
    channel, sample_file, django_capture_on_commit_callbacks
):
    run(sample_file, events=django_capture_on_commit_callbacks)

    output = run(sample_file, events=django_capture_on_commit_callbacks)

    assert output.splitlines()[-1] == (
        "CDNOW import into default-channel: 3 customers, 7 purchases "
        "(7 already imported)."
    )
    assert User.objects.count() == 3
    assert Order.objects.count() == 7
    assert LedgerEntry.objects.filter(kind="earn").count() == 6


def test_an_order_left_unpaid_by_a_broken_import_is_paid_on_the_next_run(
    channel, sample_file, django_capture_on_commit_callbacks
):
    run(sample_file, events=django_capture_on_commit_callbacks)
    order = Order.objects.get(lines__sku="cdnow-21-19970113-1")
    Order.objects.filter(pk=order.pk).update(charged=0)

    output = run(sample_file, events=django_capture_on_commit_callbacks)

    assert output.splitlines()[-1].endswith("7 already imported, 1 paid now).")
    order.refresh_from_db()
    assert order.charged == Decimal("11.77")
    assert Order.objects.count() == 7


def test_the_master_format_is_recognised_by_its_columns(channel, tmp_path):
    path = tmp_path / "CDNOW_master.txt"
    path.write_text(MASTER_ROWS)

    output = run(path, "--bulk")

    assert output.splitlines() == [
        "CDNOW import into default-channel: 2 customers (2 new), 3 purchases "
        "(3 new orders)."
    ]
    assert sorted(OrderLine.objects.values_list("sku", "product_name")) == [
        ("cdnow-1-19970101-1", "1 CD"),
        ("cdnow-2-19970112-1", "1 CD"),
        ("cdnow-2-19970112-2", "5 CDs"),
    ]


def test_a_bulk_import_sends_no_events_and_the_backfill_replays_it(
    channel, sample_file, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        output = run(sample_file, "--bulk", "--customers", 2)

    assert callbacks == []
    assert output.splitlines()[-1] == (
        "CDNOW import into default-channel: 2 customers (2 new), 5 purchases "
        "(5 new orders, 1 of them free)."
    )
    numbers = Order.objects.order_by("number").values_list("number", flat=True)
    assert list(numbers) == [1, 2, 3, 4, 5]
    assert not LoyaltyOrder.objects.exists()

    call_command("kinship_backfill", stdout=StringIO(), stderr=StringIO())
    assert LoyaltyOrder.objects.count() == 5
    assert LedgerEntry.objects.filter(kind="earn").count() == 4

    # The event path afterwards adds only the customer the slice left out.
    output = run(sample_file, events=django_capture_on_commit_callbacks)
    assert output.splitlines()[-1] == (
        "CDNOW import into default-channel: 3 customers (1 new), 7 purchases "
        "(2 new orders, 5 already imported)."
    )


@pytest.mark.parametrize(
    ("content", "arguments", "message"),
    [
        (
            " 00004 19970101  2\n",
            (),
            "CDNOW_sample.txt is not a CDNOW purchase file: line 1 has 3 "
            "columns, not 4 (master format) or 5 (sample format).",
        ),
        (
            " 00004 0001 19971301  2   29.33\n",
            (),
            "CDNOW_sample.txt line 1: expected a customer id, a YYYYMMDD date, "
            "a number of CDs and a dollar value.",
        ),
        (
            SAMPLE_ROWS,
            ("--format", "master"),
            "CDNOW_sample.txt line 1: expected 4 columns of the master format, "
            "found 5.",
        ),
        (
            SAMPLE_ROWS + " 00022 0004 19970101  1   12,50 €\n",
            (),
            "CDNOW_sample.txt is not a CDNOW purchase file: line 8 is not ASCII text.",
        ),
        ("", (), "CDNOW_sample.txt holds no purchases."),
        (SAMPLE_ROWS, ("--channel", "nowhere"), "No channel has the slug 'nowhere'."),
        (SAMPLE_ROWS, ("--customers", "0"), "--customers must be at least 1."),
    ],
)
def test_bad_input_is_refused_with_one_line(
    channel, tmp_path, content, arguments, message
):
    path = tmp_path / "CDNOW_sample.txt"
    path.write_text(content, encoding="utf-8")

    with pytest.raises(CommandError) as error:
        run(path, *arguments)

    assert str(error.value) == message
    assert not Order.objects.exists()


def test_a_missing_file_or_a_channel_in_another_currency_is_refused(
    channel, channel_pln, tmp_path
):
    with pytest.raises(CommandError, match=r"^Cannot read .*nothing\.txt: "):
        run(tmp_path / "nothing.txt")

    path = tmp_path / "CDNOW_sample.txt"
    path.write_text(SAMPLE_ROWS)
    with pytest.raises(CommandError) as error:
        run(path, "--channel", "channel-pln")
    assert str(error.value) == (
        "CDNOW values are in USD; channel channel-pln is in PLN."
    )
    assert not User.objects.exists()
