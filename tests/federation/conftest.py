import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .node import NodeScripts, install_node_packages, saleor_sdl_path


@pytest.fixture(scope="session")
def live_server() -> Iterator[Any]:
    """Django's live server on 127.0.0.1, serving the application alone.

    pytest-django's binds localhost and wraps the application in a static
    files handler, which fails without STATIC_URL (the host serves none).
    """
    from django.core.handlers.wsgi import WSGIHandler
    from pytest_django.live_server_helper import LiveServer

    server = LiveServer("127.0.0.1:0", start=False)
    server.thread.static_handler = lambda media_handler: WSGIHandler()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def saleor_sdl():
    return saleor_sdl_path()


@pytest.fixture(scope="session")
def node_modules() -> Path:
    return install_node_packages()


@pytest.fixture
def node_scripts(node_modules) -> Iterator[NodeScripts]:
    """Run compose/'s scripts; servers started in a test stop after it."""
    scripts = NodeScripts(node_modules)
    yield scripts
    scripts.stop_all()


@pytest.fixture
def kinship_sdl(tmp_path):
    """Kinship's subgraph SDL as the endpoint serves it, in a file."""
    from django.test import Client

    response = Client().post(
        "/graphql/",
        json.dumps({"query": "{ _service { sdl } }"}),
        content_type="application/json",
    )
    path = tmp_path / "kinship.graphql"
    path.write_text(response.json()["data"]["_service"]["sdl"])
    return path
