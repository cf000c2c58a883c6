"""Check that PostgreSQL answers at DATABASE_URL and that the database exists.

Prints one line and exits 1 when DATABASE_URL is not a PostgreSQL URL or the
server cannot be reached, so `make` stops with a message instead of a
traceback. The messages are shared with manage.py (`devhost.commandline`) and
the test suite's start.
"""

import os
import sys
from typing import Any
from urllib.parse import urlsplit

import dj_database_url
import psycopg
from psycopg import sql

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/kinship"
EXAMPLE_URL = "postgres://user@host:port/name"
PASSWORD_URL = "postgres://user:password@host:port/name"
# What PostgreSQL says when it refuses a user (role, password, pg_hba.conf).
AUTHENTICATION_WORDS = ("role ", "password", "authentication", "pg_hba.conf")
CONNECTION_KEYS = ("NAME", "USER", "PASSWORD", "HOST", "PORT")
POSTGRES_ENGINES = {
    "django.db.backends.postgresql",
    "django.contrib.gis.db.backends.postgis",
}


class DatabaseUrlError(ValueError):
    """DATABASE_URL cannot name a PostgreSQL database; the message says why."""


def database_url() -> str:
    """Return DATABASE_URL, or the default when it is unset or empty."""
    return os.environ.get("DATABASE_URL") or DEFAULT_URL


def _malformed(url: str) -> str:
    """Return what makes a URL unreadable, in the words of urllib where it can."""
    try:
        _ = urlsplit(url).port  # reading the port checks it and the host's brackets
    except ValueError as error:
        return f"DATABASE_URL is malformed: {error}."
    return (
        "DATABASE_URL is malformed: quote special characters in the user, "
        "password or name as %XX."
    )


def database_settings(url: str, **options: Any) -> dict[str, Any]:
    """Return Django's settings of a PostgreSQL URL, or raise DatabaseUrlError."""
    try:
        config = dict(dj_database_url.parse(url, **options))
    except dj_database_url.UnknownSchemeError:
        config = {}
    except ValueError:
        raise DatabaseUrlError(_malformed(url)) from None
    if config.get("ENGINE") not in POSTGRES_ENGINES:
        scheme = urlsplit(url).scheme
        if not scheme:
            raise DatabaseUrlError(
                f"DATABASE_URL is not a URL; set it to {EXAMPLE_URL}."
            )
        raise DatabaseUrlError(
            f"DATABASE_URL must be a PostgreSQL URL ({EXAMPLE_URL}), not {scheme}://."
        )
    if not config.get("NAME"):
        raise DatabaseUrlError(
            f"DATABASE_URL names no database: end it with /name ({EXAMPLE_URL})."
        )
    if any("\x00" in str(config.get(key) or "") for key in CONNECTION_KEYS):
        raise DatabaseUrlError("DATABASE_URL holds a NUL character (%00).")
    return config


def _first_line(error: Exception) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else "no answer"


def where(config: dict[str, Any]) -> str:
    """Return the server's host:port as DATABASE_URL names it."""
    return f"{config.get('HOST') or 'localhost'}:{config.get('PORT') or 5432}"


def connection_problem(error: Exception, config: dict[str, Any]) -> str:
    """Say in one line why PostgreSQL refused a connection, and what to do.

    libpq gives no error code for a refused connection, only its text: the
    server's own reasons follow "FATAL:", and without one the server did not
    answer at all.
    """
    server = where(config)
    text = _first_line(error)
    if "failed to resolve host" in text:
        return (
            f"Cannot find the PostgreSQL host {config.get('HOST')!r} ({text}); "
            f"set DATABASE_URL={EXAMPLE_URL}."
        )
    if "FATAL:" not in text:
        # "connection to server at ... failed: Connection refused": keep the why.
        reason = text.rsplit(" failed: ", 1)[-1]
        return (
            f"Cannot connect to PostgreSQL at {server} ({reason}); "
            f"start it or set DATABASE_URL={EXAMPLE_URL}."
        )
    reason = " ".join(text.split("FATAL:", 1)[1].split())
    if reason.startswith("database ") and reason.endswith("does not exist"):
        return (
            f"PostgreSQL at {server} has no database {config.get('NAME')!r}: "
            "create it with `python -m devhost.checkdb` (make demo does) or set "
            f"DATABASE_URL={EXAMPLE_URL}."
        )
    if any(word in reason for word in AUTHENTICATION_WORDS):
        user = config.get("USER") or "(none)"
        return (
            f"PostgreSQL at {server} does not accept the user {user!r} ({reason}); "
            f"set DATABASE_URL with a user it accepts: {PASSWORD_URL}."
        )
    return (
        f"PostgreSQL at {server} refused the connection ({reason}); "
        f"check DATABASE_URL ({EXAMPLE_URL})."
    )


def connect_server(config: dict[str, Any]) -> psycopg.Connection:
    """Connect to the server's maintenance database, or raise DatabaseUrlError.

    The error's message is `connection_problem`'s line.
    """
    try:
        return psycopg.connect(
            dbname="postgres",
            host=config.get("HOST") or None,
            port=config.get("PORT") or None,
            user=config.get("USER") or None,
            password=config.get("PASSWORD") or None,
            connect_timeout=5,
            autocommit=True,
        )
    except psycopg.Error as error:
        raise DatabaseUrlError(connection_problem(error, config)) from None


def main() -> int:
    try:
        config = database_settings(database_url())
        server = connect_server(config)
    except DatabaseUrlError as error:
        print(error, file=sys.stderr)
        return 1
    name = config["NAME"]
    try:
        with server:
            exists = server.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [name]
            ).fetchone()
            if not exists:
                server.execute(
                    sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
                )
    except psycopg.Error as error:
        print(
            f"PostgreSQL at {where(config)} could not create the database {name!r} "
            f"({_first_line(error)}).",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
