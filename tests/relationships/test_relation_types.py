import pytest

from saleor_kinship.relationships.models import RelationType

from .conftest import mutation_errors, uid
from .test_relatives import CREATE, relatives_of

TYPES = """
query { kinshipRelationTypes(first: 50) {
  edges { node { name reverseName isBuiltIn } } } }
"""

CREATE_TYPE = """
mutation($input: KinshipRelationTypeInput!) {
  kinshipRelationTypeCreate(input: $input) {
    errors { field code message }
    relationType { name reverseName isBuiltIn }
  }
}
"""


def test_a_custom_pair_of_roles(staff_api, customer, other_customer):
    data = staff_api.data(
        CREATE_TYPE, {"input": {"name": " Godmother", "reverseName": "GODCHILD "}}
    )
    assert data["kinshipRelationTypeCreate"] == {
        "errors": [],
        "relationType": {
            "name": "godmother",
            "reverseName": "godchild",
            "isBuiltIn": False,
        },
    }

    staff_api.data(
        CREATE,
        {
            "customer": uid(customer),
            "input": {"relativeCustomer": uid(other_customer), "relation": "godchild"},
        },
    )

    assert relatives_of(staff_api, customer)[0]["relation"] == "godchild"
    assert relatives_of(staff_api, other_customer)[0]["relation"] == "godmother"
    listed = [
        edge["node"] for edge in staff_api.data(TYPES)["kinshipRelationTypes"]["edges"]
    ]
    assert listed == [
        {"name": "parent", "reverseName": "child", "isBuiltIn": True},
        {"name": "partner", "reverseName": "partner", "isBuiltIn": True},
        {"name": "sibling", "reverseName": "sibling", "isBuiltIn": True},
        {"name": "friend", "reverseName": "friend", "isBuiltIn": True},
        {"name": "godmother", "reverseName": "godchild", "isBuiltIn": False},
    ]


def test_relation_types_page_through(staff_api):
    query = (
        "query($after: String) { kinshipRelationTypes(first: 3, after: $after) { "
        "edges { node { name } } pageInfo { hasNextPage endCursor } } }"
    )
    first = staff_api.data(query)["kinshipRelationTypes"]
    second = staff_api.data(query, {"after": first["pageInfo"]["endCursor"]})[
        "kinshipRelationTypes"
    ]

    assert [edge["node"]["name"] for edge in first["edges"]] == [
        "parent",
        "partner",
        "sibling",
    ]
    assert [edge["node"]["name"] for edge in second["edges"]] == ["friend"]
    assert (first["pageInfo"]["hasNextPage"], second["pageInfo"]["hasNextPage"]) == (
        True,
        False,
    )


@pytest.mark.parametrize(
    ("given", "field", "code"),
    [
        ({"name": "child", "reverseName": "elder"}, "name", "UNIQUE"),
        ({"name": "elder", "reverseName": "Friend"}, "reverseName", "UNIQUE"),
        ({"name": "", "reverseName": "elder"}, "name", "REQUIRED"),
        ({"name": "x" * 41, "reverseName": "elder"}, "name", "TOO_LONG"),
    ],
)
def test_a_role_means_one_thing(staff_api, given, field, code):
    body = staff_api.data(CREATE_TYPE, {"input": given})
    assert mutation_errors(body, "kinshipRelationTypeCreate") == [
        {"field": field, "code": code}
    ]
    assert not RelationType.objects.exists()


def test_the_same_custom_role_cannot_be_added_twice(staff_api):
    staff_api.data(CREATE_TYPE, {"input": {"name": "cousin", "reverseName": "cousin"}})
    body = staff_api.data(
        CREATE_TYPE, {"input": {"name": "godfather", "reverseName": "Cousin"}}
    )
    assert mutation_errors(body, "kinshipRelationTypeCreate") == [
        {"field": "reverseName", "code": "UNIQUE"}
    ]


def full_width(text):
    return "".join(chr(ord(letter) + 0xFEE0) for letter in text)


def test_role_names_are_compared_after_unicode_normalisation(
    staff_api, customer, other_customer
):
    staff_api.data(
        CREATE_TYPE, {"input": {"name": "godmother", "reverseName": "godchild"}}
    )

    wide = staff_api.data(
        CREATE_TYPE,
        {"input": {"name": full_width("godmother"), "reverseName": "Patenkind"}},
    )
    accented = staff_api.data(
        CREATE_TYPE,
        {"input": {"name": "Marraine\u0301", "reverseName": "filleule\u0301"}},
    )
    related = staff_api.data(
        CREATE,
        {
            "customer": uid(customer),
            "input": {
                "relativeCustomer": uid(other_customer),
                "relation": full_width("GOD") + "child",
            },
        },
    )["kinshipRelativeCreate"]

    assert mutation_errors(wide, "kinshipRelationTypeCreate") == [
        {"field": "name", "code": "UNIQUE"}
    ]
    assert accented["kinshipRelationTypeCreate"]["relationType"] == {
        "name": "marrainé",
        "reverseName": "filleulé",
        "isBuiltIn": False,
    }
    assert related["errors"] == []
    assert related["relative"]["relation"] == "godchild"
    assert list(RelationType.objects.values_list("name", flat=True)) == [
        "godmother",
        "marrainé",
    ]


@pytest.mark.parametrize("invisible", ["\u202e", "\u200b\u200b", " \u2066 \u0301"])
def test_a_role_with_nothing_visible_is_refused(staff_api, invisible):
    body = staff_api.data(
        CREATE_TYPE, {"input": {"name": invisible, "reverseName": "godchild"}}
    )

    assert mutation_errors(body, "kinshipRelationTypeCreate") == [
        {"field": "name", "code": "INVALID"}
    ]
    assert not RelationType.objects.exists()
