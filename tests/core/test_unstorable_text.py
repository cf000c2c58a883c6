"""NUL characters and surrogate code points: refused with a code, never stored.

The test client sends variables through json.dumps, which writes them as the
JSON escapes a browser would send (`\\u0000`, `\\ud800`).
"""

import json

import pytest
from django.test import Client

from saleor_kinship.graphql.core.ids import customer_global_id
from saleor_kinship.interactions.models import Interaction

NUL = ("a\x00b", "a NUL character (U+0000)")
LONE_HIGH = ("a\ud800", "a surrogate code point (U+D800)")
LONE_LOW = ("\udfffb", "a surrogate code point (U+DFFF)")
BAD_TEXTS = pytest.mark.parametrize(
    ("text", "what"), [NUL, LONE_HIGH, LONE_LOW], ids=["nul", "high", "low"]
)

SEARCH = "query($term: String) { customers(first: 5, search: $term) { totalCount } }"

CREATE = """
mutation($customer: ID!, $input: KinshipInteractionCreateInput!) {
  kinshipInteractionCreate(customer: $customer, input: $input) {
    errors { field code message }
    interaction { summary }
  }
}
"""


def refusal(body):
    return [
        (error["message"], error["extensions"]["exception"]["code"], error["path"])
        for error in body["errors"]
    ]


@BAD_TEXTS
def test_a_query_variable_is_refused_naming_argument_and_variable(
    staff_api, text, what
):
    body = staff_api.query(SEARCH, {"term": text})

    assert body["data"] == {"customers": None}
    assert refusal(body) == [
        (
            f'The argument "search" (from $term) of "customers" contains {what}, '
            "which text may not hold.",
            "INVALID",
            ["customers"],
        )
    ]


@pytest.mark.parametrize(
    ("literal", "what"),
    [(r"a\u0000b", NUL[1]), (r"\ud800", LONE_HIGH[1])],
    ids=["nul", "surrogate"],
)
def test_a_string_literal_with_an_escape_is_refused(staff_api, literal, what):
    body = staff_api.query(
        '{ customers(first: 5, search: "' + literal + '") { totalCount } }'
    )

    assert refusal(body) == [
        (
            f'The argument "search" of "customers" contains {what}, '
            "which text may not hold.",
            "INVALID",
            ["customers"],
        )
    ]


def test_the_refusal_names_where_inside_an_input(staff_api):
    body = staff_api.query(
        "query($filter: KinshipCustomerFilterInput) "
        "{ customers(first: 5, filter: $filter) { totalCount } }",
        {"filter": {"tiers": ["gold", "si\x00lver"]}},
    )

    assert refusal(body) == [
        (
            'The argument "filter.tiers[1]" (from $filter) of "customers" '
            "contains a NUL character (U+0000), which text may not hold.",
            "INVALID",
            ["customers"],
        )
    ]


def test_other_fields_of_the_query_still_answer(customer_api, customer):
    body = customer_api.query(
        "query($term: String) { me { email } "
        "customers(first: 1, search: $term) { totalCount } }",
        {"term": "\x00"},
    )

    assert body["data"] == {"me": {"email": "ann@example.com"}, "customers": None}
    assert [error["extensions"]["exception"]["code"] for error in body["errors"]] == [
        "INVALID"
    ]


@BAD_TEXTS
def test_a_mutation_answers_in_its_errors_and_stores_nothing(
    staff_api, customer, text, what
):
    body = staff_api.data(
        CREATE,
        {
            "customer": customer_global_id(customer.pk),
            "input": {"kind": "CALL", "summary": "Tea", "body": text},
        },
    )

    assert body["kinshipInteractionCreate"] == {
        "errors": [
            {
                "field": "body",
                "code": "INVALID",
                "message": f"Text may not contain {what}.",
            }
        ],
        "interaction": None,
    }
    assert not Interaction.objects.filter(customer=customer).exists()


def test_a_mutation_refuses_an_escape_written_in_the_query(staff_api, customer):
    body = staff_api.data(
        """
        mutation($customer: ID!) {
          kinshipInteractionCreate(
            customer: $customer, input: {kind: NOTE, summary: "Tea\\u0000"}
          ) { errors { field code } }
        }
        """,
        {"customer": customer_global_id(customer.pk)},
    )

    assert body["kinshipInteractionCreate"]["errors"] == [
        {"field": "summary", "code": "INVALID"}
    ]
    assert not Interaction.objects.filter(customer=customer).exists()


def test_a_refused_top_level_argument_of_a_mutation_is_named(customer_api):
    body = customer_api.data(
        "mutation($message: String) "
        "{ kinshipResellerApply(message: $message) { errors { field code } } }",
        {"message": "I sell\ud83d to friends"},
    )

    assert body["kinshipResellerApply"]["errors"] == [
        {"field": "message", "code": "INVALID"}
    ]


def test_a_character_written_as_a_json_surrogate_pair_is_stored(staff_api, customer):
    # json.dumps writes U+1F375 as the pair \ud83c\udf75, which JSON joins again.
    summary = "Tea \U0001f375"
    body = staff_api.data(
        CREATE,
        {
            "customer": customer_global_id(customer.pk),
            "input": {"kind": "CALL", "summary": summary},
        },
    )

    assert body["kinshipInteractionCreate"] == {
        "errors": [],
        "interaction": {"summary": summary},
    }
    assert Interaction.objects.get(customer=customer).summary == summary


def test_a_raw_body_with_escapes_is_refused_not_a_server_error(db):
    raw = (
        '{"query": "query($t: String) { customers(first: 1, search: $t) '
        '{ totalCount } }", "variables": {"t": "\\ud800\\u0000"}}'
    )

    response = Client().post("/graphql/", raw, content_type="application/json")

    assert response.status_code == 200
    body = response.json()
    # Anonymous: permission is checked by the resolver, which never runs.
    assert refusal(body)[0][1] == "INVALID"
    assert "Traceback" not in json.dumps(body)
