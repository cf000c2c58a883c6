"""`make demo` and `make test` start with devhost.checkdb: one line, no traceback.

The line's advice fits the problem: start a server that does not answer, give
a user that a server which answers accepts. The test suite starts with the
same check.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = "postgres://user@host:port/name"


def run(*arguments, database_url):
    environment = {**os.environ, "DATABASE_URL": database_url}
    return subprocess.run(
        [sys.executable, *arguments],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("database_url", "line"),
    [
        ("postgres://[::1", "DATABASE_URL is malformed: Invalid IPv6 URL."),
        (
            "postgres://u@127.0.0.1:notaport/db",
            "DATABASE_URL is malformed: Port could not be cast to integer value "
            "as 'notaport'.",
        ),
        (
            "postgres://u@127.0.0.1:70000/db",
            "DATABASE_URL is malformed: Port out of range 0-65535.",
        ),
        ("notaurl", f"DATABASE_URL is not a URL; set it to {EXAMPLE}."),
        (
            "mysql://u@127.0.0.1/db",
            f"DATABASE_URL must be a PostgreSQL URL ({EXAMPLE}), not mysql://.",
        ),
        (
            "sqlite:///kinship.db",
            f"DATABASE_URL must be a PostgreSQL URL ({EXAMPLE}), not sqlite://.",
        ),
        (
            "postgres://postgres@127.0.0.1:5432/",
            f"DATABASE_URL names no database: end it with /name ({EXAMPLE}).",
        ),
        (
            "postgres://postgres@127.0.0.1:5432/kin%00ship",
            "DATABASE_URL holds a NUL character (%00).",
        ),
    ],
)
def test_a_database_url_that_is_not_postgresql_is_one_line(database_url, line):
    finished = run("-m", "devhost.checkdb", database_url=database_url)

    assert finished.returncode == 1
    assert finished.stdout == ""
    assert finished.stderr.splitlines() == [line]


def test_a_server_that_does_not_answer_is_one_line():
    finished = run(
        "-m", "devhost.checkdb", database_url="postgres://u@127.0.0.1:1/kinship"
    )

    assert finished.returncode == 1
    [line] = finished.stderr.splitlines()
    assert line == (
        "Cannot connect to PostgreSQL at 127.0.0.1:1 (Connection refused); "
        f"start it or set DATABASE_URL={EXAMPLE}."
    )


def test_a_user_the_server_refuses_is_told_to_change_the_url_not_to_start_it(db):
    config = settings.DATABASES["default"]
    where = f"{config['HOST']}:{config['PORT']}"
    url = f"postgres://kinship_nobody@{where}/kinship"

    finished = run("-m", "devhost.checkdb", database_url=url)

    assert finished.returncode == 1
    [line] = finished.stderr.splitlines()
    assert line.startswith(
        f"PostgreSQL at {where} does not accept the user 'kinship_nobody' ("
    )
    assert line.endswith(
        "); set DATABASE_URL with a user it accepts: "
        "postgres://user:password@host:port/name."
    )
    assert "start it" not in line


def test_a_host_that_does_not_resolve_is_named():
    finished = run(
        "-m", "devhost.checkdb", database_url="postgres://u@nohost.invalid/kinship"
    )

    assert finished.returncode == 1
    [line] = finished.stderr.splitlines()
    assert line.startswith("Cannot find the PostgreSQL host 'nohost.invalid' (")
    assert line.endswith(f"); set DATABASE_URL={EXAMPLE}.")


def test_the_test_suite_stops_at_once_with_the_same_line():
    finished = run(
        "-m",
        "pytest",
        "tests/devhost/test_checkdb.py",
        "-p",
        "no:cacheprovider",
        database_url="postgres://u@127.0.0.1:1/kinship",
    )

    assert finished.returncode == 4  # pytest's usage error
    assert finished.stdout == ""
    # pytest ends its usage error with an empty line.
    assert finished.stderr.rstrip("\n").splitlines() == [
        "ERROR: Cannot connect to PostgreSQL at 127.0.0.1:1 (Connection refused); "
        f"start it or set DATABASE_URL={EXAMPLE}."
    ]


def test_the_password_is_never_printed():
    finished = run(
        "-m",
        "devhost.checkdb",
        database_url="postgres://u:s3cret@127.0.0.1:notaport/db",
    )
    assert finished.returncode == 1
    assert "s3cret" not in finished.stderr


def test_a_database_that_answers_passes_quietly(db):
    url = "postgres://{USER}@{HOST}:{PORT}/{NAME}".format(
        **settings.DATABASES["default"]
    )

    finished = run("-m", "devhost.checkdb", database_url=url)

    assert (finished.returncode, finished.stdout, finished.stderr) == (0, "", "")


def test_the_settings_name_what_is_wrong_with_the_url():
    finished = run(
        "-c",
        "import devhost.settings",
        database_url="postgres://u@127.0.0.1:notaport/db",
    )

    assert finished.returncode == 1
    assert finished.stderr.splitlines()[-1] == (
        "django.core.exceptions.ImproperlyConfigured: DATABASE_URL is malformed: "
        "Port could not be cast to integer value as 'notaport'."
    )
