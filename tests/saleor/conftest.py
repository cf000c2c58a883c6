"""The Saleor suite: the same scenarios, inside a real Saleor installation."""

import importlib.util

import pytest

if importlib.util.find_spec("saleor") is None:
    pytest.skip(
        "Saleor is not importable here: the Saleor suite runs only inside a "
        "Saleor 3.24 environment (see README, 'Running inside Saleor').",
        allow_module_level=True,
    )
