"""The plugin's configuration: every field the merchant edits, in form order."""

from typing import Any

from .core.configuration import (
    ChannelSettings,
    ConfigurationError,
    Field,
    boolean,
    parse_fields,
    text,
    time_zone,
)
from .emails.config import EMAIL_FIELDS
from .loyalty.config import LOYALTY_FIELDS
from .resellers.config import RESELLER_FIELDS

GENERAL_FIELDS = [
    Field(
        "shop_name",
        "Shop name",
        "How the shop signs its personal e-mails.",
        "",
        text,
    ),
    Field(
        "time_zone",
        "Shop time zone",
        "Programme-wide. Birthdays, upcoming dates and the yearly tier review "
        "follow this IANA time zone, such as Europe/Warsaw.",
        "UTC",
        time_zone,
    ),
    Field(
        "mirror_to_metadata",
        "Show kinship data on the customer page",
        "Programme-wide. Copy each customer's tier, points balance, RFM segment "
        "and reseller status into her private metadata (keys starting with "
        "'kinship.'), so the customer page of the dashboard shows them. To "
        "filter customers by them, use kinship's own customers query.",
        True,
        boolean,
        kind="boolean",
    ),
]

FIELDS: list[Field] = [
    *GENERAL_FIELDS,
    *LOYALTY_FIELDS,
    *RESELLER_FIELDS,
    *EMAIL_FIELDS,
]


def parse_configuration(
    raw: dict[str, Any], *, strict: bool = False
) -> ChannelSettings:
    """Return the parsed configuration; strict parsing raises on a bad value."""
    return parse_fields(FIELDS, raw, strict=strict)


def validate_configuration(raw: dict[str, Any]) -> None:
    """Raise ConfigurationError naming each field the merchant must fix."""
    parse_fields(FIELDS, raw, strict=True)


def default_configuration() -> dict[str, Any]:
    return {field.name: field.default for field in FIELDS}


__all__ = [
    "FIELDS",
    "ChannelSettings",
    "ConfigurationError",
    "default_configuration",
    "parse_configuration",
    "validate_configuration",
]
