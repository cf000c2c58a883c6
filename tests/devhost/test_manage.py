"""manage.py run directly: a database problem or Ctrl-C is one line, no traceback."""

import signal
import time

import pytest
from django.db import connection

EXAMPLE = "postgres://user@host:port/name"


def where() -> str:
    config = connection.settings_dict
    return f"{config['HOST'] or 'localhost'}:{config['PORT'] or 5432}"


@pytest.mark.parametrize("command", ["help", "kinship_rescore"])
def test_a_database_url_that_is_not_postgresql_is_one_line(manage, command):
    finished = manage(command, database_url="mysql://u@127.0.0.1/db")

    assert finished.returncode == 1
    assert finished.stdout == ""
    assert finished.stderr.splitlines() == [
        f"DATABASE_URL must be a PostgreSQL URL ({EXAMPLE}), not mysql://."
    ]


def test_a_server_that_does_not_answer_is_one_line(manage):
    finished = manage("kinship_rescore", database_url="postgres://u@127.0.0.1:1/x")

    assert finished.returncode == 1
    assert finished.stdout == ""
    assert finished.stderr.splitlines() == [
        "Cannot connect to PostgreSQL at 127.0.0.1:1 (Connection refused); start "
        f"it or set DATABASE_URL={EXAMPLE}."
    ]


def test_a_missing_database_is_one_line(db, manage, server_url):
    finished = manage(
        "kinship_rescore", database_url=server_url("kinship_no_such_database")
    )

    assert finished.returncode == 1
    assert finished.stderr.splitlines() == [
        f"PostgreSQL at {where()} has no database 'kinship_no_such_database': "
        "create it with `python -m devhost.checkdb` (make demo does) or set "
        f"DATABASE_URL={EXAMPLE}."
    ]


def test_a_user_the_server_refuses_is_one_line_without_start_it(db, manage, server_url):
    finished = manage("kinship_rescore", database_url=server_url(user="kinship_nobody"))

    assert finished.returncode == 1
    [line] = finished.stderr.splitlines()
    assert line.startswith(
        f"PostgreSQL at {where()} does not accept the user 'kinship_nobody' ("
    )
    assert line.endswith(
        "); set DATABASE_URL with a user it accepts: "
        "postgres://user:password@host:port/name."
    )


def test_an_unmigrated_database_is_one_line(db, manage, server_url):
    # The test database seen through an empty search path has no tables.
    name = connection.settings_dict["NAME"]
    unmigrated = server_url(f"{name}?options=-csearch_path%3Dnowhere")

    finished = manage("kinship_rescore", database_url=unmigrated)

    assert finished.returncode == 1
    [line] = finished.stderr.splitlines()
    assert line.startswith(f"The database '{name}' at {where()} is not migrated (")
    assert "does not exist); run `python manage.py migrate` (make demo does)." in line


def test_traceback_keeps_the_traceback_for_developers(manage):
    finished = manage(
        "kinship_rescore", "--traceback", database_url="postgres://u@127.0.0.1:1/x"
    )

    assert finished.returncode == 1
    assert finished.stderr.startswith("Traceback (most recent call last):")


@pytest.mark.django_db(transaction=True)
def test_ctrl_c_during_the_demo_is_one_line(start_manage):
    from devhost.shop.management.commands.kinship_demo import SAMPLE

    demo = start_manage("kinship_demo", "--file", str(SAMPLE))
    try:
        assert demo.stdout.readline().startswith("Importing 6,919 CDNOW purchases")
        # Well inside the import, which takes minutes.
        time.sleep(1)
        demo.send_signal(signal.SIGINT)
        _, stderr = demo.communicate(timeout=60)
    finally:
        demo.kill()

    assert (demo.returncode, stderr) == (130, "Interrupted.\n")
