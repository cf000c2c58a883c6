"""Property-based fuzzing of a running kinship endpoint, from its own schema.

Runs in the fuzz environment (graphql-core 3, hypothesis-graphql), not in
kinship's: `python fuzzer.py --url URL --requestor staff=TOKEN ...`. It reads
the schema by introspection, sends generated queries and mutations as each
requestor, and records every response that breaks a property:

- no response is a 5xx, and no body shows a Python traceback;
- every top-level error has `extensions.exception.code`, and none is
  INTERNAL_ERROR (a resolver that failed unexpectedly);
- every mutation payload's `errors` have a code.

It prints one JSON summary line and exits 1 when anything broke a property.
"""

import argparse
import json
import string
import sys
import time
from dataclasses import dataclass, field, replace
from typing import Any

import graphql
import requests
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import Mode, mutations, nodes, queries

BUILT_IN_SCALARS = {"Int", "Float", "String", "Boolean", "ID"}
ERRORS_ALIAS = "fuzzErrors"
TRACEBACK_MARKS = ("Traceback", 'File "')


@dataclass
class Run:
    """The endpoint, the clock, and what was found."""

    url: str
    deadline: float
    session: requests.Session = field(default_factory=requests.Session)
    sent: int = 0
    violations: dict[str, dict[str, Any]] = field(default_factory=dict)

    def out_of_time(self) -> bool:
        return time.monotonic() > self.deadline

    def post(self, body: Any, token: str | None, raw: bool = False) -> Any:
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        data = body if raw else json.dumps(body)
        self.sent += 1
        return self.session.post(self.url, data=data, headers=headers, timeout=30)

    def violation(self, kind: str, detail: str, example: Any) -> None:
        """Keep the first example of each distinct broken property."""
        key = f"{kind}: {detail}"
        entry = self.violations.setdefault(key, {"count": 0, "example": example})
        entry["count"] += 1


def check_response(run: Run, response: Any, example: Any) -> dict[str, Any] | None:
    """Check the properties every response has; return the JSON body."""
    text = response.text
    if response.status_code >= 500:
        run.violation("status", str(response.status_code), example)
    if any(mark in text for mark in TRACEBACK_MARKS):
        run.violation("traceback", "a Python traceback in the body", example)
    try:
        body = response.json()
    except ValueError:
        run.violation("body", "not JSON", example)
        return None
    for error in body.get("errors") or []:
        code = ((error.get("extensions") or {}).get("exception") or {}).get("code")
        if not code:
            run.violation("error without code", error.get("message", ""), example)
        elif code == "INTERNAL_ERROR":
            where = ".".join(str(part) for part in error.get("path") or ["?"])
            run.violation("INTERNAL_ERROR", where, example)
    return body


def check_payload_errors(run: Run, body: dict[str, Any], example: Any) -> None:
    for name, payload in (body.get("data") or {}).items():
        if not isinstance(payload, dict):
            continue
        for error in payload.get(ERRORS_ALIAS) or []:
            if not error.get("code"):
                run.violation("payload error without code", name, example)


def scalar_strategies(
    schema: graphql.GraphQLSchema, known_ids: list[str]
) -> dict[str, st.SearchStrategy]:
    """Return value strategies for every scalar the schema declares, and ID.

    A scalar's name tells what values would be valid; each strategy mixes
    such values with junk, so both paths are reached.
    """
    junk = st.one_of(
        st.text(max_size=20).map(nodes.String),
        st.integers(-(2**31), 2**31 - 1).map(nodes.Int),
        st.floats(allow_nan=False, allow_infinity=False).map(nodes.Float),
    )
    by_kind = {
        "date": st.dates().map(lambda day: nodes.String(day.isoformat())),
        "datetime": st.datetimes(timezones=st.just(None)).map(
            lambda moment: nodes.String(moment.isoformat() + "+00:00")
        ),
        "decimal": st.decimals(-(10**6), 10**6, places=2).map(nodes.String),
        "json": st.dictionaries(
            st.text(string.ascii_letters, max_size=5), st.integers()
        )
        .map(json.dumps)
        .map(nodes.String),
        "uuid": st.uuids().map(nodes.String),
    }
    ids = st.sampled_from(known_ids).map(nodes.String) if known_ids else junk
    # Two ids in three name real objects, so arguments get past the id check.
    strategies = {"ID": st.one_of(ids, ids, st.text(max_size=12).map(nodes.String))}
    for name, graphql_type in schema.type_map.items():
        if not isinstance(graphql_type, graphql.GraphQLScalarType):
            continue
        if name in BUILT_IN_SCALARS or name.startswith("__"):
            continue
        lowered = name.lower()
        kind = next(
            (
                kind
                for kind in ("datetime", "date", "decimal", "json", "uuid")
                if kind in lowered
            ),
            None,
        )
        if kind is None and ("percent" in lowered or "money" in lowered):
            kind = "decimal"
        if name == "_Any":
            strategies[name] = representations(known_ids, junk)
        else:
            valid = by_kind.get(kind) if kind else None
            strategies[name] = st.one_of(valid, junk) if valid is not None else junk
    return strategies


def representations(known_ids: list[str], junk: st.SearchStrategy) -> Any:
    """Return entity representations for `_Any`: mostly Users, some malformed."""
    ids = st.sampled_from(known_ids) if known_ids else st.text(max_size=12)

    def user(global_id: str) -> graphql.ObjectValueNode:
        return nodes.Object(
            [
                graphql.ObjectFieldNode(
                    name=graphql.NameNode(value="__typename"),
                    value=nodes.String("User"),
                ),
                graphql.ObjectFieldNode(
                    name=graphql.NameNode(value="id"), value=nodes.String(global_id)
                ),
            ]
        )

    return st.one_of(ids.map(user), st.text(max_size=12).map(user), junk)


def with_payload_errors(
    schema: graphql.GraphQLSchema, document: graphql.DocumentNode
) -> str:
    """Print a mutation that also asks each payload for its errors' codes."""
    mutation_type = schema.mutation_type
    assert mutation_type is not None
    wanted = graphql.parse("{ code field message }").definitions[0].selection_set
    errors = graphql.FieldNode(
        alias=graphql.NameNode(value=ERRORS_ALIAS),
        name=graphql.NameNode(value="errors"),
        arguments=(),
        directives=(),
        selection_set=wanted,
    )
    operation = document.definitions[0]
    selections = []
    for selection in operation.selection_set.selections:
        payload = graphql.get_named_type(
            mutation_type.fields[selection.name.value].type
        )
        if (
            isinstance(payload, graphql.GraphQLObjectType)
            and "errors" in payload.fields
        ):
            inner = selection.selection_set.selections
            selection = replace(
                selection,
                selection_set=graphql.SelectionSetNode(selections=(*inner, errors)),
            )
        selections.append(selection)
    operation = replace(
        operation, selection_set=graphql.SelectionSetNode(selections=tuple(selections))
    )
    return graphql.print_ast(replace(document, definitions=(operation,)))


def payloads_without_errors(schema: graphql.GraphQLSchema) -> list[str]:
    """Return mutations whose payload has no `errors` list."""
    if schema.mutation_type is None:
        return []
    return [
        name
        for name, mutation in schema.mutation_type.fields.items()
        if "errors" not in getattr(graphql.get_named_type(mutation.type), "fields", {})
    ]


def fuzz_settings(examples: int) -> settings:
    return settings(
        max_examples=examples,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )


def fuzz_operations(
    run: Run,
    strategy: Any,
    requestor: tuple[str, str | None],
    examples: int,
    build: Any,
    seen_ids: set[str] | None = None,
) -> None:
    name, token = requestor

    @fuzz_settings(examples)
    @given(document=strategy)
    def property_holds(document: Any) -> None:
        if run.out_of_time():
            return
        query = build(document)
        example = {"query": query, "requestor": name}
        response = run.post({"query": query}, token)
        body = check_response(run, response, example)
        if body is not None:
            check_payload_errors(run, body, example)
            if seen_ids is not None:
                harvest_ids(body.get("data"), seen_ids)

    property_holds()


def fuzz_raw_bodies(run: Run, examples: int) -> None:
    """Send bodies that are not well-formed GraphQL requests at all."""
    values = st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=30),
        lambda inner: st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(["query", "variables", "x"]), inner),
        max_leaves=8,
    )
    bodies = st.one_of(
        values.map(json.dumps),
        st.fixed_dictionaries({"query": st.text(max_size=60)}).map(json.dumps),
        st.binary(max_size=60),
    )

    @fuzz_settings(examples)
    @given(body=bodies)
    def property_holds(body: Any) -> None:
        if run.out_of_time():
            return
        example = {"body": body if isinstance(body, str) else repr(body)}
        check_response(run, run.post(body, None, raw=True), example)

    property_holds()


def harvest_ids(value: Any, found: set[str]) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "id" and isinstance(item, str):
                found.add(item)
            else:
                harvest_ids(item, found)
    elif isinstance(value, list):
        for item in value:
            harvest_ids(item, found)


def load_schema(run: Run) -> graphql.GraphQLSchema:
    query = graphql.get_introspection_query(descriptions=False)
    response = run.post({"query": query}, None)
    body = check_response(run, response, {"query": "introspection"})
    if not body or "data" not in body:
        raise SystemExit(
            f"Introspection failed: {response.status_code} {response.text}"
        )
    return graphql.build_client_schema(body["data"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument(
        "--requestor", action="append", default=[], help="name=token (empty: none)"
    )
    parser.add_argument("--id", action="append", default=[], help="a known id")
    parser.add_argument("--examples", type=int, default=60)
    parser.add_argument("--seconds", type=float, default=180)
    options = parser.parse_args()

    run = Run(url=options.url, deadline=time.monotonic() + options.seconds)
    schema = load_schema(run)
    requestors = [
        (name, token or None)
        for name, token in (entry.split("=", 1) for entry in options.requestor)
    ]
    for name in payloads_without_errors(schema):
        run.violation("mutation payload without errors", name, {"mutation": name})

    # First the most privileged requestor reads and writes around, to learn
    # real ids that later arguments can name.
    seen_ids = set(options.id)
    first_scalars = scalar_strategies(schema, sorted(seen_ids))
    first_look = [queries(schema, custom_scalars=first_scalars)]
    if schema.mutation_type is not None:
        first_look.append(mutations(schema, custom_scalars=first_scalars))
    for strategy in first_look:
        fuzz_operations(run, strategy, requestors[-1], options.examples, str, seen_ids)
    scalars = scalar_strategies(schema, sorted(seen_ids))

    for mode, share in ((Mode.POSITIVE, 1.0), (Mode.NEGATIVE, 0.25)):
        count = max(1, int(options.examples * share))
        for requestor in requestors:
            generated = queries(schema, custom_scalars=scalars, mode=mode)
            fuzz_operations(run, generated, requestor, count, str)
            if schema.mutation_type is None:
                continue
            generated = mutations(
                schema, custom_scalars=scalars, mode=mode, print_ast=lambda d: d
            )
            build = (
                (lambda document: with_payload_errors(schema, document))
                if mode is Mode.POSITIVE
                else graphql.print_ast
            )
            fuzz_operations(run, generated, requestor, count, build)
            print(f"{mode.name.lower()} {requestor[0]}: {run.sent}", file=sys.stderr)
    fuzz_raw_bodies(run, options.examples)

    summary = {
        "requests": run.sent,
        "ids_learned": len(seen_ids),
        "out_of_time": run.out_of_time(),
        "violations": run.violations,
    }
    print(json.dumps(summary, default=str))
    return 1 if run.violations else 0


if __name__ == "__main__":
    sys.exit(main())
