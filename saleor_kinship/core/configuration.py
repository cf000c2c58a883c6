"""Configuration fields: what the merchant edits, and how each value is read.

A field is data: its name, label, help text, kind and a parser that turns the
text the merchant typed into a value or raises ConfigurationError. Saleor's
plugin form, the reference host and the validation all read the same list.
"""

import zoneinfo
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from email.utils import parseaddr
from typing import Any

from .currencies import is_currency


class ConfigurationError(ValueError):
    """Configuration values were refused; `errors` maps each field to why."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        self.field, self.message = next(iter(errors.items()))
        super().__init__("; ".join(f"{name}: {why}" for name, why in errors.items()))


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    help_text: str
    default: Any
    parse: Callable[[Any], Any]
    # One of: string, multiline, boolean, secret, password (Saleor's kinds).
    kind: str = "string"


def text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    lowered = text(value).lower()
    if lowered in {"true", "1", "yes", "on"}:
        return True
    if lowered in {"false", "0", "no", "off", ""}:
        return False
    raise ValueError("Enter true or false.")


def decimal_at_least(minimum: Decimal) -> Callable[[Any], Decimal]:
    def parse(value: Any) -> Decimal:
        try:
            number = Decimal(text(value))
        except InvalidOperation:
            raise ValueError("Enter a number, such as 1 or 0.5.")
        if not number.is_finite():
            raise ValueError("Enter a finite number.")
        if number < minimum:
            raise ValueError(f"Enter a number of at least {minimum}.")
        return number

    return parse


def decimal_between(low: Decimal, high: Decimal) -> Callable[[Any], Decimal]:
    at_least = decimal_at_least(low)

    def parse(value: Any) -> Decimal:
        number = at_least(value)
        if number > high:
            raise ValueError(f"Enter a number between {low} and {high}.")
        return number

    return parse


def integer_between(low: int, high: int) -> Callable[[Any], int]:
    def parse(value: Any) -> int:
        try:
            number = int(text(value))
        except ValueError:
            raise ValueError("Enter a whole number.")
        if not low <= number <= high:
            raise ValueError(f"Enter a whole number from {low} to {high}.")
        return number

    return parse


def currency_or_blank(value: Any) -> str:
    code = text(value).upper()
    if code and not is_currency(code):
        raise ValueError(f"'{code}' is not an ISO 4217 currency code.")
    return code


def time_zone(value: Any) -> str:
    name = text(value) or "UTC"
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"'{name}' is not a time zone, such as Europe/Warsaw.")
    return name


def email_or_blank(value: Any) -> str:
    address = text(value)
    if not address:
        return ""
    _, parsed = parseaddr(address)
    if "@" not in parsed or " " in parsed or parsed.startswith("@"):
        raise ValueError(f"'{address}' is not an e-mail address.")
    return address


def choice(*options: str) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        picked = text(value) or options[0]
        if picked not in options:
            raise ValueError(f"Choose one of: {', '.join(options)}.")
        return picked

    return parse


class ChannelSettings:
    """Parsed configuration values, read as attributes (`settings.tiers`)."""

    def __init__(self, values: dict[str, Any]):
        self._values = values

    def __getattr__(self, name: str) -> Any:
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(name) from None

    def as_dict(self) -> dict[str, Any]:
        return dict(self._values)


def parse_fields(
    fields: Iterable[Field], raw: dict[str, Any], *, strict: bool = True
) -> ChannelSettings:
    """Parse raw values; raise ConfigurationError naming every bad field.

    With strict=False a bad stored value falls back to the field's default,
    so a configuration saved by an older version never stops the order flow.
    """
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for field in fields:
        given = raw.get(field.name)
        if given is None or (isinstance(given, str) and given == ""):
            given = field.default
        try:
            values[field.name] = field.parse(given)
        except ValueError as error:
            if strict:
                errors[field.name] = str(error)
            else:
                values[field.name] = field.parse(field.default)
    if errors:
        raise ConfigurationError(errors)
    return ChannelSettings(values)
