"""Kinship's benchmark, on a database of its own: `python -m bench.run`.

It creates the database ``kinship_bench`` (dropped at the end), then measures:

- ``events_per_s``: one Celery worker process (concurrency 1) working through
  real order events (a "created" and a "paid" event of each of N distinct
  orders) queued in Redis, from the start of the first to the end of the last;
- ``backfill_s``: ``kinship_backfill`` replaying the CDNOW master file's
  69,659 purchases, bulk-inserted as the shop's orders beforehand;
- ``rescore_s``: rescoring its 23,570 customers (RFM, segments, BG/NBD and
  Gamma-Gamma), and ``rescore_pandas_s`` for the same with the pandas script
  in `bench/pandas_baseline.py`; ``rescore_ratio`` is the first over the
  second;
- ``peak_rss_mb``: the peak memory of each step's process.

Each step runs in a process of its own (`bench.steps`). The results are
printed as a table and written to bench/results.json. Environment:
DATABASE_URL (its server is used), BENCH_DATABASE_URL, BENCH_REDIS_URL
(redis://127.0.0.1:6379/7 by default), BENCH_POOL (prefork or solo).
"""

import argparse
import json
import os
import platform
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import dj_database_url
import psycopg
from psycopg import sql

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench/results.json"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/kinship"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/7"
BENCH_DATABASE = "kinship_bench"
WORKER_TIMEOUT_S = 900
# The queue and the worker's keys that a run leaves in its Redis database.
REDIS_KEYS = ("celery", "unacked", "unacked_index", "_kombu.binding.celery")

TARGETS = {
    "events_per_s": (">=", 2000.0),
    "backfill_s": ("<=", 5.0),
    "rescore_ratio": ("<=", 1.0),
}


class BenchError(RuntimeError):
    """A step failed; the message says which and where its log is."""


class Bench:
    def __init__(self, database_url: str, redis_url: str, workdir: Path):
        self.database_url = database_url
        self.redis_url = redis_url
        self.workdir = workdir
        self.results: dict[str, Any] = {"peak_rss_mb": {}}

    def env(self, **overrides: str) -> dict[str, str]:
        return {
            **os.environ,
            "DATABASE_URL": self.database_url,
            "CELERY_TASK_ALWAYS_EAGER": "1",
            "BENCH_PANDAS_OUTPUT": str(self.workdir / "pandas_scores.csv"),
            **overrides,
        }

    def step(
        self, name: str, argument: str = "", **env: str
    ) -> tuple[dict[str, Any], float]:
        """Run one step in its own process; return its result and peak RSS (MB)."""
        log = self.workdir / f"{name}.log"
        print(f"  {name} ...", flush=True)
        with log.open("w") as stderr:
            process = subprocess.Popen(
                [sys.executable, "-m", "bench.steps", name, argument],
                cwd=REPO,
                env=self.env(**env),
                stdout=subprocess.PIPE,
                stderr=stderr,
                text=True,
            )
            assert process.stdout is not None
            output = process.stdout.read()
            returncode, peak = wait_with_usage(process)
        if returncode != 0:
            raise BenchError(f"step {name} failed (exit {returncode}); see {log}")
        return json.loads(output.strip().splitlines()[-1]), peak

    def events(self, orders: int, pool: str) -> None:
        import redis

        probe = redis.Redis.from_url(self.redis_url)
        try:
            probe.ping()
        except redis.RedisError:
            print(f"Redis is not reachable at {self.redis_url}: events step skipped.")
            self.results["events_per_s"] = None
            return
        from bench.worker import DONE, FAILED, FIRST, LAST

        probe.delete(*REDIS_KEYS, FIRST, LAST, DONE, FAILED)
        self.step("prepare_events")
        queued, enqueue_peak = self.step(
            "enqueue_events",
            str(orders),
            CELERY_TASK_ALWAYS_EAGER="0",
            CELERY_BROKER_URL=self.redis_url,
        )
        expected = queued["events"]

        print(f"  worker ({pool}, concurrency 1) on {expected} events ...", flush=True)
        log = (self.workdir / "worker.log").open("w")
        worker = subprocess.Popen(
            [
                *(sys.executable, "-m", "celery", "-A", "bench.worker", "worker"),
                *("--concurrency", "1", "--pool", pool, "--loglevel", "WARNING"),
                *("--without-mingle", "--without-gossip", "--without-heartbeat"),
                *("--hostname", "kinship-bench@%h"),
            ],
            cwd=REPO,
            env=self.env(
                CELERY_TASK_ALWAYS_EAGER="0", CELERY_BROKER_URL=self.redis_url
            ),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + WORKER_TIMEOUT_S
        while int(probe.get(DONE) or 0) < expected:
            if worker.poll() is not None or time.monotonic() > deadline:
                worker.kill()
                raise BenchError(f"the worker did not finish; see {log.name}")
            time.sleep(0.2)
        worker.send_signal(signal.SIGTERM)
        _, worker_peak = wait_with_usage(worker)
        log.close()

        seconds = float(probe.get(LAST) or 0) - float(probe.get(FIRST) or 0)
        checked, _ = self.step("check_events", str(orders))
        self.results.update(
            events=expected,
            events_s=seconds,
            events_per_s=expected / seconds if seconds > 0 else None,
            events_retried_or_failed=int(probe.get(FAILED) or 0),
            events_enqueue_s=queued["enqueue_s"],
            events_ok=checked["ok"],
            events_pool=pool,
        )
        self.results["peak_rss_mb"].update(
            events_enqueue=enqueue_peak, events_worker=worker_peak
        )
        probe.delete(*REDIS_KEYS, FIRST, LAST, DONE, FAILED)

    def history(self, repeat: int) -> None:
        peaks = self.results["peak_rss_mb"]
        imported, peaks["import"] = self.step("import_master")
        backfilled, peaks["backfill"] = self.step("backfill")
        scored, peaks["rescore"] = self.step("rescore", str(repeat))
        baseline, peaks["rescore_pandas"] = self.step("rescore_pandas", str(repeat))
        agreement, _ = self.step("compare", str(self.workdir / "pandas_scores.csv"))
        self.results.update(
            import_s=imported["import_s"],
            orders=imported["orders"],
            backfill_s=backfilled["backfill_s"],
            loyalty_orders=backfilled["orders"],
            customers=scored["customers"],
            rescore_s=scored["rescore_s"],
            rescore_phases_s=scored["phases"],
            rescore_runs_s=scored["runs"],
            rescore_pandas_s=baseline["rescore_pandas_s"],
            rescore_pandas_runs_s=baseline["runs"],
            rescore_ratio=scored["rescore_s"] / baseline["rescore_pandas_s"],
            agreement_with_pandas=agreement,
        )


def wait_with_usage(process: subprocess.Popen) -> tuple[int, float]:
    """Wait for a child; return its exit code and peak RSS in MB (children too)."""
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return process.returncode, usage.ru_maxrss / 1024


def server_connection(database_url: str) -> psycopg.Connection:
    config = dj_database_url.parse(database_url)
    return psycopg.connect(
        dbname="postgres",
        host=config.get("HOST") or None,
        port=config.get("PORT") or None,
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
        autocommit=True,
        connect_timeout=5,
    )


def recreate_database(database_url: str, *, drop_only: bool = False) -> None:
    name = sql.Identifier(dj_database_url.parse(database_url)["NAME"])
    with server_connection(database_url) as server:
        server.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(name))
        if not drop_only:
            server.execute(sql.SQL("CREATE DATABASE {}").format(name))


def migrate(bench: Bench, syncdb: bool) -> None:
    commands = [["migrate", "--no-input", "-v0"]]
    if syncdb:
        # For a checkout whose kinship migrations are not generated yet.
        commands.append(["migrate", "--run-syncdb", "--no-input", "-v0"])
    for command in commands:
        subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=REPO,
            env=bench.env(),
            check=True,
        )


def met(name: str, value: float | None) -> str:
    if name not in TARGETS or value is None:
        return ""
    operator, target = TARGETS[name]
    ok = value >= target if operator == ">=" else value <= target
    return "yes" if ok else "NO"


def table(results: dict[str, Any]) -> str:
    peaks = results["peak_rss_mb"]
    rows = [
        (
            "events_per_s",
            f"{results['events']:,} order events, 1 worker"
            if results.get("events")
            else "skipped",
            results.get("events_per_s"),
            "/s",
            peaks.get("events_worker"),
        ),
        (
            "backfill_s",
            f"{results['orders']:,} CDNOW orders",
            results["backfill_s"],
            "s",
            peaks["backfill"],
        ),
        (
            "rescore_s",
            f"{results['customers']:,} customers",
            results["rescore_s"],
            "s",
            peaks["rescore"],
        ),
        (
            "rescore_pandas_s",
            "pandas + scipy baseline",
            results["rescore_pandas_s"],
            "s",
            peaks["rescore_pandas"],
        ),
        ("rescore_ratio", "kinship / pandas", results["rescore_ratio"], "", None),
    ]
    lines = [
        f"{'measure':<18} {'what':<30} {'value':>12} {'target':>9} "
        f"{'met':>4} {'peak RSS':>9}"
    ]
    for name, what, value, unit, peak in rows:
        operator, target = TARGETS.get(name, ("", None))
        shown = "-" if value is None else f"{value:,.2f}{unit}"
        lines.append(
            f"{name:<18} {what:<30} {shown:>12} "
            f"{(f'{operator} {target:g}' if target else ''):>9} "
            f"{met(name, value):>4} "
            f"{(f'{peak:.0f} MB' if peak else ''):>9}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark kinship.")
    parser.add_argument("--orders", type=int, default=2500, help="orders (2 events)")
    parser.add_argument("--repeat", type=int, default=5, help="rescoring runs")
    parser.add_argument("--skip-events", action="store_true")
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument("--syncdb", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    default_url = os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)
    config = dj_database_url.parse(default_url)
    database_url = os.environ.get("BENCH_DATABASE_URL") or urlunsplit(
        urlsplit(default_url)._replace(path=f"/{BENCH_DATABASE}")
    )
    if dj_database_url.parse(database_url)["NAME"] == config["NAME"]:
        print("The benchmark needs a database of its own; set BENCH_DATABASE_URL.")
        return 1
    redis_url = os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL)
    pool = os.environ.get("BENCH_POOL", "prefork")

    with tempfile.TemporaryDirectory(prefix="kinship-bench-") as workdir:
        bench = Bench(database_url, redis_url, Path(workdir))
        print(f"Benchmark database: {dj_database_url.parse(database_url)['NAME']}")
        recreate_database(database_url)
        try:
            migrate(bench, args.syncdb)
            # History first: the order events then land in a shop with 23,570
            # customers, and the backfill replays only the CDNOW orders.
            bench.history(args.repeat)
            if args.skip_events:
                bench.results["events_per_s"] = None
            else:
                bench.events(args.orders, pool)
        except (BenchError, subprocess.CalledProcessError) as error:
            print(f"Benchmark stopped: {error}")
            for log in sorted(Path(workdir).glob("*.log")):
                tail = log.read_text().strip().splitlines()[-5:]
                if tail:
                    print(f"--- {log.name}\n" + "\n".join(tail))
            return 1
        finally:
            if not args.keep_db:
                recreate_database(database_url, drop_only=True)

    results = bench.results
    results["targets"] = {
        name: {"target": f"{operator} {target:g}", "met": met(name, results.get(name))}
        for name, (operator, target) in TARGETS.items()
    }
    results["machine"] = {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(table(results))
    print(f"Written to {RESULTS.relative_to(REPO)}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
