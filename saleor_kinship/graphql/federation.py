"""Kinship as an Apollo Federation subgraph (v1) that extends Saleor's `User`.

A gateway composes Saleor's schema with ours from the SDL `_service` prints,
then asks `_entities` for the kinship side of the users Saleor returned, so a
client can write `{ me { email kinship { points } } }` against one endpoint.
"""

from functools import cache
from typing import Any

import graphene
from django.contrib.auth import get_user_model
from graphene.types.generic import GenericScalar
from graphql import GraphQLSchema, parse
from graphql.language import ast
from graphql.language.printer import print_ast
from graphql.type.definition import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
)
from graphql.utils.ast_from_value import ast_from_value
from graphql.utils.schema_printer import print_schema
from promise import Promise

from ..core.error_codes import KinshipErrorCode
from .core.errors import KinshipGraphQLError
from .core.ids import CUSTOMER_TYPE, customer_global_id, decode_id
from .core.permissions import MANAGE_USERS, check_self_or_permission
from .customers.dataloaders import CustomerByIdLoader
from .customers.types import KinshipCustomer

# Saleor declares `User @key(fields: "id") @key(fields: "email")`; kinship
# extends it by the id alone, the key every Saleor id already carries.
ENTITY_KEY = "id"

# The federation plumbing, which the spec keeps out of the printed SDL.
PLUMBING_TYPES = frozenset({"_Any", "_Entity", "_Service"})
PLUMBING_FIELDS = frozenset({"_entities", "_service"})


class FederationAny(GenericScalar):
    """A representation of an entity: an object with `__typename` and its key."""

    class Meta:
        name = "_Any"


class User(graphene.ObjectType):
    """Saleor's user, extended with what kinship knows about her."""

    id = graphene.ID(required=True, description="Saleor's id of the user.")
    kinship = graphene.Field(
        KinshipCustomer,
        description=(
            "Kinship's view of the customer. The customer herself or MANAGE_USERS."
        ),
    )

    @staticmethod
    def resolve_id(root: Any, info: Any) -> str:
        return customer_global_id(root.pk)

    @staticmethod
    def resolve_kinship(root: Any, info: Any) -> Any:
        check_self_or_permission(info, root, MANAGE_USERS)
        return root


class FederationEntity(graphene.Union):
    class Meta:
        name = "_Entity"
        types = (User,)

    @classmethod
    def resolve_type(cls, instance: Any, info: Any) -> type[User]:
        return User


class FederationService(graphene.ObjectType):
    class Meta:
        name = "_Service"

    sdl = graphene.String(description="This subgraph's schema for a gateway.")


def _invalid(message: str) -> KinshipGraphQLError:
    return KinshipGraphQLError(message, KinshipErrorCode.INVALID)


def _customer_pk(representation: Any, index: int) -> int:
    """Return the customer's primary key a representation names, or raise."""
    if not isinstance(representation, dict):
        raise _invalid(
            f"representations[{index}]: send an object with `__typename` and `id`."
        )
    typename = representation.get("__typename")
    if typename != User._meta.name:
        raise _invalid(
            f"representations[{index}]: kinship resolves only User entities, "
            f"not {typename!r}."
        )
    global_id = representation.get(ENTITY_KEY)
    if not isinstance(global_id, str):
        raise _invalid(f"representations[{index}]: a User needs its `id` string.")
    return decode_id(global_id, CUSTOMER_TYPE, field=f"representations[{index}].id")


def resolve_entities(info: Any, representations: list[Any]) -> Promise:
    """Load every represented user in one query; unknown ids resolve to null.

    Without MANAGE_USERS only the requestor's own user is looked up; any other
    id answers an unverified user whose `kinship` is refused, whether or not
    it exists, so the answer tells nobody which customers exist. A malformed
    representation becomes a coded error at its own index, so the others
    still resolve.
    """
    requestor = info.context.requestor
    sees_everyone = requestor.has_perm(MANAGE_USERS)
    own_pk = requestor.user.pk if requestor.user is not None else None
    loader = CustomerByIdLoader(info.context)
    entities: list[Any] = []
    for index, representation in enumerate(representations):
        try:
            pk = _customer_pk(representation, index)
        except KinshipGraphQLError as error:
            entities.append(error)
            continue
        if sees_everyone or pk == own_pk:
            entities.append(loader.load(pk))
        else:
            entities.append(get_user_model()(pk=pk))
    return Promise.all(entities)


class FederationQueries:
    """The two root fields a federation gateway calls."""

    federation_entities = graphene.Field(
        graphene.NonNull(graphene.List(FederationEntity)),
        name="_entities",
        representations=graphene.NonNull(
            graphene.List(graphene.NonNull(FederationAny))
        ),
        description="Entities by their representations; for a federation gateway.",
    )
    federation_service = graphene.Field(
        graphene.NonNull(FederationService),
        name="_service",
        description="This subgraph's SDL; for a federation gateway.",
    )

    @staticmethod
    def resolve_federation_entities(
        root: Any, info: Any, representations: list[Any]
    ) -> Promise:
        return resolve_entities(info, representations)

    @staticmethod
    def resolve_federation_service(root: Any, info: Any) -> FederationService:
        return FederationService(sdl=service_sdl(info.schema))


def _named_type(field_type: Any) -> Any:
    while isinstance(field_type, GraphQLList | GraphQLNonNull):
        field_type = field_type.of_type
    return field_type


def _lists_customers(field_type: Any) -> bool:
    """Tell whether a root field answers with customers or a page of them."""
    customer = KinshipCustomer._meta.name
    named = _named_type(field_type)
    if named.name == customer:
        return True
    if not isinstance(named, GraphQLObjectType) or "edges" not in named.fields:
        return False
    edge = _named_type(named.fields["edges"].type)
    node = getattr(edge, "fields", {}).get("node")
    return node is not None and _named_type(node.type).name == customer


def _root_fields_left_to_saleor(schema: GraphQLSchema) -> set[str]:
    """Return the root fields the supergraph answers through `User.kinship`.

    Saleor's `me` and `customers` already return users, and each of them
    carries `kinship`; ours would collide with them in the supergraph.
    """
    query = schema.get_query_type()
    return {
        name for name, field in query.fields.items() if _lists_customers(field.type)
    }


def _extension_of_user(definition: ast.ObjectTypeDefinition) -> ast.Node:
    for field in definition.fields:
        if field.name.value == ENTITY_KEY:
            field.directives = [ast.Directive(name=ast.Name(value="external"))]
    key = ast.Directive(
        name=ast.Name(value="key"),
        arguments=[
            ast.Argument(
                name=ast.Name(value="fields"), value=ast.StringValue(value=ENTITY_KEY)
            )
        ],
    )
    definition.directives = [key]
    return ast.TypeExtensionDefinition(definition=definition)


def _default_value(value: Any, value_type: Any) -> Any:
    """Return a default value's literal, naming enum values by their names.

    graphql-core 2 prints an enum default by its internal value (`"asc"`
    where the enum's name is `ASC`), which a gateway refuses.
    """
    if isinstance(value_type, GraphQLNonNull):
        return _default_value(value, value_type.of_type)
    if isinstance(value_type, GraphQLList) and isinstance(value, list):
        return ast.ListValue(
            values=[_default_value(item, value_type.of_type) for item in value]
        )
    if isinstance(value_type, GraphQLList):
        return _default_value(value, value_type.of_type)
    if isinstance(value_type, GraphQLEnumType) and value is not None:
        name = value_type.serialize(value)
        if name is not None:
            return ast.EnumValue(value=name)
    if isinstance(value_type, GraphQLInputObjectType) and isinstance(value, dict):
        return ast.ObjectValue(
            fields=[
                ast.ObjectField(
                    name=ast.Name(value=name),
                    value=_default_value(item, value_type.fields[name].type),
                )
                for name, item in value.items()
                if name in value_type.fields
            ]
        )
    return ast_from_value(value, value_type)


def _fix_defaults(definition: Any, schema: GraphQLSchema) -> None:
    """Reprint the default values of a type's arguments and input fields."""
    graphql_type: Any = schema.get_type(definition.name.value)
    for field in getattr(definition, "fields", None) or []:
        schema_field = graphql_type.fields[field.name.value]
        if isinstance(graphql_type, GraphQLInputObjectType):
            inputs = [(field, schema_field)]
        else:
            inputs = [
                (argument, schema_field.args[argument.name.value])
                for argument in field.arguments
            ]
        for input_ast, input_value in inputs:
            if input_ast.default_value is not None:
                input_ast.default_value = _default_value(
                    input_value.default_value, input_value.type
                )


def _subgraph_definition(
    definition: Any, schema: GraphQLSchema, hidden_root_fields: set[str]
) -> ast.Node | None:
    """Return a definition as the subgraph SDL shows it, or None to leave it out."""
    if isinstance(definition, ast.SchemaDefinition):
        # Default root names need no schema block, as in Saleor's SDL.
        return None
    name = definition.name.value
    if name in PLUMBING_TYPES:
        return None
    _fix_defaults(definition, schema)
    if name == User._meta.name:
        return _extension_of_user(definition)
    if name == schema.get_query_type().name:
        definition.fields = [
            field
            for field in definition.fields
            if field.name.value not in PLUMBING_FIELDS | hidden_root_fields
        ]
    return definition


@cache
def service_sdl(schema: GraphQLSchema) -> str:
    """Print the schema as a federation v1 subgraph: `extend type User @key`."""
    document = parse(print_schema(schema))
    hidden = _root_fields_left_to_saleor(schema)
    definitions = [
        kept
        for definition in document.definitions
        if (kept := _subgraph_definition(definition, schema, hidden)) is not None
    ]
    return print_ast(ast.Document(definitions=definitions))
