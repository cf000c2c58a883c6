"""Depth and cost limits, checked on a valid document before it runs.

A query's depth is how many fields it nests; its cost is the number of
fields it can resolve: each field costs 1, and a page of a list (`first` or
`last`) or a batch of `_entities` multiplies the cost of the fields inside it.
Introspection (`__schema`, `__type`) reads the schema, not the shop, so its
fields cost 1 each and it is held by rules of its own: a path may nest at
most three lists (types, their fields, their arguments: what GraphiQL asks),
and an operation may ask for `__schema` once and `__type` ten times.
"""

import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from graphql import GraphQLSchema, parse, validate
from graphql.error import GraphQLError
from graphql.execution.values import get_variable_values
from graphql.language import ast
from graphql.type.definition import GraphQLList, GraphQLNonNull
from graphql.type.introspection import SchemaMetaFieldDef, TypeMetaFieldDef
from graphql.utils.get_operation_ast import get_operation_ast
from graphql.validation.rules import NoFragmentCycles

from ..core.error_codes import KinshipErrorCode
from .core.connection import MAX_PAGE_SIZE
from .core.errors import KinshipGraphQLError
from .core.inputs import literal_errors, variable_errors
from .size import check_comparisons, check_length, check_parts

logger = logging.getLogger(__name__)

DEFAULT_MAX_DEPTH = 12
DEFAULT_MAX_COST = 10_000
MAX_INTROSPECTION_LISTS = 3
MAX_INTROSPECTION_ROOTS = {"__schema": 1, "__type": 10}

PAGE_ARGUMENTS = ("first", "last")
ENTITIES_FIELD = "_entities"
INTROSPECTION_FIELDS = {"__schema": SchemaMetaFieldDef, "__type": TypeMetaFieldDef}


def max_depth() -> int:
    return getattr(settings, "KINSHIP_GRAPHQL_MAX_DEPTH", DEFAULT_MAX_DEPTH)


def max_cost() -> int:
    return getattr(settings, "KINSHIP_GRAPHQL_MAX_COST", DEFAULT_MAX_COST)


@dataclass(frozen=True)
class Measure:
    """What a selection set asks for; see the module's docstring."""

    depth: int = 0
    cost: int = 0
    introspection_lists: int = 0
    schema_fields: int = 0
    type_fields: int = 0

    def beside(self, other: "Measure") -> "Measure":
        """Return the measure of two selections of one selection set."""
        return Measure(
            depth=max(self.depth, other.depth),
            cost=self.cost + other.cost,
            introspection_lists=max(
                self.introspection_lists, other.introspection_lists
            ),
            schema_fields=self.schema_fields + other.schema_fields,
            type_fields=self.type_fields + other.type_fields,
        )


def _unwrap(graphql_type: Any) -> Any:
    while isinstance(graphql_type, GraphQLList | GraphQLNonNull):
        graphql_type = graphql_type.of_type
    return graphql_type


def _is_list(graphql_type: Any) -> bool:
    if isinstance(graphql_type, GraphQLNonNull):
        graphql_type = graphql_type.of_type
    return isinstance(graphql_type, GraphQLList)


class _Walker:
    """Measures an operation, reading each fragment once however often spread."""

    def __init__(
        self, schema: GraphQLSchema, fragments: dict[str, Any], variables: Any
    ):
        self.schema = schema
        self.variables = variables
        self.defaults: dict[str, Any] = {}
        self.fragments = fragments
        self.measured: dict[tuple[str, bool], Measure] = {}

    def operation(self, operation: ast.OperationDefinition) -> Measure:
        self.defaults = {
            definition.variable.name.value: definition.default_value
            for definition in operation.variable_definitions or []
            if definition.default_value is not None
        }
        root_type = _root_types(self.schema)[operation.operation]
        return self.selections(root_type, operation.selection_set, False)

    def selections(
        self, parent: Any, selection_set: ast.SelectionSet | None, introspection: bool
    ) -> Measure:
        measure = Measure()
        for selection in selection_set.selections if selection_set else []:
            if isinstance(selection, ast.Field):
                part = self.field(parent, selection, introspection)
            elif isinstance(selection, ast.InlineFragment):
                condition = selection.type_condition
                inner = (
                    self.schema.get_type(condition.name.value) if condition else parent
                )
                part = self.selections(inner, selection.selection_set, introspection)
            else:
                part = self.fragment(selection.name.value, introspection)
            measure = measure.beside(part)
        return measure

    def fragment(self, name: str, introspection: bool) -> Measure:
        key = (name, introspection)
        if key not in self.measured:
            definition: Any = self.fragments[name]
            parent = self.schema.get_type(definition.type_condition.name.value)
            self.measured[key] = self.selections(
                parent, definition.selection_set, introspection
            )
        return self.measured[key]

    def field(self, parent: Any, field: ast.Field, introspection: bool) -> Measure:
        name = field.name.value
        if name == "__typename":
            return Measure(depth=0 if introspection else 1, cost=1)
        if name in INTROSPECTION_FIELDS:
            inner = self.selections(
                _unwrap(INTROSPECTION_FIELDS[name].type), field.selection_set, True
            )
            return Measure(
                cost=1 + inner.cost,
                introspection_lists=inner.introspection_lists,
                schema_fields=int(name == "__schema"),
                type_fields=int(name == "__type"),
            )
        definition = parent.fields[name]
        inner = self.selections(
            _unwrap(definition.type), field.selection_set, introspection
        )
        if introspection:
            return Measure(
                cost=1 + inner.cost,
                introspection_lists=inner.introspection_lists
                + _is_list(definition.type),
            )
        return Measure(
            depth=1 + inner.depth,
            cost=1 + self.multiplier(definition, field) * inner.cost,
        )

    def multiplier(self, definition: Any, field: ast.Field) -> int:
        """Return how many times a field's selections may be resolved."""
        arguments = {
            argument.name.value: argument.value for argument in field.arguments or []
        }
        if field.name.value == ENTITIES_FIELD:
            representations = self.value(arguments.get("representations"))
            return (
                max(1, len(representations)) if isinstance(representations, list) else 1
            )
        sizes = []
        for name in PAGE_ARGUMENTS:
            if name not in definition.args:
                continue
            size = (
                self.value(arguments[name])
                if name in arguments
                else definition.args[name].default_value
            )
            if isinstance(size, int) and not isinstance(size, bool):
                sizes.append(size)
        # A page outside 1..MAX_PAGE_SIZE is refused when it runs.
        return min(max([1, *sizes]), MAX_PAGE_SIZE)

    def value(self, node: Any) -> Any:
        """Return the plain value of an argument, from its variable if it has one."""
        if isinstance(node, ast.Variable):
            name = node.name.value
            if name in self.variables:
                return self.variables[name]
            node = self.defaults.get(name)
        if isinstance(node, ast.IntValue):
            return int(node.value)
        if isinstance(node, ast.ListValue):
            return list(node.values)
        return None


def _chosen_operations(
    document: ast.Document, operation_name: str | None
) -> list[ast.OperationDefinition]:
    operations = [
        definition
        for definition in document.definitions
        if isinstance(definition, ast.OperationDefinition)
    ]
    if operation_name is None:
        return operations
    return [
        operation
        for operation in operations
        if operation.name and operation.name.value == operation_name
    ]


def _too_complex(message: str) -> KinshipGraphQLError:
    return KinshipGraphQLError(message, KinshipErrorCode.QUERY_TOO_COMPLEX)


def check_limits(
    schema: GraphQLSchema,
    document: ast.Document,
    variables: dict[str, Any],
    operation_name: str | None = None,
) -> list[KinshipGraphQLError]:
    """Return the errors of operations over a limit; the document must be valid.

    Run it after graphql-core's validation: that refuses fragment cycles and
    unknown fields, which this walk takes for granted.
    """
    errors = []
    depth_limit, cost_limit = max_depth(), max_cost()
    fragments = {
        definition.name.value: definition
        for definition in document.definitions
        if isinstance(definition, ast.FragmentDefinition)
    }
    for operation in _chosen_operations(document, operation_name):
        walker = _Walker(schema, fragments, variables)
        measure = walker.operation(operation)
        if measure.depth > depth_limit:
            errors.append(
                _too_complex(
                    f"The query nests fields {measure.depth} deep; "
                    f"the limit is {depth_limit}."
                )
            )
        if measure.cost > cost_limit:
            errors.append(
                _too_complex(
                    f"The query costs {measure.cost}; the limit is {cost_limit}. "
                    "Each field costs 1, and a list page costs its `first` or "
                    "`last` times the fields inside it: ask for smaller pages "
                    "or fewer fields."
                )
            )
        if measure.introspection_lists > MAX_INTROSPECTION_LISTS:
            errors.append(
                _too_complex(
                    f"The introspection query nests {measure.introspection_lists} "
                    f"lists; the limit is {MAX_INTROSPECTION_LISTS}."
                )
            )
        asked = {"__schema": measure.schema_fields, "__type": measure.type_fields}
        for name, times in asked.items():
            if times > MAX_INTROSPECTION_ROOTS[name]:
                errors.append(
                    _too_complex(
                        f"The query asks for `{name}` {times} times; "
                        f"the limit is {MAX_INTROSPECTION_ROOTS[name]}."
                    )
                )
    return errors


def _root_types(schema: GraphQLSchema) -> dict[str, Any]:
    return {
        "query": schema.get_query_type(),
        "mutation": schema.get_mutation_type(),
        "subscription": schema.get_subscription_type(),
    }


def check_operation_types(
    schema: GraphQLSchema, document: ast.Document
) -> list[GraphQLError]:
    """Return an error for each operation of a kind the schema has no root for.

    graphql-core 2 validates such an operation without complaint and fails
    only when it runs.
    """
    roots = _root_types(schema)
    offered = " or a ".join(kind for kind, root in roots.items() if root is not None)
    return [
        KinshipGraphQLError(
            f"The schema has no {operation.operation}s: send a {offered}.",
            KinshipErrorCode.GRAPHQL_ERROR,
        )
        for operation in _chosen_operations(document, None)
        if roots[operation.operation] is None
    ]


def _unreadable_value(error: Exception) -> KinshipGraphQLError:
    # graphene 2's scalars raise on some values instead of refusing them
    # (an empty Date, a Decimal of letters); graphql-core 2 lets that through.
    logger.info("A GraphQL value could not be read: %s", type(error).__name__)
    return KinshipGraphQLError(
        "A value in the query or its variables cannot be read as its type.",
        KinshipErrorCode.GRAPHQL_ERROR,
    )


def _validation_errors(schema: GraphQLSchema, document: ast.Document) -> list[Any]:
    """Validate, refusing fragment cycles first and alone, then a costly check.

    graphql-core 2's rule for overlapping fields follows fragment spreads and
    would loop on a cycle; its time is bounded by the comparisons checked
    before it. A scalar that raises on a literal stops the validation; the
    literal is then found and named.
    """
    try:
        errors = validate(schema, document, [NoFragmentCycles])
        errors = errors or check_operation_types(schema, document)
        errors = errors or check_comparisons(document)
        return errors or validate(schema, document)
    except (GraphQLError, RecursionError):
        raise
    except Exception as error:
        return literal_errors(schema, document) or [_unreadable_value(error)]


def _variable_errors(
    schema: GraphQLSchema,
    document: ast.Document,
    variables: dict[str, Any],
    operation_name: str | None,
) -> list[Any]:
    """Read the variables strictly, then coerce them as execution will.

    A crash in the coercion becomes an error.
    """
    operation = get_operation_ast(document, operation_name)
    if operation is None:
        return []  # execution says which operation is missing
    errors = variable_errors(schema, operation, variables)
    if errors:
        return errors
    try:
        get_variable_values(schema, operation.variable_definitions or [], variables)
    except GraphQLError as error:
        return [error]
    except Exception as error:
        return [_unreadable_value(error)]
    return []


def validate_query(
    schema: GraphQLSchema,
    query: str,
    variables: dict[str, Any],
    operation_name: str | None = None,
) -> tuple[ast.Document | None, list[Any]]:
    """Return the parsed query and why it may not run: size, syntax, validity, limits.

    Size is checked before validation, whose time it bounds; depth and cost
    walk fragments, so they run only on a valid document.
    """
    too_long = check_length(query)
    if too_long:
        return None, list(too_long)
    try:
        document = parse(query)
        errors: list[Any] = list(check_parts(document))
        if not errors:
            errors = _validation_errors(schema, document)
        if not errors:
            errors = list(check_limits(schema, document, variables, operation_name))
        if not errors:
            errors = _variable_errors(schema, document, variables, operation_name)
    except GraphQLError as error:
        return None, [error]
    except RecursionError:
        return None, [_too_complex("The query nests too deeply to be read.")]
    return document, errors
