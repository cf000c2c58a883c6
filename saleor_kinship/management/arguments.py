"""Arguments of kinship's commands: a bad one is refused in one line.

argparse prints a command's whole usage before the error; a `KinshipCommand`
prints only the line that says what is wrong (`--help` still shows usage).
The day and moment types name the value and the format expected, and tell a
day that is written right but does not exist (2023-04-31) from one that is
written wrong.
"""

import argparse
import calendar
import re
from datetime import date, datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ..relationships.validation import EARLIEST_YEAR, LATEST_YEAR

DAY_FORMAT = "YYYY-MM-DD"
DAY_PATTERN = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
MOMENT_EXAMPLE = "2027-02-28T09:00 (or with +01:00)"


class KinshipCommand(BaseCommand):
    """A command whose unreadable arguments are refused in one line."""

    def create_parser(
        self, prog_name: str, subcommand: str, **kwargs: Any
    ) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        # Django builds the parser itself; only this instance loses the usage
        # block that argparse prints before an error.
        parser.print_usage = _no_usage  # type: ignore[method-assign]
        return parser


def _no_usage(file: Any = None) -> None:
    """Stand in for argparse's usage block, printed before each error."""


def _check_day(text: str, year: int, month: int, number: int, expected: str) -> None:
    """Refuse a day outside the years kinship takes, or one the calendar lacks."""
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        raise argparse.ArgumentTypeError(
            f"{text} is outside the years {EARLIEST_YEAR} to {LATEST_YEAR} that "
            f"kinship takes. Give {expected}."
        )
    if not 1 <= month <= 12:
        raise argparse.ArgumentTypeError(
            f"{text} does not exist: there is no month {month}. Give {expected}."
        )
    days = calendar.monthrange(year, month)[1]
    if not 1 <= number <= days:
        raise argparse.ArgumentTypeError(
            f"{text} does not exist: {calendar.month_name[month]} {year} has "
            f"{days} days. Give {expected}."
        )


def day(text: str) -> date:
    """Return the day written as YYYY-MM-DD; raise ArgumentTypeError saying why."""
    expected = f"a day as {DAY_FORMAT}"
    written = DAY_PATTERN.fullmatch(text)
    if written is None:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a day written as {DAY_FORMAT}, such as 2027-01-31."
        )
    year, month, number = map(int, written.groups())
    _check_day(text, year, month, number, expected)
    return date(year, month, number)


def moment(text: str) -> datetime:
    """Return an ISO 8601 date and time; raise ArgumentTypeError saying why."""
    expected = f"a time like {MOMENT_EXAMPLE}"
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        written = DAY_PATTERN.match(text)
        if written is not None:
            # Written right, the day itself may be what does not exist.
            year, month, number = map(int, written.groups())
            _check_day(written.group(0), year, month, number, expected)
        raise argparse.ArgumentTypeError(f"'{text}' is not {expected}.")
    _check_day(text, value.year, value.month, value.day, expected)
    return value
