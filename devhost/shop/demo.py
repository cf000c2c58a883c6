"""The demo's summary: what kinship made of the shop, in terms a merchant reads.

The summary is a list of sections, each built by one small function from the
database. A domain adds its part by writing one more function that returns a
`Section` and listing it in `SECTIONS`.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.db.models import Count, F, Q, Sum

from devhost.account.models import User
from saleor_kinship.core.host import get_host
from saleor_kinship.loyalty.models import GuestPoints, LedgerEntry, LoyaltyAccount
from saleor_kinship.loyalty.rfm import Segment
from saleor_kinship.loyalty.scoring_models import PredictionFit

from .models import Channel, Order

TOP_CUSTOMERS = 5


@dataclass(frozen=True)
class Section:
    """A titled table: the first column is a label, the others are figures."""

    title: str
    rows: Sequence[Sequence[str]]
    header: Sequence[str] = ()
    notes: Sequence[str] = field(default_factory=tuple)


def money(amount: Decimal | float | None, currency: str) -> str:
    return "-" if amount is None else f"{currency} {amount:,.2f}"


def number(value: int) -> str:
    return f"{value:,}"


def shop_section(channel: Channel) -> Section:
    orders = Order.objects.filter(channel=channel)
    totals = orders.aggregate(
        count=Count("pk"), revenue=Sum(F("charged") - F("refunded"))
    )
    customers = User.objects.filter(is_staff=False).count()
    return Section(
        "Shop",
        [
            ("Customers", number(customers)),
            ("Orders", number(totals["count"])),
            ("Revenue", money(totals["revenue"] or Decimal(0), channel.currency)),
        ],
    )


def points_section(channel: Channel) -> Section:
    entries = LedgerEntry.objects.aggregate(
        issued=Sum("points", filter=Q(points__gt=0)),
        taken_back=Sum("points", filter=Q(points__lt=0)),
    )
    # Points held for guests' e-mails are owed too.
    outstanding = sum(
        holders.aggregate(total=Sum("balance"))["total"] or 0
        for holders in (LoyaltyAccount.objects.all(), GuestPoints.objects.all())
    )
    return Section(
        "Loyalty points",
        [
            ("Issued", number(entries["issued"] or 0)),
            ("Taken back or expired", number(-(entries["taken_back"] or 0))),
            ("Outstanding", number(outstanding)),
        ],
    )


def tiers_section(channel: Channel) -> Section:
    tiers = get_host().programme_settings().tiers
    counts = dict(
        LoyaltyAccount.objects.values_list("tier").annotate(customers=Count("pk"))
    )
    rows = [
        (
            tier.name,
            f"{number(tier.threshold)} points",
            number(counts.pop(tier.name, 0)),
        )
        for tier in reversed(tiers)
    ]
    # Tiers the merchant has since renamed or removed, then no tier at all.
    no_tier = counts.pop("", 0)
    rows += [(name, "no longer offered", number(n)) for name, n in counts.items()]
    if no_tier:
        rows.append(("No tier yet", "", number(no_tier)))
    return Section("Customers per tier", rows, header=("tier", "from", "customers"))


def segments_section(channel: Channel) -> Section:
    counts = dict(
        LoyaltyAccount.objects.exclude(rfm_segment="")
        .values_list("rfm_segment")
        .annotate(customers=Count("pk"))
    )
    scored = sum(counts.values())
    rows = [
        (
            segment.value.replace("_", " "),
            number(counts[segment.value]),
            f"{100 * counts[segment.value] / scored:.1f} %",
        )
        for segment in Segment
        if counts.get(segment.value)
    ]
    return Section(
        "Customers per RFM segment", rows, header=("segment", "customers", "share")
    )


def model_section(channel: Channel) -> Section:
    title = "What the purchase model expects"
    fit = PredictionFit.objects.filter(currency=channel.currency).first()
    if fit is None:
        return Section(
            title, [], notes=["No model yet: the history is too short to fit one."]
        )
    recent = Order.objects.filter(
        channel=channel,
        created_at__date__gt=fit.as_of - timedelta(days=90),
        created_at__date__lte=fit.as_of,
    ).count()
    expected = LoyaltyAccount.objects.filter(
        predicted_value_currency=channel.currency
    ).aggregate(
        orders=Sum("expected_purchases_90d"), spending=Sum("predicted_value_12m")
    )
    rows = [
        ("Orders in the last 90 days", number(recent)),
        ("Orders expected in the next 90 days", number(round(expected["orders"] or 0))),
        (
            "Spending expected in the next 12 months",
            money(expected["spending"] or Decimal(0), channel.currency),
        ),
    ]
    if fit.p is not None and fit.q is not None and fit.v is not None and fit.q > 1:
        # The Gamma-Gamma model's mean spend per order.
        typical = fit.p * fit.v / (fit.q - 1)
        rows.append(
            ("Typical order of a repeat customer", money(typical, fit.currency))
        )
    notes = [
        f"From the purchases of {number(fit.customers)} customers up to "
        f"{fit.as_of}, the day scored.",
    ]
    if not fit.converged:
        notes.append("The model did not settle; read these figures as rough.")
    notes.append(
        f"For analysts: BG/NBD r {fit.r:.3g}, alpha {fit.alpha:.3g}/week, "
        f"a {fit.a:.3g}, b {fit.b:.3g}, log-likelihood {fit.log_likelihood:,.1f}."
    )
    if fit.p is not None:
        notes.append(
            f"Gamma-Gamma spend, {number(fit.gg_customers)} repeat customers: "
            f"p {fit.p:.3g}, q {fit.q:.3g}, v {fit.v:.3g}."
        )
    return Section(title, rows, notes=notes)


def top_customers_section(channel: Channel) -> Section:
    accounts = (
        LoyaltyAccount.objects.filter(predicted_value_12m__isnull=False)
        .select_related("customer")
        .order_by("-predicted_value_12m", "customer_id")[:TOP_CUSTOMERS]
    )
    rows = [
        (
            # The e-mail finds her in the API's customer search and in
            # kinship_export_customer.
            account.customer.email,
            money(account.predicted_value_12m, account.predicted_value_currency),
            f"{100 * (account.p_alive or 0):.0f} %",
            f"{account.expected_purchases_90d:.1f}",
            account.rfm_segment.replace("_", " "),
        )
        for account in accounts
    ]
    return Section(
        f"Top {TOP_CUSTOMERS} customers by expected spending in the next 12 months",
        rows,
        header=(
            "customer",
            "spending",
            "still buying",
            "orders expected in 90 days",
            "segment",
        ),
    )


SECTIONS: list[Callable[[Channel], Section]] = [
    shop_section,
    points_section,
    tiers_section,
    segments_section,
    model_section,
    top_customers_section,
]


def render(sections: Sequence[Section]) -> str:
    """Lay the sections out as aligned plain-text tables."""
    blocks = []
    for section in sections:
        lines = [section.title, "-" * len(section.title)]
        table = [tuple(row) for row in section.rows]
        if section.header:
            table.insert(0, tuple(section.header))
        if table:
            widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
            for row in table:
                cells = [
                    cell.ljust(width) if index == 0 else cell.rjust(width)
                    for index, (cell, width) in enumerate(zip(row, widths, strict=True))
                ]
                lines.append("  " + "  ".join(cells).rstrip())
        lines.extend(f"  {note}" for note in section.notes)
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def summary(channel: Channel) -> str:
    return render([build(channel) for build in SECTIONS])
