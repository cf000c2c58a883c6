"""Merchant-edited Handlebars e-mail templates: what they may say, and how.

Templates are Handlebars, compiled by pybars3 (the engine Saleor's own e-mail
plugins use), restricted to a small subset that a validator checks before
anything is compiled:

* ``{{variable}}`` and ``{{a.b.c}}`` insert a value, always HTML-escaped;
  ``{{{...}}}`` and ``{{&...}}`` are refused.
* Blocks: ``{{#if x}}``, ``{{#unless x}}``, ``{{#each list}}``, ``{{#with group}}``;
  ``{{else}}`` (or ``{{^}}``) inside ``#if`` and ``#each`` only.
* Inside ``#each``: the item's fields by name, ``this.field``, ``@index``
  (from 0), ``@first``, ``@last``; ``../name`` reaches one scope out and
  ``@root.name`` the top. ``list.length`` counts the items.
* ``{{! comments }}`` and ``~`` whitespace control.

Refused: helpers with arguments, ``{{else if}}``, inverted blocks ``{{^x}}``,
mustache sections ``{{#customer}}``, partials, raw blocks, and any variable
that is not declared for the trigger. Variables are safe in text and in quoted
attributes; they must not be placed in unquoted attributes or inside
``<script>``/``<style>``.
"""

import functools
import re
import sys
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from difflib import get_close_matches
from typing import Any

from pybars import Compiler, PybarsError

from . import Trigger
from .plaintext import html_to_text
from .refusals import TemplateError, refusal
from .variables import GROUP, LIST, SCHEMAS, TRIGGER_VARIABLES, VALUE, Node

__all__ = [
    "MAX_TEMPLATE_LENGTH",
    "TRIGGER_VARIABLES",
    "RenderedEmail",
    "TemplateError",
    "Trigger",
    "render",
    "sample_context",
    "validate_template",
]

# Parsing is pure Python (validating this many characters takes about two
# seconds), so a huge paste would stall a request; real e-mails are far smaller.
MAX_TEMPLATE_LENGTH = 64_000


@dataclass(frozen=True)
class RenderedEmail:
    """An e-mail ready to send: a one-line subject, HTML and its text part."""

    subject: str
    html: str
    text: str


# --- the variables offered ----------------------------------------------------


def _schema(trigger: str) -> Node:
    try:
        return SCHEMAS[Trigger(trigger)]
    except ValueError:
        raise refusal("trigger", name=trigger)


def sample_context(trigger: str) -> dict[str, Any]:
    """Return a context filled with each variable's example, for previews."""
    schema = _schema(trigger)
    examples = {v.path: v.example for v in TRIGGER_VARIABLES[Trigger(trigger)]}

    def fill(node: Node, prefix: str) -> Any:
        if node.kind == LIST and node.item:
            return [fill(node.item, f"{prefix}[]")]
        if node.kind == VALUE:
            return examples.get(prefix)
        return {
            name: fill(child, f"{prefix}{'.' if prefix else ''}{name}")
            for name, child in node.children.items()
        }

    return fill(schema, "")


# --- parsing and checking ----------------------------------------------------


def _line_of(source: str, index: int) -> int:
    return source.count("\n", 0, index) + 1


_TAG = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)


def _explain_unreadable(source: str) -> TemplateError | None:
    """Name the usual slip behind a parse failure, with its line."""
    blocks: list[tuple[str, str, int]] = []
    end = 0
    for match in _TAG.finditer(source):
        line, tag, end = _line_of(source, match.start()), match.group(1), match.end()
        if "{{" in tag:
            return refusal("unclosed_tag", line=line)
        tag = tag.strip("~ \t\r\n")
        words = tag.split()
        if tag.startswith(("{", "&")):
            return refusal("unescaped", name=tag.strip("{}& "))
        if tag[:1] in "#^" and tag[1:].split():
            name = tag[1:].split()[0]
            if tag[0] == "^":
                return refusal("inverted", name=name)
            if name not in _BLOCKS:
                return refusal("block", name=name)
            blocks.append((name, tag, line))
        elif tag.startswith("/"):
            if not blocks:
                return refusal("stray_close", tag=tag, line=line)
            name, opened, opened_on = blocks.pop()
            if name != tag[1:].strip():
                return refusal(
                    "mismatch", tag=tag, line=line, opened=opened, opened_on=opened_on
                )
        elif words[:1] in (["else"], ["^"]):
            if len(words) > 1:
                return refusal("else_if")
            if not blocks:
                return refusal("stray_else", tag=tag, line=line)
    if "{{" in source[end:]:
        return refusal("unclosed_tag", line=_line_of(source, source.index("{{", end)))
    if blocks:
        name, tag, line = blocks[-1]
        return refusal("unclosed_block", tag=tag, line=line, name=name)
    return None


_COMPILER = Compiler()
# pybars keeps its code builder on the class, so two threads compiling at once
# would interleave their output.
_COMPILE_LOCK = threading.Lock()


@functools.lru_cache(maxsize=256)
def _parse(source: str) -> list[Any]:
    if len(source) > MAX_TEMPLATE_LENGTH:
        raise refusal("too_long", limit=MAX_TEMPLATE_LENGTH)
    # pybars3 has no public parse API; its grammar is the authority on what it
    # will compile, so the checks walk the very tree its code generator gets
    # (pinned to pybars3 0.9.x, covered by the tests).
    prepared = _COMPILER.whitespace_control(source)
    parser = Compiler._handlebars(prepared)
    try:
        tree, _ = parser.apply("template")
    except RecursionError:
        raise refusal("too_deep")
    # pybars judges success by the furthest error, which lets an unclosed
    # block through and silently drops the rest; what counts is whether the
    # parser consumed everything.
    position = parser.input.position
    if position < len(prepared):
        near = prepared[position : position + 30].splitlines()[0]
        raise _explain_unreadable(source) or refusal("unreadable", near=near)
    return tree


_BLOCKS = ("if", "unless", "each", "with")
_ITEM_DATA = ("@index", "@first", "@last")
# Path segments end up inside Python string literals in pybars' generated
# code, so anything beyond these characters is refused before compiling.
_SAFE_SEGMENT = re.compile(r"[@A-Za-z0-9_-]*\Z")


@dataclass(frozen=True)
class _Scope:
    """What ``this`` is at a point of the template, as pybars resolves it."""

    node: Node
    parent: "_Scope | None"  # what ``../`` reaches; None: nothing
    label: str = ""  # the block that opened it, for messages
    is_item: bool = False  # inside #each: @index and friends exist


def _plain(node: Node, label: str = "") -> _Scope:
    # pybars gives the top and each #with a parent that is the same data seen
    # without a scope, so ``../`` there stays put and ``../../`` finds nothing.
    return _Scope(node, _Scope(node, None), label)


def _spell(segments: list[str]) -> str:
    ups = 0
    names: list[str] = []
    for segment in segments:
        if segment == "@_parent" and not names:
            ups += 1
        elif segment:
            names.append(".." if segment == "@_parent" else segment)
    spelled = "../" * ups + ".".join(names) if names else "../" * ups or "this"
    return spelled.replace("@@_parent.", "@../")


class _Checker:
    """Walk a parse tree; with no schema, only check the constructs are safe."""

    def __init__(self, schema: Node | None):
        self.schema = schema
        self.top = _plain(schema or Node(GROUP))

    def walk(self, items: list[Any], scope: _Scope) -> None:
        for item in items[1:] if items[:1] == ["template"] else items:
            kind = item[0]
            if kind in ("literal", "newline", "whitespace", "comment"):
                continue
            if kind == "expand":
                raise refusal("unescaped", name=_spell(item[1][1]))
            if kind == "escapedexpand":
                self.output(item[1][1], item[2], scope)
            elif kind == "block":
                self.block(item, scope)
            elif kind == "invertedblock":
                raise refusal("inverted", name=item[1])
            else:
                raise refusal(
                    "partial" if kind == "partial" else "construct", name=kind
                )

    def output(self, segments: list[str], arguments: list[Any], scope: _Scope) -> None:
        name = _spell(segments)
        if arguments:
            raise refusal("else_if" if name == "else" else "helper", name=name)
        node = self.resolve(segments, scope)
        if node and node.kind == GROUP:
            example = next(iter(node.names(f"{name}.")), name)
            raise refusal("group", name=name, example=example)
        if node and node.kind == LIST:
            raise refusal("list", name=name)

    def block(self, item: Any, scope: _Scope) -> None:
        _, helper, arguments, body, otherwise = item
        if helper not in _BLOCKS:
            raise refusal("block", name=helper)
        if len(arguments) != 1 or arguments[0][0] != "path":
            raise refusal("arguments", name=helper)
        name = _spell(arguments[0][1])
        label = "{{#" + f"{helper} {name}" + "}}"
        if otherwise and helper in ("unless", "with"):
            # pybars never renders these else parts, so the text would vanish.
            raise refusal("else", label=label)
        node = self.resolve(arguments[0][1], scope)
        inner = scope
        if helper in ("each", "with"):
            wanted = LIST if helper == "each" else GROUP
            if node and node.kind != wanted:
                raise refusal("needs", label=label, kind=wanted, name=name)
            if helper == "each":
                item_node = node.item if node and node.item else Node(GROUP)
                inner = _Scope(item_node, scope, label, is_item=True)
            else:
                inner = _plain(node or Node(GROUP), label)
        self.walk(body, inner)
        self.walk(otherwise or [], scope)

    def resolve(self, segments: list[str], scope: _Scope) -> Node | None:
        """Return the schema node a path reaches from a scope, as pybars would."""
        if not all(_SAFE_SEGMENT.match(s) and s[:2] != "@@" for s in segments):
            raise refusal("name", name=_spell(segments))
        if self.schema is None:
            return None
        node: Node | None = None
        current: _Scope | None = scope
        for position, segment in enumerate(segments):
            if segment in ("", "this"):
                continue  # pybars compiles both to "stay here"
            if node is None and current is not None:
                if segment == "@_parent":
                    current = current.parent
                    continue
                if segment == "@root":
                    current = _Scope(self.top.node, None)  # plain data, no scope
                    continue
                is_last = position == len(segments) - 1
                if segment in _ITEM_DATA and current.is_item and is_last:
                    return Node(VALUE)
                node = current.node
            node = node.child(segment) if node else None
            if node is None:
                raise self.unknown(segments, scope)
        if node is None and current is None:
            raise self.unknown(segments, scope)
        return node or (current.node if current else None)

    def unknown(self, segments: list[str], scope: _Scope) -> TemplateError:
        name = _spell(segments)
        bare = name.replace("../", "")
        known = [*scope.node.names(), *(_ITEM_DATA if scope.is_item else ())]
        close = get_close_matches(name, known, n=1, cutoff=0.75)
        hint = f" Did you mean '{close[0]}'?" if close else ""
        if scope.label and bare in self.top.node.names():
            hint = f" Inside {scope.label} reach it as '@root.{bare}'."
        return refusal("unknown", name=name, hint=hint)


@functools.lru_cache(maxsize=512)
def _check(trigger: str, source: str) -> None:
    checker = _Checker(_schema(trigger))
    checker.walk(_parse(source), checker.top)


@functools.lru_cache(maxsize=256)
def _compiled(source: str) -> Callable[..., str]:
    checker = _Checker(None)
    checker.walk(_parse(source), checker.top)  # never compile an unsafe tree
    with _COMPILE_LOCK:
        try:
            template = _COMPILER.compile(source)
        except (PybarsError, RecursionError) as error:
            raise refusal("compile", error=error)
        # The function keeps its own globals; dropping the module entry stops
        # sys.modules from growing with every template compiled.
        sys.modules.pop(template.__module__, None)
    return template


def validate_template(trigger: str, source: str) -> None:
    """Raise TemplateError unless the source is a safe template for the trigger."""
    _check(trigger, source)
    _compiled(source)


# --- rendering ---------------------------------------------------------------

_SCALARS = (str, int, float, Decimal)


def _shape(value: Any, node: Node) -> Any:
    # Templates see plain data in the schema's shape and nothing else: missing
    # values become None or [], objects never reach pybars' attribute lookup.
    if node.kind == VALUE:
        return value if value is None or isinstance(value, _SCALARS) else str(value)
    if node.kind == LIST:
        items = value if isinstance(value, list | tuple) else ()
        return [_shape(item, node.item or Node(VALUE)) for item in items]
    values = value if isinstance(value, Mapping) else {}
    return {key: _shape(values.get(key), child) for key, child in node.children.items()}


# The exact inverse of pybars' escaping: a value escaped then decoded comes
# back unchanged, so the subject shows it as typed.
_UNESCAPE = {"&amp;": "&", "&quot;": '"', "&#x27;": "'", "&#x60;": "`"}
_UNESCAPE |= {"&lt;": "<", "&gt;": ">"}
_ESCAPED = re.compile("|".join(map(re.escape, _UNESCAPE)))
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _subject_line(rendered: str) -> str:
    text = _ESCAPED.sub(lambda match: _UNESCAPE[match.group()], rendered)
    return " ".join(_CONTROL.sub(" ", text).split())


def _run(template: Callable[..., str], data: dict[str, Any]) -> str:
    try:
        return str(template(data))
    except Exception as error:
        # A merchant's template must fail as a TemplateError the sender can
        # log and fall back from, whatever went wrong inside pybars.
        raise refusal("render", error=error)


def render(
    trigger: str, subject_source: str, html_source: str, context: Mapping[str, Any]
) -> RenderedEmail:
    """Render a subject line, an HTML body and its plain-text alternative."""
    for source in (subject_source, html_source):
        validate_template(trigger, source)
    data = _shape(context, _schema(trigger))
    html = _run(_compiled(html_source), data)
    subject = _subject_line(_run(_compiled(subject_source), data))
    return RenderedEmail(subject=subject, html=html, text=html_to_text(html))
