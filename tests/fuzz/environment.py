"""The fuzz environment: a virtualenv of its own, built once per requirements.

hypothesis-graphql needs graphql-core 3 and kinship runs on graphql-core 2,
so the fuzzer runs in another interpreter and talks to kinship over HTTP.
The environment lives in a cache folder outside the clone, named after the
hash of requirements.txt, so later runs on the machine reuse it.
"""

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

REQUIREMENTS = Path(__file__).resolve().parent / "requirements.txt"
INSTALL_TIMEOUT = 300


def _cache_root() -> Path:
    default = Path.home() / ".cache" / "saleor-kinship"
    return Path(os.environ.get("KINSHIP_TEST_CACHE", default))


def _failed(step: str, output: str) -> None:
    last = (output.strip().splitlines() or ["no output"])[-1]
    pytest.skip(f"The fuzz environment could not be built ({step}): {last}")


def fuzz_python() -> Path:
    """Return the fuzz environment's Python, building it first if needed."""
    digest = hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()[:16]
    target = _cache_root() / f"fuzz-venv-{digest}"
    python = target / "bin" / "python"
    done = target / ".installed"
    if done.exists():
        return python
    steps = [
        ("venv", [sys.executable, "-m", "venv", "--clear", str(target)]),
        (
            "pip",
            [
                *(str(python), "-m", "pip", "install", "--disable-pip-version-check"),
                *("--quiet", "--requirement", str(REQUIREMENTS)),
            ],
        ),
    ]
    for step, command in steps:
        try:
            finished = subprocess.run(
                command, capture_output=True, text=True, timeout=INSTALL_TIMEOUT
            )
        except subprocess.TimeoutExpired:
            _failed(step, "timed out")
        if finished.returncode != 0:
            _failed(step, finished.stderr or finished.stdout)
    done.touch()
    return python
