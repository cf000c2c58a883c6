"""`_service { sdl }`: kinship's schema as a federation v1 subgraph of Saleor's."""

import re

from graphql import parse
from graphql.language import ast

PLUMBING = {"_Any", "_Entity", "_Service"}


def definitions(sdl):
    """Return {name: definition} of a printed kinship SDL (graphql-core 2)."""
    named = {}
    for definition in parse(sdl).definitions:
        node = getattr(definition, "definition", definition)
        named[node.name.value] = definition
    return named


def saleor_definitions(text):
    """Return {name: (kind, members)} of Saleor's SDL; members as printed lines.

    graphql-core 2 cannot read the descriptions in Saleor's SDL, so this
    reads its regular layout: a member is a two-space-indented line outside
    descriptions, argument lists folded into their field.
    """
    types: dict[str, tuple[str, set[str]]] = {}
    current = None
    in_description = False
    for line in text.splitlines():
        if line.strip().count('"""') % 2 == 1:
            in_description = not in_description
            continue
        if in_description or line.strip().startswith('"""'):
            continue
        header = re.match(r"^(type|input|enum|interface|union|scalar) (\w+)", line)
        if header:
            current = types.setdefault(header.group(2), (header.group(1), set()))
        elif current and (member := re.match(r"^  (\w+)(?:: (.+))?$", line)):
            current[1].add(f"{member.group(1)}: {member.group(2)}")
        elif current and (field := re.match(r"^  (\w+)\($", line)):
            current[1].add(f"{field.group(1)}(...)")
    return types


def member_lines(definition):
    if isinstance(definition, ast.EnumTypeDefinition):
        return {f"{value.name.value}: None" for value in definition.values}
    lines = set()
    for field in getattr(definition, "fields", None) or []:
        printed_type = re.sub(r"\s", "", str(_print(field.type)))
        lines.add(f"{field.name.value}: {printed_type}")
    return lines


def _print(type_node):
    from graphql.language.printer import print_ast

    return print_ast(type_node)


def test_the_sdl_extends_saleors_user_by_id(anonymous_api):
    sdl = anonymous_api.data("{ _service { sdl } }")["_service"]["sdl"]

    assert (
        'extend type User @key(fields: "id") {\n'
        "  id: ID! @external\n"
        "  kinship: KinshipCustomer\n"
        "}"
    ) in sdl
    named = definitions(sdl)
    assert not PLUMBING & set(named)
    query_fields = {field.name.value for field in named["Query"].fields}
    # Saleor answers these with its User, which carries `kinship` in the
    # supergraph; ours would collide with its `me` and `customers`.
    assert not {"_entities", "_service", "me", "customer", "customers"} & query_fields
    assert "KinshipCustomer" in named


def test_no_name_we_declare_collides_with_saleors(anonymous_api, saleor_sdl):
    ours = definitions(anonymous_api.data("{ _service { sdl } }")["_service"]["sdl"])
    saleor = saleor_definitions(saleor_sdl.read_text())

    clashes = []
    for name, definition in ours.items():
        if name == "User" or name not in saleor:
            continue
        if name in {"Query", "Mutation"}:
            theirs = {line.split(":")[0].split("(")[0] for line in saleor[name][1]}
            shared = {line.split(":")[0] for line in member_lines(definition)} & theirs
            clashes += [f"{name}.{field}" for field in sorted(shared)]
        elif saleor[name][0] == "scalar" and isinstance(
            definition, ast.ScalarTypeDefinition
        ):
            continue  # a scalar of the same name is one scalar in the supergraph
        elif member_lines(definition) != saleor[name][1]:
            clashes.append(name)

    assert saleor["PageInfo"][1] == member_lines(ours["PageInfo"])
    assert clashes == [], (
        "These kinship names are Saleor's too, with another shape or meaning; "
        "prefix them with Kinship."
    )
