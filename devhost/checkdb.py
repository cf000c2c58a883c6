"""Check that PostgreSQL answers at DATABASE_URL and that the database exists.

Prints one line and exits 1 when the server cannot be reached, so `make`
stops with a message instead of a traceback.
"""

import os
import sys

import dj_database_url
import psycopg
from psycopg import sql

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/kinship"


def main() -> int:
    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    config = dj_database_url.parse(url)
    where = f"{config.get('HOST') or 'localhost'}:{config.get('PORT') or 5432}"
    try:
        with psycopg.connect(
            dbname="postgres",
            host=config.get("HOST") or None,
            port=config.get("PORT") or None,
            user=config.get("USER") or None,
            password=config.get("PASSWORD") or None,
            connect_timeout=5,
            autocommit=True,
        ) as server:
            exists = server.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]
            ).fetchone()
            if not exists:
                server.execute(
                    sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"]))
                )
    except psycopg.Error as error:
        reason = (
            str(error).strip().splitlines()[0] if str(error).strip() else "no answer"
        )
        print(
            f"PostgreSQL is not reachable at {where} ({reason}); start it or set "
            "DATABASE_URL=postgres://user@host:port/name.",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
