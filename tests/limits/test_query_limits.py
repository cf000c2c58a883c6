"""Depth and cost limits: refused before anything runs, with the numbers."""

import json

import graphene
import pytest
from graphql import parse, validate
from graphql.utils.introspection_query import introspection_query

from saleor_kinship.graphql.core.errors import format_error
from saleor_kinship.graphql.limits import check_limits, validate_query


class Shelf(graphene.ObjectType):
    name = graphene.String()
    shelf = graphene.Field(lambda: Shelf)
    shelves = graphene.List(lambda: Shelf, first=graphene.Int(), last=graphene.Int())
    pages = graphene.List(lambda: Shelf, first=graphene.Int(default_value=30))


class Query(graphene.ObjectType):
    shelf = graphene.Field(Shelf, on=graphene.Date(), price=graphene.Decimal())
    shelves = graphene.List(Shelf, first=graphene.Int(), last=graphene.Int())
    entities = graphene.List(
        Shelf, name="_entities", representations=graphene.List(graphene.String)
    )


SCHEMA = graphene.Schema(query=Query)


def measure(query, variables=None, operation=None, settings=None):
    """Return the messages check_limits gives a valid query."""
    document = parse(query)
    assert validate(SCHEMA, document) == []
    errors = check_limits(SCHEMA, document, variables or {}, operation)
    assert all(error.code.name == "QUERY_TOO_COMPLEX" for error in errors)
    return [error.message for error in errors]


def nested(levels):
    return "{ " + "shelf { " * levels + "name" + " }" * (levels + 1)


@pytest.fixture
def small_limits(settings):
    settings.KINSHIP_GRAPHQL_MAX_DEPTH = 4
    settings.KINSHIP_GRAPHQL_MAX_COST = 50


def test_depth_counts_nested_fields(small_limits):
    # Settings of the shop's Django project override the defaults (12, 10000).
    assert measure(nested(3)) == []  # three shelves and a name: 4 deep
    assert measure(nested(4)) == ["The query nests fields 5 deep; the limit is 4."]


def test_a_page_multiplies_the_cost_of_what_it_holds(small_limits):
    # shelves (1) + 12 x (name + shelf + its name) = 37
    assert measure("{ shelves(first: 12) { name shelf { name } } }") == []
    # 1 + 17 x 3 = 52
    [message] = measure("{ shelves(last: 17) { name shelf { name } } }")
    assert message.startswith("The query costs 52; the limit is 50.")


def test_page_sizes_come_from_variables_defaults_and_are_capped(settings):
    settings.KINSHIP_GRAPHQL_MAX_COST = 150
    query = "query($n: Int = 40) { shelves(first: $n) { name shelf { name } } }"

    assert measure(query) == []  # 1 + 40 x 3 = 121
    assert measure(query, {"n": 49}) == []  # 148
    [too_much] = measure(query, {"n": 50})  # 151
    assert too_much.startswith("The query costs 151;")
    # A size over a hundred is refused when the page loads; it costs 100.
    [capped] = measure(query, {"n": 5000})
    assert capped.startswith("The query costs 301;")
    # The argument's own default counts too: pages(first = 30).
    settings.KINSHIP_GRAPHQL_MAX_COST = 90
    [by_default] = measure("{ shelf { pages { name shelf { name } } } }")
    assert by_default.startswith("The query costs 92;")  # 1 + 1 + 30 x 3


def test_fragments_count_where_they_are_spread(small_limits, settings):
    query = """
    query { shelves(first: 10) { ...Deep } shelf { ...Deep } }
    fragment Deep on Shelf { name shelf { ... on Shelf { shelf { name } } } }
    """
    # Deep costs 4 and nests 3: 1 + 10 x 4 under the page, 1 + 4 under the
    # shelf, and 4 deep with either.
    assert measure(query) == []
    settings.KINSHIP_GRAPHQL_MAX_COST = 45
    [message] = measure(query)
    assert message.startswith("The query costs 46; the limit is 45.")


def test_each_spread_of_a_fragment_adds_its_cost(settings):
    settings.KINSHIP_GRAPHQL_MAX_COST = 10
    query = """
    query { a: shelf { ...Two } b: shelf { ...Two } c: shelf { ...Two } }
    fragment Two on Shelf { name shelf { name } }
    """
    # Three shelves of 1 + 3 each: 12.
    assert measure(query) == [
        "The query costs 12; the limit is 10. Each field costs 1, and a list "
        "page costs its `first` or `last` times the fields inside it: ask for "
        "smaller pages or fewer fields."
    ]


def test_inline_fragments_and_fragments_nest_into_depth(small_limits):
    query = """
    { shelf { ... on Shelf { shelf { ...Two } } } }
    fragment Two on Shelf { shelf { shelf { name } } }
    """
    assert measure(query) == ["The query nests fields 5 deep; the limit is 4."]


def test_a_fragment_bomb_is_measured_without_expanding_it(settings):
    fragments = "\n".join(
        f"fragment F{n} on Shelf {{ a: shelf {{ ...F{n + 1} }} "
        f"b: shelf {{ ...F{n + 1} }} }}"
        for n in range(40)
    )
    query = "{ shelf { ...F0 } }\n" + fragments + "\nfragment F40 on Shelf { name }"

    depth, cost = measure(query)

    # Each level doubles what is below it: 3 x 2^40 - 2 fields, 42 deep.
    assert depth == "The query nests fields 42 deep; the limit is 12."
    assert cost.startswith("The query costs 3298534883327; the limit is 10000.")


def test_entities_cost_once_per_representation(settings):
    settings.KINSHIP_GRAPHQL_MAX_COST = 20
    query = (
        "query($r: [String]) { _entities(representations: $r) { name shelf { name } } }"
    )

    assert measure(query, {"r": ["a"] * 6}) == []  # 1 + 6 x 3 = 19
    [message] = measure(query, {"r": ["a"] * 7})
    assert message.startswith("The query costs 22;")


def test_only_the_chosen_operation_is_measured(small_limits):
    query = "query Small { shelf { name } }\nquery Deep " + nested(6)
    assert measure(query, operation="Small") == []
    assert measure(query, operation="Deep") == [
        "The query nests fields 7 deep; the limit is 4."
    ]


def test_graphiqls_introspection_passes_but_deeper_lists_do_not():
    assert measure(introspection_query) == []
    assert measure("{ __schema { types { fields { args { name } } } } }") == []
    four_lists = "{ __schema { types { fields { type { fields { type { fields {"
    assert measure(four_lists + " name } } } } } } } }") == [
        "The introspection query nests 4 lists; the limit is 3."
    ]
    types = " ".join(f't{n}: __type(name: "Shelf") {{ name }}' for n in range(11))
    assert measure("{ " + types + " }") == [
        "The query asks for `__type` 11 times; the limit is 10."
    ]
    twice = "{ a: __schema { types { name } } b: __schema { types { name } } }"
    assert measure(twice) == ["The query asks for `__schema` 2 times; the limit is 1."]


@pytest.mark.parametrize(
    ("query", "variables", "expected"),
    [
        ('{ shelf(on: "") { name } }', {}, 'Argument "on": Date expects '),
        (
            "query($on: Date) { shelf(on: $on) { name } }",
            {"on": ""},
            'Variable "$on": Date expects ',
        ),
        (
            '{ shelf(price: "x") { name } }',
            {},
            'Argument "price": Decimal expects a decimal number, such as "12.50", '
            'not "x".',
        ),
        (
            "query($price: Decimal) { shelf(price: $price) { name } }",
            {"price": "x"},
            'Variable "$price": Decimal expects a decimal number, such as "12.50", '
            'not "x".',
        ),
    ],
    ids=[
        "empty date literal",
        "empty date variable",
        "decimal literal of letters",
        "decimal variable of letters",
    ],
)
def test_a_value_graphene_cannot_read_is_named(query, variables, expected):
    # graphene 2's Date and Decimal raise on these instead of refusing them.
    document, errors = validate_query(SCHEMA, query, variables)

    [error] = [format_error(error) for error in errors]
    assert error["message"].startswith(expected), error["message"]
    assert error["extensions"] == {"exception": {"code": "GRAPHQL_ERROR"}}


def test_a_variable_of_the_wrong_type_is_refused_before_running(small_limits):
    query = "query($on: Date!) { shelf(on: $on) { name } }"

    document, errors = validate_query(SCHEMA, query, {})

    assert [error.message for error in errors] == [
        'Variable "$on" of required type "Date!" was not provided.'
    ]


# Through the endpoint, with the real schema.

CUSTOMERS = "query($n: Int) { customers(first: $n) { edges { node { id email } } } }"


def codes(body):
    return [error["extensions"]["exception"]["code"] for error in body["errors"]]


def test_the_endpoint_refuses_a_costly_query_with_the_numbers(staff_api, settings):
    settings.KINSHIP_GRAPHQL_MAX_COST = 50

    allowed = staff_api.query(CUSTOMERS, {"n": 10})  # 1 + 10 x (1 + 1 + 2) = 41
    refused = staff_api.query(CUSTOMERS, {"n": 20})  # 81

    assert "errors" not in allowed
    assert codes(refused) == ["QUERY_TOO_COMPLEX"]
    assert refused["errors"][0]["message"].startswith(
        "The query costs 81; the limit is 50."
    )
    assert "data" not in refused


def test_the_endpoint_refuses_a_deep_query_before_running_it(staff_api, settings):
    settings.KINSHIP_GRAPHQL_MAX_DEPTH = 3

    body = staff_api.query(CUSTOMERS, {"n": 1})

    assert body == {
        "errors": [
            {
                "message": "The query nests fields 4 deep; the limit is 3.",
                "extensions": {"exception": {"code": "QUERY_TOO_COMPLEX"}},
            }
        ]
    }


def test_graphiql_introspection_works_through_the_endpoint(anonymous_api):
    data = anonymous_api.data(introspection_query)
    names = {graphql_type["name"] for graphql_type in data["__schema"]["types"]}
    assert {"Query", "KinshipCustomer", "User", "_Entity"} <= names


def test_a_fragment_cycle_is_refused_by_validation_not_by_a_crash(anonymous_api):
    body = anonymous_api.query(
        """
        { me { ...A } }
        fragment A on KinshipCustomer { ...B }
        fragment B on KinshipCustomer { ...A }
        """
    )
    assert codes(body) == ["GRAPHQL_ERROR"]
    assert body["errors"][0]["message"] == (
        'Cannot spread fragment "A" within itself via B.'
    )


def test_a_query_too_deep_to_parse_is_refused_with_a_code(anonymous_api):
    body = anonymous_api.query("{" + "me {" * 3000 + "id" + "}" * 3001)
    assert codes(body) == ["QUERY_TOO_COMPLEX"]
    assert "Traceback" not in json.dumps(body)
