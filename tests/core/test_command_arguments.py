"""Bad arguments to the commands: one line naming the value and the format."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

ROOT = Path(__file__).resolve().parents[2]

NO_SUCH_DAY = (
    "2023-04-31 does not exist: April 2023 has 30 days. Give a day as YYYY-MM-DD."
)


@pytest.mark.parametrize(
    ("command", "option"),
    [
        ("kinship_fit", "--as-of"),
        ("kinship_rescore", "--as-of"),
        ("kinship_expire_points", "--today"),
        ("kinship_review_tiers", "--today"),
        ("kinship_send_points_expiring", "--today"),
    ],
)
def test_a_day_that_does_not_exist_is_named_with_the_format(db, command, option):
    with pytest.raises(CommandError) as refused:
        call_command(command, option, "2023-04-31")

    assert str(refused.value) == f"Error: argument {option}: {NO_SUCH_DAY}"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "31.03.2026",
            "'31.03.2026' is not a day written as YYYY-MM-DD, such as 2027-01-31.",
        ),
        (
            "2026-13-01",
            "2026-13-01 does not exist: there is no month 13. Give a day as "
            "YYYY-MM-DD.",
        ),
        (
            "2027-02-29",
            "2027-02-29 does not exist: February 2027 has 28 days. Give a day as "
            "YYYY-MM-DD.",
        ),
        (
            "9999-12-31",
            "9999-12-31 is outside the years 1900 to 2200 that kinship takes. Give "
            "a day as YYYY-MM-DD.",
        ),
    ],
)
def test_a_day_written_wrong_or_out_of_range_says_which(db, value, message):
    with pytest.raises(CommandError) as refused:
        call_command("kinship_fit", "--as-of", value)

    assert str(refused.value) == f"Error: argument --as-of: {message}"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "2027-04-31T09:00",
            "2027-04-31 does not exist: April 2027 has 30 days. Give a time like "
            "2027-02-28T09:00 (or with +01:00).",
        ),
        (
            "9999-12-31T23:59:00-12:00",
            "9999-12-31T23:59:00-12:00 is outside the years 1900 to 2200 that "
            "kinship takes. Give a time like 2027-02-28T09:00 (or with +01:00).",
        ),
    ],
)
def test_a_bad_moment_for_the_birthday_run_says_why(db, value, message):
    with pytest.raises(CommandError) as refused:
        call_command("kinship_send_birthdays", "--now", value)

    assert str(refused.value) == f"Error: argument --now: {message}"


def run(*arguments: str) -> subprocess.CompletedProcess:
    """Run manage.py as an operator would, in the reference host."""
    return subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("arguments", "error"),
    [
        (
            ("kinship_fit", "--as-of", "2023-04-31"),
            f"argument --as-of: {NO_SUCH_DAY}",
        ),
        (("kinship_fit",), "the following arguments are required: --as-of"),
        (
            ("kinship_send_birthdays", "--now", "9999-12-31T23:59:00-12:00"),
            "argument --now: 9999-12-31T23:59:00-12:00 is outside the years 1900 "
            "to 2200 that kinship takes. Give a time like 2027-02-28T09:00 (or with "
            "+01:00).",
        ),
        (
            ("kinship_replay_failed", "--id", "first"),
            "argument --id: invalid int value: 'first'",
        ),
        (
            ("kinship_demo", "--customers", "ten"),
            "argument --customers: invalid int value: 'ten'",
        ),
        (("devhost_token",), "the following arguments are required: email"),
    ],
    ids=lambda value: value[0] if isinstance(value, tuple) else "",
)
def test_on_the_command_line_a_bad_argument_is_one_line(arguments, error):
    finished = run(*arguments)

    assert finished.returncode != 0
    assert finished.stdout == ""
    assert finished.stderr.splitlines() == [f"manage.py {arguments[0]}: error: {error}"]
