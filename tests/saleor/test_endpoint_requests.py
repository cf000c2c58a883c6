"""Saleor's plugin route hands the request to the same view: same answers."""

import json

import pytest
from django.test import Client


def coded(response):
    assert response["Content-Type"] == "application/json"
    [error] = response.json()["errors"]
    return response.status_code, error["extensions"]["exception"]["code"]


def padded(size):
    start = '{"query": "{ me { id } } #'
    return start + "x" * (size - len(start) - 2) + '"}'


@pytest.mark.parametrize("size", [1_000_001, 3_000_000])
def test_a_large_body_is_a_coded_413(kinship_plugin, kinship_url, size):
    response = Client().post(kinship_url, padded(size), content_type="application/json")
    assert coded(response) == (413, "GRAPHQL_ERROR")


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        ("{not json", "application/json", 400),
        ('{"query": "{ me { id } }", "variables": "x"}', "application/json", 400),
        (json.dumps({"query": "{ me { id } }"}), "text/plain", 415),
    ],
)
def test_a_malformed_request_is_coded_json(
    kinship_plugin, kinship_url, body, content_type, status
):
    response = Client().post(kinship_url, body, content_type=content_type)
    assert coded(response) == (status, "GRAPHQL_ERROR")


def test_a_nul_in_a_variable_is_refused_with_a_code(kinship_staff_api):
    response = kinship_staff_api.post_graphql(
        "query($s: String) { customers(first: 5, search: $s) { totalCount } }",
        {"s": "\x00"},
    )

    body = response.json()
    assert body["data"] == {"customers": None}
    assert [error["extensions"]["exception"]["code"] for error in body["errors"]] == [
        "INVALID"
    ]


def test_a_surrogate_in_a_mutation_is_in_its_errors(kinship_customer_api):
    response = kinship_customer_api.post_graphql(
        "mutation($m: String) "
        "{ kinshipResellerApply(message: $m) { errors { field code } } }",
        {"m": "\ud800"},
    )

    assert response.json()["data"]["kinshipResellerApply"]["errors"] == [
        {"field": "message", "code": "INVALID"}
    ]
