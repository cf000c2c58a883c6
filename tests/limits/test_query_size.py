"""Size limits: a query too big to validate quickly is refused before validation."""

import pytest
from graphql import parse
from graphql.utils.introspection_query import introspection_query

from saleor_kinship.graphql.core.ids import customer_global_id
from saleor_kinship.graphql.size import (
    DEFAULT_MAX_COMPARISONS,
    DEFAULT_MAX_LENGTH,
    DEFAULT_MAX_PARTS,
    count_comparisons,
    count_parts,
)


def codes(body):
    return [error["extensions"]["exception"]["code"] for error in body["errors"]]


def repeated(field, times):
    return "{ " + f"{field} " * times + "}"


def diamond(levels):
    """Fragments spreading two fragments that spread the same next one."""
    fragments = [
        f"fragment F{n} on Query {{ ...A{n} ...B{n} }} "
        f"fragment A{n} on Query {{ ...F{n + 1} }} "
        f"fragment B{n} on Query {{ ...F{n + 1} }}"
        for n in range(levels)
    ]
    last = f"fragment F{levels} on Query {{ __typename }}"
    return "{ __typename ...F0 } " + " ".join(fragments) + " " + last


@pytest.mark.parametrize(
    ("query", "parts"),
    [
        ("{ a }", 2),
        ("{ a b(c: [1, 2]) @include(if: true) }", 8),
        ("query Q($v: Int = 1) { ... on Q { a } }", 5),
        # The fragment counts where it is defined and where it is spread.
        ("{ ...F } fragment F on Q { a }", 6),
        ("{ ...F ...F } fragment F on Q { a b }", 12),
        # A cycle is counted once round, not endlessly.
        ("{ a } fragment F on Q { ...F }", 6),
    ],
)
def test_parts_count_every_piece_and_each_spread_of_a_fragment(query, parts):
    assert count_parts(parse(query)) == parts


def test_a_fragment_spread_many_ways_counts_each_way():
    # F3 has 2 parts; A2 and B2 have 2 and F3's; F2 has 3 and A2's and B2's:
    # 2, 4, 4, 11, 13, 13, 29, 31, 31, 65, and the operation 3 + 65.
    assert count_parts(parse(diamond(3))) == 271
    # Each level doubles the ways to the fragments below it.
    assert count_parts(parse(diamond(60))) == 10**12  # where the count stops


@pytest.mark.parametrize(
    ("query", "comparisons"),
    [
        (repeated("a", 1), 0),
        (repeated("a", 4), 6),  # every pair of the four
        ("{ a b x: a a }", 1),  # an alias is a name of its own
        # A pair also costs the arguments' values (3 each) and selections (1
        # each) of both, and the pair of `g` below.
        ("{ f(x: [1, 2]) { g } f(x: [1, 2]) { g } }", 1 + 8 + 1),
        # The two fragments are compared with each other, and each with the
        # three fields of the level (theirs included).
        ("{ a ...F ...G } fragment F on Q { b } fragment G on Q { c }", 1 + 6),
    ],
)
def test_comparisons_count_pairs_sharing_a_name(query, comparisons):
    assert count_comparisons(parse(query), 10**6)[0] == comparisons


def test_graphiqls_introspection_is_well_inside_the_limits():
    document = parse(introspection_query)
    assert len(introspection_query) < DEFAULT_MAX_LENGTH / 20
    assert count_parts(document) < DEFAULT_MAX_PARTS / 5
    assert count_comparisons(document, 10**6)[0] < DEFAULT_MAX_COMPARISONS / 100


# Through the endpoint, with the real schema and the default limits.


def test_a_long_repeated_field_is_refused_by_its_length(anonymous_api):
    body = anonymous_api.query(repeated("__typename", 20_000))

    assert codes(body) == ["QUERY_TOO_COMPLEX"]
    assert body["errors"][0]["message"] == (
        "The query is 220003 characters long; the limit is 50000."
    )
    assert "data" not in body


def test_a_query_with_too_many_parts_is_refused_before_validation(anonymous_api):
    body = anonymous_api.query("{ " + " ".join(f"f{n}: x" for n in range(3000)) + " }")

    assert body == {
        "errors": [
            {
                "message": "The query has 3001 parts; the limit is 3000. Each "
                "operation, fragment, field, fragment spread, inline fragment, "
                "directive and value is a part, and a fragment's parts count "
                "again wherever it is spread.",
                "extensions": {"exception": {"code": "QUERY_TOO_COMPLEX"}},
            }
        ]
    }


def test_a_field_repeated_hundreds_of_times_is_refused(anonymous_api):
    body = anonymous_api.query(repeated("__typename", 300))

    assert codes(body) == ["QUERY_TOO_COMPLEX"]
    assert body["errors"][0]["message"] == (
        "The query repeats fields or fragments too often: checking that those "
        "sharing a name can be merged takes over 30000 comparisons, the limit. "
        "`__typename` is asked 300 times in one selection. Ask for each field "
        "once in a selection, or give repeats aliases of their own."
    )


def test_repeats_under_the_limit_still_run(anonymous_api):
    # 240 fields sharing a name: 28680 comparisons.
    assert anonymous_api.data(repeated("__typename", 240)) == {"__typename": "Query"}


def test_a_fragment_bomb_is_refused_by_its_parts(anonymous_api):
    query = diamond(20)
    parts = count_parts(parse(query))
    assert parts > 10**6

    body = anonymous_api.query(query)

    assert codes(body) == ["QUERY_TOO_COMPLEX"]
    assert body["errors"][0]["message"].startswith(
        f"The query has {parts} parts; the limit is 3000."
    )


def test_the_limits_come_from_settings(anonymous_api, settings):
    query = "{ me { id } me { id } }"  # 5 parts, 3 + 1 comparisons

    settings.KINSHIP_GRAPHQL_MAX_LENGTH = len(query) - 1
    too_long = anonymous_api.query(query)
    settings.KINSHIP_GRAPHQL_MAX_LENGTH = len(query)
    settings.KINSHIP_GRAPHQL_MAX_PARTS = 4
    too_many_parts = anonymous_api.query(query)
    settings.KINSHIP_GRAPHQL_MAX_PARTS = 5
    settings.KINSHIP_GRAPHQL_MAX_COMPARISONS = 3
    too_repetitive = anonymous_api.query(query)
    settings.KINSHIP_GRAPHQL_MAX_COMPARISONS = 4
    at_the_limits = anonymous_api.query(query)

    assert too_long["errors"][0]["message"] == (
        "The query is 23 characters long; the limit is 22."
    )
    assert too_many_parts["errors"][0]["message"].startswith(
        "The query has 5 parts; the limit is 4."
    )
    assert too_repetitive["errors"][0]["message"].startswith(
        "The query repeats fields or fragments too often: checking that those "
        "sharing a name can be merged takes over 3 comparisons, the limit. "
        "`me` is asked 2 times in one selection."
    )
    assert at_the_limits == {"data": {"me": None}}


CARD = """
fragment Card on KinshipCustomer {
  id email firstName lastName
  profile {
    birthday { day month year }
    preferredChannel contactHandle emailConsent stage metHow metDetails
    closeness trust tags notes
  }
  loyalty { balance lifetimePoints tier }
  relatives(first: 20) {
    totalCount
    edges { node { id name relation reverseRelation birthday { day month } } }
  }
  importantDates(first: 20) { edges { node { id } } }
  gifts(first: 20) { edges { node { id } } }
  followUps(first: 20) { edges { node { id } } }
  interactions(first: 20) {
    totalCount
    edges { cursor node { id kind summary occurredAt } }
    pageInfo { hasNextPage endCursor }
  }
}
"""


def test_a_big_ordinary_query_passes(staff_api, customer, other_customer):
    # A dozen customer cards side by side, as a dashboard might ask.
    cards = " ".join(f"c{n}: customer(id: $id) {{ ...Card }}" for n in range(12))
    query = f"query($id: ID!) {{ me {{ id }} {cards} }}\n{CARD}"
    document = parse(query)
    assert count_parts(document) > 2 * count_parts(parse(introspection_query))

    data = staff_api.data(query, {"id": customer_global_id(customer.pk)})

    assert {data[f"c{n}"]["email"] for n in range(12)} == {"ann@example.com"}
