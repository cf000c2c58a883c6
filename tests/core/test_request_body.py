"""Whatever the body, the endpoint answers JSON with a code: never HTML, never 500."""

import json
import urllib.error
import urllib.request

import pytest
from django.test import Client

from ..federation.conftest import live_server  # noqa: F401

ME = json.dumps({"query": "{ me { id } }"})


def post(body, content_type="application/json", **extra):
    return Client().post("/graphql/", body, content_type=content_type, **extra)


def coded(response):
    """Return the status, message and code of a refused request."""
    assert response["Content-Type"] == "application/json"
    [error] = response.json()["errors"]
    return response.status_code, error["message"], error["extensions"]["exception"]


NOT_AN_OBJECT = "Send a JSON object with a `query`."
NO_QUERY = "Send a JSON object with a `query` string."
NOT_JSON = "The request body is not JSON."
BAD_VARIABLES = "`variables` must be a JSON object."
OPEN_ME = '{"query": "{ me { id } }"'


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("null", NOT_AN_OBJECT),
        ('"{ me { id } }"', NOT_AN_OBJECT),
        ("{'query': '{ me { id } }'}", NOT_JSON),
        (b"\xff\xfe{", NOT_JSON),
        (
            "[" * 100_000 + "]" * 100_000,
            "The request body nests too deeply to be read.",
        ),
        ('{"query": ""}', NO_QUERY),
        ('{"query": ["{ me { id } }"]}', NO_QUERY),
        ('{"query": {"text": "{ me { id } }"}}', NO_QUERY),
        (OPEN_ME + ', "variables": "{}"}', BAD_VARIABLES),
        (OPEN_ME + ', "variables": []}', BAD_VARIABLES),
        (OPEN_ME + ', "operationName": 1}', "`operationName` must be a string."),
    ],
    ids=[
        "null",
        "a string",
        "single quotes",
        "not utf-8",
        "nested too deeply",
        "empty query",
        "query a list",
        "query an object",
        "variables a string",
        "variables a list",
        "operation name a number",
    ],
)
def test_a_body_that_is_no_graphql_request_is_a_coded_400(db, body, message):
    assert coded(post(body)) == (400, message, {"code": "GRAPHQL_ERROR"})


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/x-www-form-urlencoded", "application/graphql", ""],
)
def test_a_body_that_is_not_sent_as_json_is_a_coded_415(db, content_type):
    assert coded(post(ME, content_type=content_type)) == (
        415,
        "Send the request body as JSON, with 'Content-Type: application/json'.",
        {"code": "GRAPHQL_ERROR"},
    )


def test_a_form_posted_as_a_browser_would_is_a_coded_415(db):
    response = Client().post("/graphql/", {"query": "{ me { id } }"})
    assert coded(response)[:1] == (415,)


def test_json_with_a_charset_is_read(anonymous_api):
    response = post(ME, content_type="application/json; charset=utf-8")
    assert response.json() == {"data": {"me": None}}


def test_a_content_length_that_is_no_number_is_a_coded_400(db):
    response = post(ME, CONTENT_LENGTH="twelve")
    assert coded(response) == (
        400,
        "The Content-Length header is not a number.",
        {"code": "GRAPHQL_ERROR"},
    )


def padded(size):
    """Return a valid request of `size` bytes: a query and a long comment."""
    start = '{"query": "{ me { id } } #'
    return start + "x" * (size - len(start) - 2) + '"}'


@pytest.mark.parametrize(
    "size",
    [1_000_001, 2_700_000, 10_000_000],
    ids=["just over ours", "over django's", "ten megabytes"],
)
def test_a_body_over_the_limit_is_a_coded_413(db, size):
    body = padded(size)
    assert len(body) == size

    assert coded(post(body)) == (
        413,
        "The request body is over 1000000 bytes, the limit.",
        {"code": "GRAPHQL_ERROR"},
    )


def test_a_body_at_the_limit_is_read(db, settings):
    settings.KINSHIP_GRAPHQL_MAX_LENGTH = 1_000_000
    response = post(padded(1_000_000))
    assert response.json() == {"data": {"me": None}}


def test_the_limit_is_djangos_when_that_is_lower(db, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 50_000

    assert coded(post(padded(50_001)))[:2] == (
        413,
        "The request body is over 50000 bytes, the limit.",
    )


@pytest.mark.parametrize("method", ["get", "put", "delete"])
def test_other_methods_are_a_coded_405(db, method):
    response = getattr(Client(), method)("/graphql/", HTTP_ACCEPT="application/json")
    assert coded(response) == (
        405,
        "Send GraphQL requests as POST.",
        {"code": "GRAPHQL_ERROR"},
    )


def live_post(server, body: bytes, content_type="application/json"):
    """Post raw bytes to the live server; return status, content type and body."""
    request = urllib.request.Request(
        server.url + "/graphql/",
        data=body,
        headers={"Content-Type": content_type},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers["Content-Type"], response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read()


@pytest.mark.django_db(transaction=True)
def test_a_large_body_over_http_is_json_not_djangos_page(live_server):  # noqa: F811
    status, content_type, raw = live_post(live_server, padded(3_000_000).encode())

    assert (status, content_type) == (413, "application/json")
    assert json.loads(raw)["errors"][0]["message"] == (
        "The request body is over 1000000 bytes, the limit."
    )


@pytest.mark.django_db(transaction=True)
def test_malformed_bodies_over_http_are_json(live_server):  # noqa: F811
    bodies = [b"", b"{not json", b"[1]", b'{"query": 5}', b"\x00\xff"]
    answers = [live_post(live_server, body) for body in bodies]
    answers.append(live_post(live_server, ME.encode(), content_type="text/plain"))

    assert [(status, content_type) for status, content_type, _ in answers] == [
        (400, "application/json"),
        (400, "application/json"),
        (400, "application/json"),
        (400, "application/json"),
        (400, "application/json"),
        (415, "application/json"),
    ]
    for _, _, raw in answers:
        [error] = json.loads(raw)["errors"]
        assert error["extensions"]["exception"]["code"] == "GRAPHQL_ERROR"
