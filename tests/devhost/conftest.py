"""Running manage.py as an operator does, against the test database."""

import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def _url_of_test_database() -> str:
    """Return DATABASE_URL with the test database's name in place of its own."""
    url = urlsplit(os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1/x")
    return urlunsplit(url._replace(path=f"/{connection.settings_dict['NAME']}"))


def _process(arguments: tuple[str, ...], database_url: str | None) -> dict[str, Any]:
    return {
        "args": [sys.executable, "manage.py", *arguments],
        "cwd": ROOT,
        "env": {
            **os.environ,
            "DATABASE_URL": database_url or _url_of_test_database(),
            # Each line as it is written, for tests that wait for one.
            "PYTHONUNBUFFERED": "1",
        },
    }


@pytest.fixture
def manage() -> Callable[..., subprocess.CompletedProcess]:
    """Run manage.py in a process of its own, on the test database by default.

    On the test database the process sees only committed rows: tests that
    use it need django_db(transaction=True).
    """

    def run(*arguments: str, database_url: str | None = None) -> Any:
        return subprocess.run(
            **_process(arguments, database_url),
            capture_output=True,
            text=True,
            timeout=300,
        )

    return run


def _hear_ctrl_c() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.fixture
def start_manage() -> Callable[..., subprocess.Popen]:
    """Start manage.py in a process of its own and return it, running."""

    def start(*arguments: str, database_url: str | None = None) -> Any:
        return subprocess.Popen(
            **_process(arguments, database_url),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            # A shell that starts the tests in the background makes them
            # ignore Ctrl-C; the command gets it as a terminal would send it.
            preexec_fn=_hear_ctrl_c,
        )

    return start


@pytest.fixture
def server_url() -> Callable[..., str]:
    """Return a URL of the test server with another database or user."""

    def url(name: str = "x", user: str | None = None) -> str:
        config = connection.settings_dict
        return (
            f"postgres://{user or config['USER']}@{config['HOST'] or '127.0.0.1'}:"
            f"{config['PORT'] or 5432}/{name}"
        )

    return url
