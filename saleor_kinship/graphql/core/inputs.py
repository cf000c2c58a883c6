"""Input values read as the GraphQL specification reads them, before a query runs.

graphql-core 2 reads a variable through its scalar's `parse_value`, which for
the built-in scalars is Python's conversion: an Int takes 1.9 as 1, "1" as 1
and true as 1; a String takes a number; a Boolean takes anything. A scalar
that raises instead of refusing (a Decimal of letters) becomes an error that
names nothing. Here each variable is walked through its declared type (lists,
input objects, enums, scalars) and the first value its type does not take is
refused, naming the variable, where in it, and what the type expects. A
literal in the query text is read strictly by graphql-core's validation,
except where a scalar raises: `literal_errors` names that literal.
"""

import json
import math
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from graphql.error import GraphQLError
from graphql.language import ast
from graphql.language.printer import print_ast
from graphql.language.visitor import TypeInfoVisitor, Visitor, visit
from graphql.type.definition import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLScalarType,
)
from graphql.type.schema import GraphQLSchema
from graphql.utils.type_from_ast import type_from_ast
from graphql.utils.type_info import TypeInfo

Path = list[str | int]

MIN_INT = -(2**31)
MAX_INT = 2**31 - 1
SHOWN_LENGTH = 40
SHOWN_ENUM_VALUES = 12
SHORT_DESCRIPTION = 100

BUILT_IN_SCALARS = frozenset({"Int", "Float", "String", "Boolean", "ID"})
EXPECTED = {
    "Int": f"a whole number from {MIN_INT} to {MAX_INT}",
    "Float": "a finite number",
    "String": "a string",
    "Boolean": "true or false",
    "ID": "a string or an integer",
    "Decimal": 'a decimal number, such as "12.50"',
    "JSONString": "a string holding JSON",
}


class Refusal(Exception):
    """A value its type does not take: where it is, and what is wrong, in words."""

    def __init__(self, path: Path, problem: str):
        super().__init__(problem)
        self.path = path


def _cut(text: str) -> str:
    return text if len(text) <= SHOWN_LENGTH else text[:SHOWN_LENGTH] + "..."


def _shown(value: Any) -> str:
    try:
        return _cut(json.dumps(value))
    except (TypeError, ValueError):
        return _cut(repr(value))


def _not_taken(path: Path, type_name: str, expected: str, shown: str) -> Refusal:
    return Refusal(path, f"{type_name} expects {expected}, not {shown}")


def _is_number(value: Any) -> bool:
    """Return True for a finite JSON number (true and false are no numbers)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:  # an int too large for a float
        return False


def _is_int(value: Any) -> bool:
    """Return True for a whole number in 32 bits; 25.0 is one, as JSON has it."""
    if isinstance(value, float) and not (_is_number(value) and value.is_integer()):
        return False
    return _is_number(value) and MIN_INT <= value <= MAX_INT


def _is_decimal(value: Any) -> bool:
    # Infinity and NaN are read; the fields that take a Decimal refuse them.
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return False
    try:
        Decimal(str(value))
    except InvalidOperation:
        return False
    return True


TAKES = {
    "Int": _is_int,
    "Float": _is_number,
    "String": lambda value: isinstance(value, str),
    "Boolean": lambda value: isinstance(value, bool),
    # Not 4.0: graphql-core would read it as the ID "4.0".
    "ID": lambda value: isinstance(value, str | int) and not isinstance(value, bool),
    "Decimal": _is_decimal,
}


def _expected(scalar: GraphQLScalarType) -> str:
    """Return what a scalar takes, in words that follow "expects"."""
    if scalar.name in EXPECTED:
        return EXPECTED[scalar.name]
    stated = getattr(getattr(scalar, "graphene_type", None), "expected", None)
    if stated:
        return stated
    # A short description says what a scalar takes: "A percentage as ...".
    described = (scalar.description or "").strip().rstrip(".")
    if described and "\n" not in described and len(described) <= SHORT_DESCRIPTION:
        return described[0].lower() + described[1:]
    return f"a {scalar.name} value"


def _enum_expected(enum: GraphQLEnumType) -> str:
    names = [value.name for value in enum.values]
    if len(names) > SHOWN_ENUM_VALUES:
        return f"one of its {len(names)} values"
    return "one of " + ", ".join(names)


def _check_scalar(value: Any, scalar: GraphQLScalarType, path: Path) -> None:
    if scalar.name in TAKES:
        taken = TAKES[scalar.name](value)
    else:
        try:
            taken = scalar.parse_value(value) is not None
        except Exception:
            taken = False
    if not taken:
        raise _not_taken(path, scalar.name, _expected(scalar), _shown(value))


def _check_object(value: Any, input_type: GraphQLInputObjectType, path: Path) -> None:
    if not isinstance(value, Mapping):
        raise _not_taken(path, input_type.name, "an object", _shown(value))
    for name in value:
        if name not in input_type.fields:
            problem = f"{input_type.name} has no field {_shown(name)}"
            raise Refusal([*path, name], problem)
    for name, field in input_type.fields.items():
        if name in value:
            check_value(value[name], field.type, [*path, name])
        elif isinstance(field.type, GraphQLNonNull) and field.default_value is None:
            problem = f"{field.type} is required here, and no value was given"
            raise Refusal([*path, name], problem)


def check_value(value: Any, input_type: Any, path: Path) -> None:
    """Raise Refusal at the first part of a JSON value its input type does not take."""
    if isinstance(input_type, GraphQLNonNull):
        if value is None:
            raise Refusal(path, f"{input_type} expects a value, not null")
        input_type = input_type.of_type
    if value is None:
        return
    if isinstance(input_type, GraphQLList):
        if not isinstance(value, list):
            # A single value stands for a list of one.
            check_value(value, input_type.of_type, path)
        for index, item in enumerate(value if isinstance(value, list) else []):
            check_value(item, input_type.of_type, [*path, index])
    elif isinstance(input_type, GraphQLInputObjectType):
        _check_object(value, input_type, path)
    elif isinstance(input_type, GraphQLEnumType):
        if not (isinstance(value, str) and input_type.get_value(value) is not None):
            expected = _enum_expected(input_type)
            raise _not_taken(path, input_type.name, expected, _shown(value))
    elif isinstance(input_type, GraphQLScalarType):
        _check_scalar(value, input_type, path)


def _where(subject: str, path: Path) -> str:
    """Return where a refused value is: `Variable "$filter" at filter.tiers[1]`."""
    if len(path) == 1:
        return subject
    steps = "".join(
        f"[{step}]" if isinstance(step, int) else f".{step}" for step in path
    )
    return f"{subject} at {steps.lstrip('.')}"


def variable_errors(
    schema: GraphQLSchema,
    operation: ast.OperationDefinition,
    variables: dict[str, Any],
) -> list[GraphQLError]:
    """Return an error for each variable sent with a value its type does not take.

    A variable left out, or sent as null, is left to graphql-core, which
    applies its default or says it is required.
    """
    errors = []
    for definition in operation.variable_definitions or []:
        name = definition.variable.name.value
        input_type = type_from_ast(schema, definition.type)
        if variables.get(name) is None or input_type is None:
            continue
        try:
            check_value(variables[name], input_type, [name])
        except Refusal as refusal:
            where = _where(f'Variable "${name}"', refusal.path)
            errors.append(GraphQLError(f"{where}: {refusal}.", [definition]))
    return errors


def _check_literal(node: Any, input_type: Any, path: Path) -> None:
    """Raise Refusal where a literal's scalar raises instead of refusing it."""
    if isinstance(input_type, GraphQLNonNull):
        input_type = input_type.of_type
    if isinstance(input_type, GraphQLList):
        if isinstance(node, ast.ListValue):
            for index, item in enumerate(node.values):
                _check_literal(item, input_type.of_type, [*path, index])
        else:
            _check_literal(node, input_type.of_type, path)
    elif isinstance(input_type, GraphQLInputObjectType):
        if isinstance(node, ast.ObjectValue):
            for field in node.fields:
                name = field.name.value
                if name in input_type.fields:
                    _check_literal(
                        field.value, input_type.fields[name].type, [*path, name]
                    )
    elif (
        isinstance(input_type, GraphQLScalarType)
        and input_type.name not in BUILT_IN_SCALARS
        and not isinstance(node, ast.Variable)
    ):
        try:
            input_type.parse_literal(node)
        except Exception:
            shown = _cut(print_ast(node))
            raise _not_taken(path, input_type.name, _expected(input_type), shown)


class _LiteralFinder(Visitor):
    def __init__(self, type_info: TypeInfo, schema: GraphQLSchema):
        self.type_info = type_info
        self.schema = schema
        self.errors: list[GraphQLError] = []

    def _check(self, subject: str, node: Any, input_type: Any, name: str) -> None:
        try:
            _check_literal(node, input_type, [name])
        except Refusal as refusal:
            where = _where(subject, refusal.path)
            self.errors.append(GraphQLError(f"{where}: {refusal}.", [node]))

    def enter_Argument(self, node: ast.Argument, *_: Any) -> None:
        argument = self.type_info.get_argument()
        if argument is not None:
            name = node.name.value
            self._check(f'Argument "{name}"', node.value, argument.type, name)

    def enter_VariableDefinition(self, node: ast.VariableDefinition, *_: Any) -> None:
        input_type = type_from_ast(self.schema, node.type)
        if node.default_value is not None and input_type is not None:
            name = node.variable.name.value
            self._check(
                f'The default of "${name}"', node.default_value, input_type, name
            )


def literal_errors(schema: GraphQLSchema, document: ast.Document) -> list[GraphQLError]:
    """Return an error for each literal whose scalar raises instead of refusing it."""
    type_info = TypeInfo(schema)
    finder = _LiteralFinder(type_info, schema)
    visit(document, TypeInfoVisitor(type_info, finder))
    return finder.errors
