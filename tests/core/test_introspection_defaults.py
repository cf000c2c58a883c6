"""Every default value introspection shows can be written back in a query.

graphql-core 2 prints an enum default of an input field by its internal value
and as a string (`"asc"` where the enum has `ASC`), which tools that read the
schema by introspection (GraphiQL, code generators) cannot use.
"""

from graphql.language.parser import parse_value
from graphql.utils.is_valid_literal_value import is_valid_literal_value

from saleor_kinship.graphql.api import schema

DEFAULTS = """
{ __schema { types {
    name
    inputFields { name defaultValue }
    fields { name args { name defaultValue } }
} } }
"""


def introspected_defaults(api):
    """Return (where, input type, default) of each argument and input field."""
    found = []
    for described in api.data(DEFAULTS)["__schema"]["types"]:
        graphql_type = schema.get_type(described["name"])
        for field in described["inputFields"] or []:
            input_type = graphql_type.fields[field["name"]].type
            found.append((f"{described['name']}.{field['name']}", input_type, field))
        for field in described["fields"] or []:
            arguments = graphql_type.fields[field["name"]].args
            for argument in field["args"]:
                where = f"{described['name']}.{field['name']}({argument['name']})"
                found.append((where, arguments[argument["name"]].type, argument))
    return [
        (where, input_type, value["defaultValue"])
        for where, input_type, value in found
        if value["defaultValue"] is not None
    ]


def test_each_default_is_a_literal_of_its_type(anonymous_api):
    defaults = introspected_defaults(anonymous_api)

    assert [
        (where, is_valid_literal_value(input_type, parse_value(default)))
        for where, input_type, default in defaults
    ] == [(where, []) for where, _, _ in defaults]
    assert ("Query.kinshipNeedsAttention(days)", "14") in [
        (where, default) for where, _, default in defaults
    ]
