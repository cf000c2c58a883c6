"""The Saleor suite: kinship's scenarios inside a real Saleor installation.

Run from kinship's folder in Saleor's environment:
    DJANGO_SETTINGS_MODULE=saleor.tests.settings pytest tests/saleor
Elsewhere the whole folder is skipped with one line.
"""

import importlib.util
from pathlib import Path

import pytest

if importlib.util.find_spec("saleor") is None:
    pytest.skip(
        "Saleor is not importable here: the Saleor suite runs only inside a "
        "Saleor 3.24 environment (see README, 'Running inside Saleor').",
        allow_module_level=True,
    )

import saleor

# Saleor's own root conftest sets up its test databases and lists its fixture
# modules; it is not an ancestor of this folder, so load it by path.
_root = Path(saleor.__file__).resolve().parent.parent / "conftest.py"
_spec = importlib.util.spec_from_file_location("saleor_root_conftest", _root)
assert _spec and _spec.loader
_saleor_conftest = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_saleor_conftest)


def pytest_configure(config):
    for module in [*_saleor_conftest.pytest_plugins, "saleor.graphql.conftest"]:
        config.pluginmanager.import_plugin(module)


# tests/conftest.py defines fixtures with the same names for the reference
# host; the nearer definitions below make Saleor's win in this folder.
from saleor.account.tests.fixtures.user import staff_user  # noqa: E402, F401

from .fixtures import *  # noqa: E402, F403
