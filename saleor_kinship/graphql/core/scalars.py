"""The Date and DateTime scalars of the schema, read strictly.

graphene's own scalars turn a value they cannot read (31 April) into a
top-level error that names no input field. These keep such a value as
`Unreadable`: a mutation's checks refuse it with the field and INVALID, and
a query resolver refuses it naming the argument (`readable`). No other Date
or DateTime type may appear in the schema: two types of one name cannot.

Only ISO 8601's extended format is read: Python's `fromisoformat` also takes
the basic one (20260401), an hour alone and a space for the `T`, none of which
the schema's documentation promises.
"""

import datetime
import re
from typing import Any

import graphene
from graphql.language import ast

from ...core.error_codes import KinshipErrorCode
from .errors import KinshipGraphQLError

SHOWN_LENGTH = 40

DATE_FORMAT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# A day alone is a moment too: the start of that day.
DATE_TIME_FORMAT = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}"
    r"(:[0-9]{2}(\.[0-9]{1,6})?)?(Z|[+-][0-9]{2}:[0-9]{2})?)?"
)


class Unreadable:
    """A value sent as a Date or DateTime that is none; str() is the value, cut."""

    __slots__ = ("expected", "given")

    def __init__(self, given: Any, expected: str):
        self.given = given if isinstance(given, str) else repr(given)
        self.expected = expected

    def __str__(self) -> str:
        if len(self.given) <= SHOWN_LENGTH:
            return self.given
        return self.given[:SHOWN_LENGTH] + "..."

    @property
    def problem(self) -> str:
        return f"'{self}' is not {self.expected}."


def _literal(node: Any) -> str | None:
    if isinstance(node, ast.StringValue | ast.IntValue | ast.FloatValue):
        return str(node.value)
    if isinstance(node, ast.BooleanValue):
        return "true" if node.value else "false"
    return None


def _parse_literal(scalar: Any, node: Any) -> Any:
    """Read a literal as the variable it could have been; only a string can be."""
    text = _literal(node)
    if text is None:
        return None
    if isinstance(node, ast.StringValue):
        return scalar.parse_value(text)
    return Unreadable(text, scalar.expected)


class Date(graphene.Date):
    __doc__ = graphene.Date.__doc__

    expected = "a date written as YYYY-MM-DD"

    @classmethod
    def parse_value(cls, value: Any) -> datetime.date | Unreadable:
        if isinstance(value, datetime.date) and not isinstance(
            value, datetime.datetime
        ):
            return value
        if isinstance(value, str) and DATE_FORMAT.fullmatch(value):
            try:
                return datetime.date.fromisoformat(value)
            except ValueError:
                pass
        return Unreadable(value, cls.expected)

    @classmethod
    def parse_literal(cls, node: Any) -> datetime.date | Unreadable | None:
        return _parse_literal(cls, node)


class DateTime(graphene.DateTime):
    __doc__ = graphene.DateTime.__doc__

    expected = "a date and time in ISO 8601, such as 2026-04-01T09:30:00+02:00"

    @classmethod
    def parse_value(cls, value: Any) -> datetime.datetime | Unreadable:
        if isinstance(value, datetime.datetime):
            return value
        if isinstance(value, str) and DATE_TIME_FORMAT.fullmatch(value):
            try:
                return datetime.datetime.fromisoformat(value)
            except ValueError:
                pass
        return Unreadable(value, cls.expected)

    @classmethod
    def parse_literal(cls, node: Any) -> datetime.datetime | Unreadable | None:
        return _parse_literal(cls, node)


def readable[Value: (datetime.date, datetime.datetime)](
    value: Value | Unreadable | None, argument: str
) -> Value | None:
    """Return a Date or DateTime argument of a query; refuse an unreadable one.

    Mutations leave unreadable values to their checks, which name the field.
    """
    if isinstance(value, Unreadable):
        raise KinshipGraphQLError(
            f"{argument}: {value.problem}", KinshipErrorCode.INVALID
        )
    return value
