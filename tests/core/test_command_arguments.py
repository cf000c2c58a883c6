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


COMMANDS = {
    "saleor_kinship": [
        "kinship_backfill",
        "kinship_check_ledger",
        "kinship_expire_points",
        "kinship_export_customer",
        "kinship_fit",
        "kinship_replay_failed",
        "kinship_rescore",
        "kinship_review_tiers",
        "kinship_send_birthdays",
        "kinship_send_points_expiring",
    ],
    "devhost.shop": ["import_cdnow", "kinship_demo"],
    "devhost.account": ["devhost_token"],
}


@pytest.mark.parametrize(
    ("app", "command"),
    [(app, command) for app, commands in COMMANDS.items() for command in commands],
    ids=lambda value: value if value.startswith(("kinship_", "import", "dev")) else "",
)
def test_every_argument_of_a_command_is_explained_in_its_help(app, command):
    from django.core.management import load_command_class

    parser = load_command_class(app, command).create_parser("manage.py", command)

    unexplained = [
        action.option_strings[0] if action.option_strings else action.dest
        for action in parser._actions
        if not (action.help or "").strip()
    ]
    assert unexplained == []


def test_the_help_of_the_batch_size_and_the_channel():
    from django.core.management import load_command_class

    backfill = load_command_class("saleor_kinship", "kinship_backfill")
    text = backfill.create_parser("manage.py", "kinship_backfill").format_help()
    text = " ".join(text.split())
    assert "Orders applied and committed together (1 to 50000; 2000 by" in text
    importer = load_command_class("devhost.shop", "import_cdnow")
    text = importer.create_parser("manage.py", "import_cdnow").format_help()
    text = " ".join(text.split())
    assert "Slug of the channel (in USD) the orders are placed in;" in text


def test_a_file_that_is_not_a_cdnow_file_is_named_with_its_line(tmp_path):
    notes = tmp_path / "notes.md"
    notes.write_text("# Notes\n\nCustomers say “thank you”.\n", encoding="utf-8")

    finished = run("kinship_demo", "--file", str(notes))

    assert finished.returncode == 1
    assert finished.stdout == ""
    assert finished.stderr.splitlines() == [
        "CommandError: notes.md is not a CDNOW purchase file: line 3 is not ASCII text."
    ]


def test_the_export_takes_saleor_s_global_id_as_well_as_the_number(customer):
    import json
    from io import StringIO

    from saleor_kinship.graphql.core.ids import customer_global_id

    exports = []
    for reference in (str(customer.pk), customer_global_id(customer.pk)):
        output = StringIO()
        call_command("kinship_export_customer", reference, stdout=output)
        exports.append(json.loads(output.getvalue())["customer"])

    assert exports[0] == exports[1]
    assert (exports[1]["id"], exports[1]["email"]) == (customer.pk, "ann@example.com")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            ("QXBwOjE=",),
            "'QXBwOjE=' is an id of type 'App', not a customer's ('User').",
        ),
        (
            ("1", "--output", ""),
            "--output needs a file name; leave it out to print the JSON.",
        ),
        (
            ("VXNlcjo5OTk5OTk=",),
            "No customer has the id or e-mail 'VXNlcjo5OTk5OTk='.",
        ),
    ],
)
def test_the_export_refuses_in_one_line(db, capsys, arguments, message):
    with pytest.raises(CommandError) as refused:
        call_command("kinship_export_customer", *arguments)

    assert str(refused.value) == message
    assert capsys.readouterr().out == ""
