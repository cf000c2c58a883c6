"""The Node side of the federation tests: Apollo's packages and servers.

The packages are installed once with `npm ci` into a cache folder named after
the lock file's hash (outside the clone, so CI on the same machine reuses
them), and the scripts in `compose/` run with that folder on NODE_PATH.
"""

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pytest

COMPOSE_DIR = Path(__file__).resolve().parent / "compose"
REPO_ROOT = Path(__file__).resolve().parents[2]
SALEOR_SDL = REPO_ROOT.parent / "shared" / "data" / "saleor" / "subgraph-3.24.graphql"
INSTALL_TIMEOUT = 300
START_TIMEOUT = 60
# --ignore-scripts: the packages need none of their install scripts here.
NPM_CI = (
    *("npm", "ci", "--prefer-offline", "--no-audit", "--no-fund"),
    *("--ignore-scripts", "--loglevel=error"),
)


def saleor_sdl_path() -> Path:
    """Return Saleor's subgraph SDL, or skip the test with one line."""
    path = Path(os.environ.get("KINSHIP_SALEOR_SDL", SALEOR_SDL))
    if not path.is_file():
        pytest.skip(f"Saleor's subgraph schema is not at {path}.")
    return path


def _cache_root() -> Path:
    default = Path.home() / ".cache" / "saleor-kinship"
    return Path(os.environ.get("KINSHIP_TEST_CACHE", default))


class NodeScripts:
    """Runs the scripts of `compose/` with the installed packages."""

    def __init__(self, node_modules: Path):
        self.env = {**os.environ, "NODE_PATH": str(node_modules)}
        self.servers: list[subprocess.Popen] = []
        self.logs: list[Any] = []

    def run(self, script: str, *arguments: str) -> dict[str, Any]:
        """Run a script to its end and return the JSON object it printed."""
        finished = subprocess.run(
            ["node", str(COMPOSE_DIR / script), *arguments],
            capture_output=True,
            text=True,
            env=self.env,
            timeout=120,
        )
        if not finished.stdout.strip():
            raise AssertionError(f"{script} printed nothing: {finished.stderr}")
        return json.loads(finished.stdout.strip().splitlines()[-1])

    def start(self, script: str, *arguments: str) -> str:
        """Start a server script and return the URL it listens on."""
        # A file, not a pipe, which would block Node once full; it lives as
        # long as the server and closes with stop_all().
        log = tempfile.TemporaryFile("w+")  # noqa: SIM115
        self.logs.append(log)
        server = subprocess.Popen(
            ["node", str(COMPOSE_DIR / script), *arguments],
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
            env=self.env,
        )
        self.servers.append(server)
        assert server.stdout is not None
        # The script prints one JSON line once it listens, or dies.
        line = server.stdout.readline()
        if not line:
            server.wait(timeout=START_TIMEOUT)
            log.seek(0)
            raise AssertionError(f"{script} did not start: {log.read()[-3000:]}")
        return json.loads(line)["url"]

    def stop_all(self) -> None:
        for server in self.servers:
            server.terminate()
        for server in self.servers:
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
        for log in self.logs:
            log.close()
        self.servers.clear()
        self.logs.clear()


def install_node_packages() -> Path:
    """Install the packages of compose/ once and return their folder, or skip."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("Node.js and npm are not installed: federation not checked.")
    lock = (COMPOSE_DIR / "package-lock.json").read_bytes()
    target = _cache_root() / f"federation-{hashlib.sha256(lock).hexdigest()[:16]}"
    done = target / ".installed"
    if not done.exists():
        target.mkdir(parents=True, exist_ok=True)
        for name in ("package.json", "package-lock.json"):
            shutil.copyfile(COMPOSE_DIR / name, target / name)
        try:
            installed = subprocess.run(
                NPM_CI,
                cwd=target,
                capture_output=True,
                text=True,
                timeout=INSTALL_TIMEOUT,
            )
        except subprocess.TimeoutExpired:
            pytest.skip("npm ci of the federation packages timed out.")
        if installed.returncode != 0:
            last = (installed.stderr.strip().splitlines() or ["no output"])[-1]
            pytest.skip(f"npm ci of the federation packages failed: {last}")
        done.touch()
    return target / "node_modules"
