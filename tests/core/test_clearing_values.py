"""Clearing a value as the README says: null in the variables, not in the query."""

import pytest

from saleor_kinship.graphql.core.ids import customer_global_id

SET = """
mutation Set($customer: ID!) {
  kinshipProfileUpdate(customer: $customer, input: {closeness: 4, trust: 5}) {
    profile { closeness trust } errors { field code message }
  }
}
"""

LITERAL_NULL = """
mutation Clear($customer: ID!) {
  kinshipProfileUpdate(customer: $customer, input: {closeness: null}) {
    profile { closeness trust } errors { field code message }
  }
}
"""

BY_VARIABLE = """
mutation Clear($customer: ID!, $closeness: Int) {
  kinshipProfileUpdate(customer: $customer, input: {closeness: $closeness}) {
    profile { closeness trust } errors { field code message }
  }
}
"""

BY_INPUT = """
mutation Update($customer: ID!, $input: KinshipProfileInput!) {
  kinshipProfileUpdate(customer: $customer, input: $input) {
    profile { closeness trust } errors { field code message }
  }
}
"""

PROFILE = """
query Profile($id: ID!) { customer(id: $id) { profile { closeness trust } } }
"""


@pytest.fixture
def ann(staff_api, customer) -> str:
    """Ann's id, her closeness 4 and trust 5."""
    ann_id = customer_global_id(customer.pk)
    saved = staff_api.data(SET, {"customer": ann_id})["kinshipProfileUpdate"]
    assert saved["profile"] == {"closeness": 4, "trust": 5}
    return ann_id


def profile(staff_api, ann_id: str) -> dict:
    return staff_api.data(PROFILE, {"id": ann_id})["customer"]["profile"]


def test_a_literal_null_in_the_query_is_a_syntax_error(staff_api, ann):
    body = staff_api.query(LITERAL_NULL, {"customer": ann})

    [error] = body["errors"]
    assert error["message"].startswith("Syntax Error GraphQL (3:64) ")
    assert 'Unexpected Name "null"' in error["message"]
    assert error["extensions"]["exception"]["code"] == "GRAPHQL_ERROR"
    assert profile(staff_api, ann) == {"closeness": 4, "trust": 5}


@pytest.mark.parametrize(
    ("query", "variables"),
    [
        (BY_VARIABLE, {"closeness": None}),
        (BY_INPUT, {"input": {"closeness": None}}),
        # Declared but not sent: null as well.
        (BY_VARIABLE, {}),
    ],
    ids=["variable", "input variable", "variable left out"],
)
def test_null_in_the_variables_clears_only_that_field(staff_api, ann, query, variables):
    data = staff_api.data(query, {"customer": ann, **variables})

    assert data["kinshipProfileUpdate"] == {
        "profile": {"closeness": None, "trust": 5},
        "errors": [],
    }
    assert profile(staff_api, ann) == {"closeness": None, "trust": 5}


def test_a_field_left_out_of_the_input_is_kept(staff_api, ann):
    data = staff_api.data(BY_INPUT, {"customer": ann, "input": {"trust": 2}})

    assert data["kinshipProfileUpdate"]["profile"] == {"closeness": 4, "trust": 2}
