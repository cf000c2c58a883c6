"""Reading the schema to write requests: root fields, minimal arguments, and the
paths from a root field down to every type a requestor can reach."""

from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from graphql.type.definition import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLUnionType,
    get_named_type,
)

from saleor_kinship.graphql.api import schema

SCALARS: dict[str, Any] = {
    "String": "Checked by the permission matrix",
    "Int": 1,
    "Float": 1.0,
    "Boolean": True,
    "Date": "2031-01-01",
    "Decimal": "1",
    "KinshipPercent": "5",
    "JSONString": "{}",
}


def root_fields(operation: str) -> dict[str, GraphQLField]:
    root = (
        schema.get_query_type() if operation == "query" else schema.get_mutation_type()
    )
    return dict(root.fields)


def is_object(graphql_type: Any) -> bool:
    return isinstance(
        get_named_type(graphql_type),
        GraphQLObjectType | GraphQLUnionType | GraphQLInterfaceType,
    )


def selection(graphql_type: Any) -> str:
    """The least a request must select to see whether a value came back."""
    named = get_named_type(graphql_type)
    if not is_object(named):
        return ""
    if isinstance(named, GraphQLObjectType) and "errors" in named.fields:
        return "{ __typename errors { field code } }"
    return "{ __typename }"


def pascal(name: str) -> str:
    return name[:1].upper() + name[1:]


def id_for(argument: str, field_name: str, ids: dict[str, str]) -> str:
    """The id of a real row for an ID argument, from its name or its field's."""
    if argument in {"customer", "customerId"}:
        return ids["User"]
    if argument.endswith("Id") and pascal(f"kinship{pascal(argument[:-2])}") in ids:
        return ids[pascal(f"kinship{pascal(argument[:-2])}")]
    # `id` of kinshipGiftUpdate is a KinshipGift: the longest type name that
    # starts the field's name.
    owners = [name for name in ids if pascal(field_name).startswith(name)]
    if not owners:
        raise LookupError(f"{field_name}({argument}:): add an argument builder")
    return ids[max(owners, key=len)]


def value_for(
    argument: str, graphql_type: Any, field_name: str, ids: dict[str, str]
) -> Any:
    """A valid value for a required argument or input field, built from its type."""
    if isinstance(graphql_type, GraphQLNonNull):
        graphql_type = graphql_type.of_type
    if isinstance(graphql_type, GraphQLList):
        return []
    if isinstance(graphql_type, GraphQLInputObjectType):
        return {
            name: value_for(name, field.type, field_name, ids)
            for name, field in graphql_type.fields.items()
            if isinstance(field.type, GraphQLNonNull)
        }
    if isinstance(graphql_type, GraphQLEnumType):
        return graphql_type.values[0].name
    if graphql_type.name == "ID":
        return id_for(argument, field_name, ids)
    if graphql_type.name == "DateTime":
        return timezone.now().isoformat()
    if graphql_type.name in SCALARS:
        return SCALARS[graphql_type.name]
    raise LookupError(f"{field_name}({argument}:): add an argument builder")


def build_arguments(
    field_name: str,
    field: GraphQLField,
    ids: dict[str, str],
    builders: dict[str, dict[str, Callable[[dict[str, str]], Any]]],
) -> dict[str, Any]:
    """Required arguments of a field, built from their types unless a builder
    of the field gives them."""
    given = builders.get(field_name, {})
    arguments = {name: build(ids) for name, build in given.items()}
    if "first" in field.args and "last" not in arguments:
        # Connections want a page size.
        arguments.setdefault("first", 5)
    for name, argument in field.args.items():
        if name not in arguments and isinstance(argument.type, GraphQLNonNull):
            arguments[name] = value_for(name, argument.type, field_name, ids)
    return arguments


def write_request(
    operation: str,
    field_name: str,
    field: GraphQLField,
    arguments: dict[str, Any],
    inner: str = "",
) -> str:
    """Write `operation($a: T) { field(a: $a) <selection> }`."""
    declared = ", ".join(
        f"${name}: {field.args[name].type}" for name in sorted(arguments)
    )
    passed = ", ".join(f"{name}: ${name}" for name in sorted(arguments))
    head = f"{operation}({declared})" if declared else operation
    call = f"{field_name}({passed})" if passed else field_name
    return f"{head} {{ {call} {inner or selection(field.type)} }}"


@dataclass(frozen=True)
class Reach:
    """A field a requestor can get to, and the path of fields leading to it."""

    type_name: str
    field_name: str
    path: tuple[str, ...]

    @property
    def key(self) -> str:
        return f"{self.type_name}.{self.field_name}"


def is_plumbing(type_name: str) -> bool:
    """Connections, edges and page info only carry the nodes they lead to."""
    return type_name.endswith(("Connection", "Edge")) or type_name == "PageInfo"


def reachable(
    start: str, policy_of: Callable[[str], str | None], follow: set[str]
) -> Iterator[Reach]:
    """Walk from a type through fields whose policy is in `follow`.

    Yields every field met (plumbing fields are followed, not yielded); the
    first path found to a type is the one its fields are reached by.
    """
    queue: deque[tuple[str, tuple[str, ...]]] = deque([(start, ())])
    seen = {start}
    while queue:
        type_name, path = queue.popleft()
        named = schema.get_type(type_name)
        if isinstance(named, GraphQLUnionType):
            members = [(member.name, path) for member in named.types]
        else:
            members = []
            for field_name, field in named.fields.items():
                target = get_named_type(field.type)
                if not is_plumbing(type_name):
                    yield Reach(type_name, field_name, path)
                    if policy_of(f"{type_name}.{field_name}") not in follow:
                        continue
                if is_object(target):
                    members.append((target.name, (*path, field_name)))
        for member, member_path in members:
            if member not in seen:
                seen.add(member)
                queue.append((member, member_path))
