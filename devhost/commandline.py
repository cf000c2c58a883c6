"""manage.py's entry point: database problems and Ctrl-C end in one line.

A command that cannot reach its database, or finds it unmigrated, would end
in a traceback of a hundred lines that hides the one that matters. Here it
ends with one line on stderr that says what is wrong and what to do, and
exit status 1; Ctrl-C ends with "Interrupted." and status 130, as a shell
reports it. `--traceback` keeps Python's traceback, as for Django's own
command errors.
"""

import os
import signal
import sys
from collections.abc import Sequence
from types import FrameType

from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, ProgrammingError

INTERRUPTED = 130
# Connection failures carry no error code; these begin libpq's and psycopg's.
CONNECTING = ("connection failed", "failed to resolve host")
# Texts of a connection the server or the network ended during the command.
CONNECTION_LOST = ("server closed the connection", "terminating connection")


class Interruption:
    """Notes Ctrl-C, then raises KeyboardInterrupt as Python does by default.

    The KeyboardInterrupt can turn into another error on its way out: a query
    it stopped leaves the connection unusable, and code that catches
    exceptions (a Celery task that retries) reports that instead.
    """

    def __init__(self) -> None:
        self.happened = False

    def __call__(self, signum: int, frame: FrameType | None) -> None:
        self.happened = True
        raise KeyboardInterrupt


def main(argv: Sequence[str]) -> int:
    """Run one management command; return the exit status."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "devhost.settings")
    from django.conf import settings
    from django.core.management import execute_from_command_line

    interruption = Interruption()
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        signal.signal(signal.SIGINT, interruption)
    try:
        # Read now: a bad DATABASE_URL is refused before any command, `help`
        # included, rather than listed below Django's own commands.
        _ = settings.DATABASES
        execute_from_command_line(list(argv))
    except (KeyboardInterrupt, Exception) as error:
        if "--traceback" in argv:
            raise
        if interruption.happened or isinstance(error, KeyboardInterrupt):
            print("Interrupted.", file=sys.stderr)
            return INTERRUPTED
        problem = explain(error)
        if problem is None:
            raise
        print(problem, file=sys.stderr)
        return 1
    return 0


def explain(error: Exception) -> str | None:
    """Say in one line what is wrong with the set-up; None if it is not known."""
    if isinstance(error, ImproperlyConfigured):
        return str(error)
    if isinstance(error, DatabaseError):
        return database_problem(error)
    return None


def database_problem(error: DatabaseError) -> str | None:
    """Say in one line what is wrong with the database; None if it is not known."""
    from django.conf import settings

    from devhost.checkdb import EXAMPLE_URL, connection_problem, where

    config = settings.DATABASES["default"]
    text = str(error).strip()
    if text.startswith(CONNECTING):
        return connection_problem(error, config)
    if any(lost in text for lost in CONNECTION_LOST):
        first_line = text.splitlines()[0]
        return (
            f"PostgreSQL at {where(config)} closed the connection ({first_line}); "
            f"check that it is running and run the command again, or set "
            f"DATABASE_URL={EXAMPLE_URL}."
        )
    if isinstance(error, ProgrammingError) and _unmigrated():
        first_line = text.splitlines()[0]
        return (
            f"The database {config['NAME']!r} at {where(config)} is not migrated "
            f"({first_line}); run `python manage.py migrate` (make demo does)."
        )
    return None


def _unmigrated() -> bool:
    """Return True if the default database lacks migrations the code has."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    try:
        # The failed statement may have left the connection's transaction broken.
        connection.close()
        executor = MigrationExecutor(connection)
        return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))
    except DatabaseError:
        return False
