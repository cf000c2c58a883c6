from decimal import Decimal
from typing import Any, NamedTuple

from ..core.configuration import (
    Field,
    boolean,
    choice,
    currency_or_blank,
    decimal_at_least,
    integer_between,
    text,
)


class Tier(NamedTuple):
    name: str
    threshold: int


def tier_list(value: Any) -> tuple[Tier, ...]:
    """Parse "Bronze:0, Silver:500" into tiers ordered by threshold."""
    tiers: list[Tier] = []
    for part in text(value).replace("\n", ",").split(","):
        if not part.strip():
            continue
        name, separator, threshold = part.rpartition(":")
        name = name.strip()
        if not separator or not name or not threshold.strip().isdigit():
            raise ValueError(
                f"'{part.strip()}' is not 'name: points'; write tiers as "
                "Bronze: 0, Silver: 500, Gold: 2000."
            )
        if len(name) > 40:
            raise ValueError(f"The tier name '{name[:40]}…' is over 40 characters.")
        tiers.append(Tier(name, int(threshold)))
    names = [tier.name.casefold() for tier in tiers]
    if len(set(names)) != len(names):
        raise ValueError("Each tier needs a name of its own.")
    thresholds = [tier.threshold for tier in tiers]
    if len(set(thresholds)) != len(thresholds):
        raise ValueError("Each tier needs a threshold of its own.")
    return tuple(sorted(tiers, key=lambda tier: tier.threshold))


LOYALTY_FIELDS = [
    Field(
        "points_per_unit",
        "Points per currency unit",
        "Points a customer earns for each unit of this channel's currency paid "
        "(for example 1 for USD, 0.25 for PLN). Points are rounded down. "
        "0 switches earning off for the channel.",
        "1",
        decimal_at_least(Decimal(0)),
    ),
    Field(
        "points_currency",
        "Currency of the points rate",
        "ISO 4217 code of the currency the rate above applies to, normally the "
        "channel's currency. Orders in another currency earn nothing and are "
        "logged. Leave empty to accept the currency of each order.",
        "",
        currency_or_blank,
    ),
    Field(
        "tiers",
        "Tiers",
        "Programme-wide (read from the default channel). Tier names with the "
        "points that reach them, lowest first: Bronze: 0, Silver: 500, Gold: 2000.",
        "Bronze: 0, Silver: 500, Gold: 2000",
        tier_list,
        kind="multiline",
    ),
    Field(
        "tier_basis",
        "Tier basis",
        "Programme-wide. 'lifetime' ranks customers by all points ever earned; "
        "'last_12_months' by points earned in the last 12 months.",
        "lifetime",
        choice("lifetime", "last_12_months"),
    ),
    Field(
        "tier_review",
        "Tier review",
        "Programme-wide. A tier rises at once; with 'yearly' it falls only at "
        "the review on 1 January, with 'never' it never falls.",
        "yearly",
        choice("yearly", "never"),
    ),
    Field(
        "points_expiry_months",
        "Points expire after (months)",
        "Programme-wide. Points expire this many months after they were "
        "earned, oldest first. 0 means points never expire.",
        "0",
        integer_between(0, 120),
    ),
    Field(
        "expiry_warning_days",
        "Expiry warning (days)",
        "Programme-wide. Customers whose points expire within this many days "
        "are listed and may get a reminder e-mail.",
        "30",
        integer_between(1, 365),
    ),
    Field(
        "allow_negative_balance",
        "Allow a negative balance",
        "Programme-wide. When a refund takes back points already spent, let "
        "the balance go below zero. When off, the balance stops at zero and "
        "the points not taken back are recorded on the ledger entry.",
        False,
        boolean,
        kind="boolean",
    ),
]
