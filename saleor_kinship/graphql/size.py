"""Size limits, checked before graphql-core validates a query.

graphql-core 2's validation takes time that grows with the square of the
fields sharing a response name in one selection, and with every path through
fragments spread in fragments, so three sizes are held before it runs:

- length: the characters of the query's text, read before it is parsed;
- parts: its operations, fragments, fields, fragment spreads, inline
  fragments, directives and values, a fragment's parts counted again
  wherever it is spread;
- comparisons: an estimate of the pairs of fields (and of fragments) the
  validation compares to check that fields sharing a name can be merged.
"""

from typing import Any

from django.conf import settings
from graphql.language import ast

from ..core.error_codes import KinshipErrorCode
from .core.errors import KinshipGraphQLError

DEFAULT_MAX_LENGTH = 50_000
DEFAULT_MAX_PARTS = 3_000
DEFAULT_MAX_COMPARISONS = 30_000

# Stops the count of a fragment bomb long before its numbers grow large.
PARTS_CEILING = 10**12
COUNTED_PARTS = (
    ast.OperationDefinition,
    ast.FragmentDefinition,
    ast.Field,
    ast.FragmentSpread,
    ast.InlineFragment,
    ast.Directive,
    ast.Value,
)
# Children that hold no parts: names, types and type conditions.
PARTLESS_CHILDREN = frozenset({"alias", "name", "type", "type_condition"})


def max_length() -> int:
    return getattr(settings, "KINSHIP_GRAPHQL_MAX_LENGTH", DEFAULT_MAX_LENGTH)


def max_parts() -> int:
    return getattr(settings, "KINSHIP_GRAPHQL_MAX_PARTS", DEFAULT_MAX_PARTS)


def max_comparisons() -> int:
    return getattr(settings, "KINSHIP_GRAPHQL_MAX_COMPARISONS", DEFAULT_MAX_COMPARISONS)


def _too_complex(message: str) -> KinshipGraphQLError:
    return KinshipGraphQLError(message, KinshipErrorCode.QUERY_TOO_COMPLEX)


def _own_parts(node: ast.Node) -> tuple[int, list[str]]:
    """Return the parts inside a node and the fragments it spreads, with repeats."""
    count, spreads = 0, []
    pending: list[Any] = [node]
    while pending:
        node = pending.pop()
        if isinstance(node, list):
            pending.extend(node)
        elif isinstance(node, ast.Node):
            if isinstance(node, COUNTED_PARTS):
                count += 1
                if isinstance(node, ast.FragmentSpread):
                    spreads.append(node.name.value)
            pending.extend(
                getattr(node, name)
                for name in node._fields
                if name not in PARTLESS_CHILDREN
            )
    return count, spreads


def _fragment_parts(
    own: dict[str, int], spreads: dict[str, list[str]]
) -> dict[str, int]:
    """Return each fragment's parts with those of the fragments it spreads.

    A spread that closes a cycle counts nothing: validation refuses the cycle.
    """
    parts: dict[str, int] = {}
    for start in own:
        if start in parts:
            continue
        path = [(start, iter(spreads[start]))]
        on_path = {start}
        while path:
            name, following = path[-1]
            spread = next(following, None)
            if spread is None:
                path.pop()
                on_path.discard(name)
                inner = sum(parts.get(each, 0) for each in spreads[name])
                parts[name] = min(own[name] + inner, PARTS_CEILING)
            elif spread in own and spread not in parts and spread not in on_path:
                path.append((spread, iter(spreads[spread])))
                on_path.add(spread)
    return parts


def count_parts(document: ast.Document) -> int:
    """Return the parts of every definition, a spread counting its fragment's."""
    definitions = []
    own: dict[str, int] = {}
    spreads: dict[str, list[str]] = {}
    for definition in document.definitions:
        count, names = _own_parts(definition)
        definitions.append((count, names))
        if isinstance(definition, ast.FragmentDefinition):
            own[definition.name.value] = count
            spreads[definition.name.value] = names
    fragments = _fragment_parts(own, spreads)
    total = sum(
        count + sum(fragments.get(name, 0) for name in names)
        for count, names in definitions
    )
    return min(total, PARTS_CEILING)


def _level(
    selection_sets: list[ast.SelectionSet], fragments: dict[str, Any]
) -> tuple[dict[str, list[ast.Field]], int]:
    """Return the fields of one level by response name, and its fragments.

    Inline and spread fragments add their fields to the level, as the
    validation gathers them; a fragment spread again adds nothing more.
    """
    fields: dict[str, list[ast.Field]] = {}
    spread: set[str] = set()
    pending = [
        selection
        for selection_set in selection_sets
        for selection in selection_set.selections
    ]
    while pending:
        selection = pending.pop()
        if isinstance(selection, ast.Field):
            name = (selection.alias or selection.name).value
            fields.setdefault(name, []).append(selection)
            continue
        if isinstance(selection, ast.FragmentSpread):
            if selection.name.value in spread:
                continue
            spread.add(selection.name.value)
            selection = fragments.get(selection.name.value)
        if selection is not None:
            pending.extend(selection.selection_set.selections)
    return fields, len(spread)


def _field_weight(field: ast.Field) -> int:
    """Return what comparing a field costs: its argument values and selections."""
    values = sum(_own_parts(argument)[0] for argument in field.arguments or [])
    return values + len(field.selection_set.selections if field.selection_set else ())


def count_comparisons(document: ast.Document, enough: int) -> tuple[int, str, int]:
    """Estimate the comparisons that check that fields sharing a name can merge.

    Fields sharing a response name at one level are compared in pairs, each
    pair costing also its arguments' values and the selections below it;
    fragments spread at one level are compared in pairs and with the level's
    fields. Returns the estimate, stopped once past `enough`, and the most
    repeated response name of a level with its count.
    """
    fragments = {
        definition.name.value: definition
        for definition in document.definitions
        if isinstance(definition, ast.FragmentDefinition)
    }
    comparisons, repeated, repeats = 0, "", 0
    levels = [
        [definition.selection_set]
        for definition in document.definitions
        if getattr(definition, "selection_set", None)
    ]
    while levels and comparisons <= enough:
        fields, spreads = _level(levels.pop(), fragments)
        comparisons += spreads * (spreads - 1) // 2 + spreads * len(fields)
        for name, same_name in fields.items():
            weight = sum(_field_weight(field) for field in same_name)
            others = len(same_name) - 1
            comparisons += others * (others + 1) // 2 + others * weight
            if len(same_name) > repeats:
                repeated, repeats = name, len(same_name)
            below = [field.selection_set for field in same_name if field.selection_set]
            if below:
                levels.append(below)
    return comparisons, repeated, repeats


def check_length(query: str) -> list[KinshipGraphQLError]:
    """Return an error if the query's text is longer than may be parsed."""
    limit = max_length()
    if len(query) <= limit:
        return []
    message = f"The query is {len(query)} characters long; the limit is {limit}."
    return [_too_complex(message)]


def check_parts(document: ast.Document) -> list[KinshipGraphQLError]:
    """Return an error if the document has more parts than may be validated."""
    parts, limit = count_parts(document), max_parts()
    if parts <= limit:
        return []
    return [
        _too_complex(
            f"The query has {parts} parts; the limit is {limit}. Each "
            "operation, fragment, field, fragment spread, inline fragment, "
            "directive and value is a part, and a fragment's parts count "
            "again wherever it is spread."
        )
    ]


def check_comparisons(document: ast.Document) -> list[KinshipGraphQLError]:
    """Return an error if checking that fields can merge would take too long.

    Run it after graphql-core's rule against fragment cycles: a cycle through
    fields nests without end.
    """
    limit = max_comparisons()
    comparisons, repeated, repeats = count_comparisons(document, limit)
    if comparisons <= limit:
        return []
    repetition = (
        f" `{repeated}` is asked {repeats} times in one selection."
        if repeats > 1
        else ""
    )
    return [
        _too_complex(
            "The query repeats fields or fragments too often: checking that "
            f"those sharing a name can be merged takes over {limit} "
            f"comparisons, the limit.{repetition} Ask for each field once in "
            "a selection, or give repeats aliases of their own."
        )
    ]
