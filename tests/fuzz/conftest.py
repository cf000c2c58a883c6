import pytest

from ..federation.conftest import live_server  # noqa: F401
from .environment import fuzz_python


@pytest.fixture(scope="session")
def fuzz_interpreter():
    return fuzz_python()
