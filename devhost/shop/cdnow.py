"""The CDNOW purchase records as customers and paid orders of the reference host.

Each CDNOW customer becomes a customer ``cdnow-<id>@example.com`` (the master
file's id, which the sample keeps in its first column) and each purchase row
one order placed at noon UTC on its date, with one line "N CDs" at the row's
dollar value, paid in full. A purchase's identity is kept in its line's SKU,
``cdnow-<customer>-<YYYYMMDD>-<n>`` where n counts the customer's rows of that
day in file order, so importing a file again adds only what is missing.

Rows of 0.00 become orders with a total of 0, marked paid: they are purchases
(the papers count them) that earn no points.
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models import Max

from devhost.account.customers import create_customer
from devhost.account.models import User

from .models import Channel, Order, OrderLine
from .orders import ORDER_NUMBER_LOCK, LineInput, mark_paid, place_order

FORMATS = ("sample", "master")
# Columns of each file format, by name; both are separated by whitespace.
COLUMNS = {
    "master": ("customer", "date", "cds", "value"),
    "sample": ("customer", "sample_customer", "date", "cds", "value"),
}
SKU_PREFIX = "cdnow-"
CURRENCY = "USD"
BULK_BATCH_SIZE = 5000


class CdnowImportError(ValueError):
    """A CDNOW file could not be read or imported; the message says why."""


@dataclass(frozen=True)
class Purchase:
    """One row of a CDNOW file."""

    customer: int
    day: date
    cds: int
    value: Decimal
    # 1 for the customer's first row on that day, 2 for the second, ...
    occurrence: int

    @property
    def sku(self) -> str:
        return f"{SKU_PREFIX}{self.customer}-{self.day:%Y%m%d}-{self.occurrence}"

    @property
    def email(self) -> str:
        return customer_email(self.customer)

    @property
    def placed_at(self) -> datetime:
        return datetime.combine(self.day, time(12), tzinfo=UTC)

    def line(self) -> LineInput:
        name = f"{self.cds} CD" if self.cds == 1 else f"{self.cds} CDs"
        return LineInput(name, 1, self.value, sku=self.sku)


@dataclass
class ImportSummary:
    customers: int = 0
    new_customers: int = 0
    purchases: int = 0
    new_orders: int = 0
    # Orders found placed but unpaid (an import stopped between the two steps).
    paid_now: int = 0
    free_orders: int = 0

    def describe(self, channel: Channel) -> str:
        """Say what was imported in one line; clauses of nothing are left out."""
        customers = _count(self.customers, "customer")
        if self.new_customers:
            customers += f" ({self.new_customers:,} new)"
        clauses = []
        if self.new_orders:
            clauses.append(_count(self.new_orders, "new order"))
            if self.free_orders:
                clauses.append(f"{self.free_orders:,} of them free")
        if self.purchases - self.new_orders:
            clauses.append(f"{self.purchases - self.new_orders:,} already imported")
        if self.paid_now:
            clauses.append(f"{self.paid_now:,} paid now")
        purchases = _count(self.purchases, "purchase")
        if clauses:
            purchases += f" ({', '.join(clauses)})"
        return f"CDNOW import into {channel.slug}: {customers}, {purchases}."


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}" + ("" if number == 1 else "s")


def customer_email(cdnow_id: int) -> str:
    return f"cdnow-{cdnow_id}@example.com"


def read_purchases(
    path: Path, file_format: str | None = None, *, customers: int | None = None
) -> list[Purchase]:
    """Read a CDNOW file; the format is guessed from its columns when not given.

    With ``customers``, only the rows of the file's first that many customers
    (in order of first appearance) are returned.
    """
    if file_format is not None and file_format not in FORMATS:
        raise CdnowImportError(f"Unknown CDNOW format '{file_format}'.")
    try:
        content = path.read_bytes()
    except OSError as error:
        raise CdnowImportError(f"Cannot read {path}: {error.strerror or error}.")
    rows = list(_parse(content.splitlines(), path.name, file_format))
    if not rows:
        raise CdnowImportError(f"{path.name} holds no purchases.")

    kept: set[int] = set()
    seen_today: dict[tuple[int, date], int] = {}
    purchases = []
    for customer, day, cds, value in rows:
        if customers is not None and customer not in kept:
            if len(kept) == customers:
                continue
            kept.add(customer)
        occurrence = seen_today.get((customer, day), 0) + 1
        seen_today[customer, day] = occurrence
        purchases.append(Purchase(customer, day, cds, value, occurrence))
    return purchases


def _parse(
    lines: Iterable[bytes], name: str, file_format: str | None
) -> Iterator[tuple[int, date, int, Decimal]]:
    for number, raw in enumerate(lines, start=1):
        try:
            fields = raw.decode("ascii").split()
        except UnicodeDecodeError:
            raise CdnowImportError(
                f"{name} is not a CDNOW purchase file: line {number} is not ASCII text."
            ) from None
        if not fields:
            continue
        if number == 1 and not fields[0].isdigit():
            # The master file's header line.
            continue
        if file_format is None:
            guessed = {len(names): name for name, names in COLUMNS.items()}
            if len(fields) not in guessed:
                raise CdnowImportError(
                    f"{name} is not a CDNOW purchase file: line {number} has "
                    f"{_count(len(fields), 'column')}, not 4 (master format) or "
                    "5 (sample format)."
                )
            file_format = guessed[len(fields)]
        columns = COLUMNS[file_format]
        if len(fields) != len(columns):
            raise CdnowImportError(
                f"{name} line {number}: expected {len(columns)} columns of the "
                f"{file_format} format, found {len(fields)}."
            )
        row = dict(zip(columns, fields, strict=True))
        try:
            day = datetime.strptime(row["date"], "%Y%m%d").date()
            value = Decimal(row["value"])
            purchase = (int(row["customer"]), day, int(row["cds"]), value)
        except (ValueError, InvalidOperation):
            raise CdnowImportError(
                f"{name} line {number}: expected a customer id, a YYYYMMDD date, "
                "a number of CDs and a dollar value."
            )
        if not value.is_finite() or value < 0 or purchase[2] < 0:
            raise CdnowImportError(f"{name} line {number}: negative or bad amount.")
        yield purchase


def _by_customer(purchases: Iterable[Purchase]) -> dict[int, list[Purchase]]:
    grouped: dict[int, list[Purchase]] = {}
    for purchase in purchases:
        grouped.setdefault(purchase.customer, []).append(purchase)
    return grouped


def _existing_customers() -> dict[str, int]:
    customers = User.objects.filter(
        email__startswith="cdnow-", email__endswith="@example.com"
    )
    return dict(customers.values_list("email", "pk"))


def _imported_orders(channel: Channel) -> dict[str, tuple[str, bool]]:
    """Return sku -> (order id, paid in full) of the CDNOW orders of a channel."""
    lines = OrderLine.objects.filter(sku__startswith=SKU_PREFIX, order__channel=channel)
    rows = lines.values_list("sku", "order_id", "order__charged", "order__total")
    return {
        sku: (str(order_id), charged >= total) for sku, order_id, charged, total in rows
    }


def import_purchases(
    purchases: list[Purchase],
    channel: Channel,
    *,
    progress: Callable[[int, int, ImportSummary], None] | None = None,
    progress_every: int = 250,
) -> ImportSummary:
    """Create what is missing through the host's actions, which emit events.

    Each customer is created like customerCreate, each purchase placed then
    marked paid, so kinship sees the same events a live shop sends.
    """
    _check_channel(channel)
    grouped = _by_customer(purchases)
    known = _existing_customers()
    imported = _imported_orders(channel)
    summary = ImportSummary(customers=len(grouped), purchases=len(purchases))

    for done, (cdnow_id, bought) in enumerate(grouped.items(), start=1):
        email = customer_email(cdnow_id)
        customer: User | None = None
        if email not in known:
            customer = create_customer(email)
            summary.new_customers += 1
        for purchase in bought:
            if purchase.sku in imported:
                order_id, paid = imported[purchase.sku]
                if not paid:
                    mark_paid(Order.objects.select_related("channel").get(pk=order_id))
                    summary.paid_now += 1
                continue
            if customer is None:
                customer = User.objects.get(pk=known[email])
            order = place_order(
                channel,
                [purchase.line()],
                customer=customer,
                created_at=purchase.placed_at,
            )
            mark_paid(order)
            summary.new_orders += 1
            if purchase.value == 0:
                summary.free_orders += 1
        if progress and (done % progress_every == 0 or done == len(grouped)):
            progress(done, len(grouped), summary)
    return summary


@transaction.atomic
def bulk_import(
    purchases: list[Purchase], channel: Channel, batch_size: int = BULK_BATCH_SIZE
) -> ImportSummary:
    """Insert what is missing with bulk inserts and no events.

    This is how a shop's past looks to kinship when it is installed: orders
    exist that it never saw; ``kinship_backfill`` replays them.
    """
    _check_channel(channel)
    grouped = _by_customer(purchases)
    known = _existing_customers()
    imported = _imported_orders(channel)
    summary = ImportSummary(customers=len(grouped), purchases=len(purchases))

    # Every bulk customer shares one unusable password: none of them can sign
    # in, as with create_user(password=None), without hashing 20,000 times.
    unusable = make_password(None)
    new_customers = [
        User(email=customer_email(cdnow_id), password=unusable)
        for cdnow_id in grouped
        if customer_email(cdnow_id) not in known
    ]
    User.objects.bulk_create(new_customers, batch_size=batch_size)
    known.update((customer.email, customer.pk) for customer in new_customers)
    summary.new_customers = len(new_customers)

    missing = [purchase for purchase in purchases if purchase.sku not in imported]
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ORDER_NUMBER_LOCK])
    next_number = (Order.objects.aggregate(n=Max("number"))["n"] or 0) + 1
    orders = [
        Order(
            number=next_number + index,
            user_id=known[purchase.email],
            user_email=purchase.email,
            channel=channel,
            currency=channel.currency,
            total=purchase.value,
            charged=purchase.value,
            created_at=purchase.placed_at,
        )
        for index, purchase in enumerate(missing)
    ]
    Order.objects.bulk_create(orders, batch_size=batch_size)
    OrderLine.objects.bulk_create(
        (
            OrderLine(
                order=order,
                product_name=line.product_name,
                sku=line.sku,
                quantity=line.quantity,
                unit_price=line.unit_price,
            )
            for order, line in zip(orders, (p.line() for p in missing), strict=True)
        ),
        batch_size=batch_size,
    )
    summary.new_orders = len(orders)
    summary.free_orders = sum(purchase.value == 0 for purchase in missing)
    return summary


def _check_channel(channel: Channel) -> None:
    if channel.currency != CURRENCY:
        raise CdnowImportError(
            f"CDNOW values are in {CURRENCY}; channel {channel.slug} is in "
            f"{channel.currency}."
        )
