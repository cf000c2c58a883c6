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
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from difflib import get_close_matches
from enum import StrEnum
from string import Template
from typing import Any

from pybars import Compiler, PybarsError

from .plaintext import html_to_text


class Trigger(StrEnum):
    """What makes the shop write to a customer; the values are stored keys."""

    THANK_YOU = "thank_you"
    FIRST_ORDER = "first_order"
    TIER_REACHED = "tier_reached"
    BIRTHDAY = "birthday"
    POINTS_EXPIRING = "points_expiring"


@dataclass(frozen=True)
class Variable:
    """One value a template may use; ``[]`` in the path marks a list."""

    path: str
    description: str
    example: str | int
    optional: bool = False  # may be empty, so templates guard it with {{#if}}


COMMON_VARIABLES = (
    Variable("customer.first_name", "The customer's first name", "Zoë", True),
    Variable("customer.last_name", "The customer's last name", "Martin", True),
    Variable("shop.name", "Your shop's name", "Kinship Coffee"),
    Variable("reseller.name", "The customer's reseller, if any", "Ada Lovell", True),
)
ORDER_VARIABLES = (
    Variable("order.number", "The order number", "1042"),
    Variable("order.total", "The order total with its currency", "29.33 USD"),
    Variable("order.lines[].product_name", "A line's product", "Guji natural"),
    Variable("order.lines[].variant_name", "A line's variant", "250 g", True),
    Variable("order.lines[].quantity", "A line's quantity", 2),
    Variable("order.lines[].total", "A line's total with currency", "24.00 USD"),
    Variable("points.earned", "Points this order earned", 29),
    Variable("points.balance", "Points balance after this order", 312),
    Variable("tier.name", "The customer's loyalty tier", "Silver", True),
    Variable("tier.next_name", "The next tier up", "Gold", True),
    Variable("tier.points_to_next", "Points still needed for it", 188, True),
)
TIER_REACHED_VARIABLES = (
    Variable("tier.name", "The tier just reached", "Gold"),
    Variable("tier.previous_name", "The tier before it", "Silver", True),
    Variable("points.balance", "The customer's points balance", 512),
)
BIRTHDAY_VARIABLES = (Variable("points.balance", "The customer's points balance", 312),)
POINTS_EXPIRING_VARIABLES = (
    Variable("points.expiring", "Points about to expire", 120),
    Variable("points.expire_on", "The day they expire", "30 June 2025"),
    Variable("points.balance", "The customer's points balance", 312),
)

TRIGGER_VARIABLES: dict[Trigger, tuple[Variable, ...]] = {
    Trigger.THANK_YOU: COMMON_VARIABLES + ORDER_VARIABLES,
    Trigger.FIRST_ORDER: COMMON_VARIABLES + ORDER_VARIABLES,
    Trigger.TIER_REACHED: COMMON_VARIABLES + TIER_REACHED_VARIABLES,
    Trigger.BIRTHDAY: COMMON_VARIABLES + BIRTHDAY_VARIABLES,
    Trigger.POINTS_EXPIRING: COMMON_VARIABLES + POINTS_EXPIRING_VARIABLES,
}

# Parsing is pure Python (validating this many characters takes about two
# seconds), so a huge paste would stall a request; real e-mails are far smaller.
MAX_TEMPLATE_LENGTH = 64_000


class TemplateError(ValueError):
    """A template that cannot be saved or rendered; the message says why."""


@dataclass(frozen=True)
class RenderedEmail:
    """An e-mail ready to send: a one-line subject, HTML and its text part."""

    subject: str
    html: str
    text: str


# --- the schema as a tree --------------------------------------------------

VALUE, GROUP, LIST = "value", "group", "list"


@dataclass
class _Node:
    kind: str
    children: dict[str, "_Node"] = field(default_factory=dict)
    item: "_Node | None" = None

    def child(self, name: str) -> "_Node | None":
        if self.kind == LIST:
            return _Node(VALUE) if name == "length" else None
        return self.children.get(name)

    def names(self, prefix: str = "") -> Iterable[str]:
        for name, node in self.children.items():
            if node.kind == GROUP:
                yield from node.names(f"{prefix}{name}.")
            else:
                yield f"{prefix}{name}"


def _build_schema(variables: Iterable[Variable]) -> _Node:
    root = _Node(GROUP)
    for variable in variables:
        node = root
        parts = variable.path.split(".")
        for position, part in enumerate(parts):
            inner = VALUE if position == len(parts) - 1 else GROUP
            name = part.removesuffix("[]")
            if part.endswith("[]"):
                wanted = _Node(LIST, item=_Node(inner))
            else:
                wanted = _Node(inner)
            found = node.children.setdefault(name, wanted)
            if found.kind != wanted.kind or (
                found.item and wanted.item and found.item.kind != wanted.item.kind
            ):
                raise ValueError(f"'{variable.path}' conflicts with another variable.")
            node = found.item or found
    return root


_SCHEMAS = {trigger: _build_schema(v) for trigger, v in TRIGGER_VARIABLES.items()}


def _schema(trigger: str) -> _Node:
    try:
        return _SCHEMAS[Trigger(trigger)]
    except ValueError:
        raise _refusal("trigger", name=trigger)


def sample_context(trigger: str) -> dict[str, Any]:
    """Return a context filled with each variable's example, for previews."""
    schema = _schema(trigger)
    examples = {v.path: v.example for v in TRIGGER_VARIABLES[Trigger(trigger)]}

    def fill(node: _Node, prefix: str) -> Any:
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


# Every refusal a merchant can meet, in one place; $names are filled in.
_MESSAGES = {
    "unknown": "Unknown variable '$name' in the template.$hint",
    "unescaped": "Unescaped output '{{{$name}}}' is not allowed; use '{{$name}}' "
    "so the value is HTML-escaped.",
    "group": "'{{$name}}' is a group of values; insert one of them, such as "
    "'{{$example}}'.",
    "list": "'{{$name}}' is a list; show its items with {{#each $name}}...{{/each}}.",
    "helper": "'{{$name ...}}' calls a helper; only variables such as "
    "'{{customer.first_name}}' can be inserted.",
    "block": "Unknown block '{{#$name}}'; the blocks are #if, #unless, #each and "
    "#with.",
    "arguments": "'{{#$name}}' takes exactly one variable, as in "
    "'{{#$name customer.first_name}}'.",
    "needs": "$label needs a $kind, and '$name' is not one.",
    "else": "{{else}} is not supported in $label; use {{#if ...}} ... {{else}} "
    "... {{/if}}.",
    "else_if": "'{{else if ...}}' is not supported; put an {{#if ...}} block "
    "inside the {{else}} part instead.",
    "inverted": "'{{^$name}}' is not supported; use {{#unless ...}} to show "
    "something when a value is empty.",
    "partial": "Partials ({{> name}}) are not supported.",
    "construct": "This template construct is not supported: '$name'.",
    "name": "'{{$name}}' is not a valid variable name; names use letters, digits "
    "and underscores.",
    "unclosed_tag": "The tag '{{' on line $line is never closed with '}}'.",
    "unclosed_block": "The block '{{$tag}}' opened on line $line is never closed "
    "with '{{/$name}}'.",
    "mismatch": "'{{$tag}}' on line $line does not match '{{$opened}}' opened on "
    "line $opened_on.",
    "stray_close": "'{{$tag}}' on line $line closes a block never opened.",
    "stray_else": "'{{$tag}}' on line $line is outside any block.",
    "unreadable": "The template could not be read near '$near'.",
    "too_long": "The template is longer than $limit characters.",
    "too_deep": "The template's blocks are nested too deeply.",
    "compile": "The template could not be compiled: $error",
    "render": "The template could not be rendered: $error",
    "trigger": "Unknown e-mail trigger '$name'.",
}


def _refusal(key: str, **values: object) -> TemplateError:
    return TemplateError(Template(_MESSAGES[key]).substitute(values))


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
            return _refusal("unclosed_tag", line=line)
        tag = tag.strip("~ \t\r\n")
        words = tag.split()
        if tag.startswith(("{", "&")):
            return _refusal("unescaped", name=tag.strip("{}& "))
        if tag[:1] in "#^" and tag[1:].split():
            name = tag[1:].split()[0]
            if tag[0] == "^":
                return _refusal("inverted", name=name)
            if name not in _BLOCKS:
                return _refusal("block", name=name)
            blocks.append((name, tag, line))
        elif tag.startswith("/"):
            if not blocks:
                return _refusal("stray_close", tag=tag, line=line)
            name, opened, opened_on = blocks.pop()
            if name != tag[1:].strip():
                return _refusal(
                    "mismatch", tag=tag, line=line, opened=opened, opened_on=opened_on
                )
        elif words[:1] in (["else"], ["^"]):
            if len(words) > 1:
                return _refusal("else_if")
            if not blocks:
                return _refusal("stray_else", tag=tag, line=line)
    if "{{" in source[end:]:
        return _refusal("unclosed_tag", line=_line_of(source, source.index("{{", end)))
    if blocks:
        name, tag, line = blocks[-1]
        return _refusal("unclosed_block", tag=tag, line=line, name=name)
    return None


_COMPILER = Compiler()
# pybars keeps its code builder on the class, so two threads compiling at once
# would interleave their output.
_COMPILE_LOCK = threading.Lock()


@functools.lru_cache(maxsize=256)
def _parse(source: str) -> list[Any]:
    if len(source) > MAX_TEMPLATE_LENGTH:
        raise _refusal("too_long", limit=MAX_TEMPLATE_LENGTH)
    # pybars3 has no public parse API; its grammar is the authority on what it
    # will compile, so the checks walk the very tree its code generator gets
    # (pinned to pybars3 0.9.x, covered by the tests).
    prepared = _COMPILER.whitespace_control(source)
    parser = Compiler._handlebars(prepared)
    try:
        tree, _ = parser.apply("template")
    except RecursionError:
        raise _refusal("too_deep")
    # pybars judges success by the furthest error, which lets an unclosed
    # block through and silently drops the rest; what counts is whether the
    # parser consumed everything.
    position = parser.input.position
    if position < len(prepared):
        near = prepared[position : position + 30].splitlines()[0]
        raise _explain_unreadable(source) or _refusal("unreadable", near=near)
    return tree


_BLOCKS = ("if", "unless", "each", "with")
_ITEM_DATA = ("@index", "@first", "@last")
# Path segments end up inside Python string literals in pybars' generated
# code, so anything beyond these characters is refused before compiling.
_SAFE_SEGMENT = re.compile(r"[@A-Za-z0-9_-]*\Z")


@dataclass(frozen=True)
class _Scope:
    """What ``this`` is at a point of the template, as pybars resolves it."""

    node: _Node
    parent: "_Scope | None"  # what ``../`` reaches; None: nothing
    label: str = ""  # the block that opened it, for messages
    is_item: bool = False  # inside #each: @index and friends exist


def _plain(node: _Node, label: str = "") -> _Scope:
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

    def __init__(self, schema: _Node | None):
        self.schema = schema
        self.top = _plain(schema or _Node(GROUP))

    def walk(self, items: list[Any], scope: _Scope) -> None:
        for item in items[1:] if items[:1] == ["template"] else items:
            kind = item[0]
            if kind in ("literal", "newline", "whitespace", "comment"):
                continue
            if kind == "expand":
                raise _refusal("unescaped", name=_spell(item[1][1]))
            if kind == "escapedexpand":
                self.output(item[1][1], item[2], scope)
            elif kind == "block":
                self.block(item, scope)
            elif kind == "invertedblock":
                raise _refusal("inverted", name=item[1])
            else:
                raise _refusal(
                    "partial" if kind == "partial" else "construct", name=kind
                )

    def output(self, segments: list[str], arguments: list[Any], scope: _Scope) -> None:
        name = _spell(segments)
        if arguments:
            raise _refusal("else_if" if name == "else" else "helper", name=name)
        node = self.resolve(segments, scope)
        if node and node.kind == GROUP:
            example = next(iter(node.names(f"{name}.")), name)
            raise _refusal("group", name=name, example=example)
        if node and node.kind == LIST:
            raise _refusal("list", name=name)

    def block(self, item: Any, scope: _Scope) -> None:
        _, helper, arguments, body, otherwise = item
        if helper not in _BLOCKS:
            raise _refusal("block", name=helper)
        if len(arguments) != 1 or arguments[0][0] != "path":
            raise _refusal("arguments", name=helper)
        name = _spell(arguments[0][1])
        label = "{{#" + f"{helper} {name}" + "}}"
        if otherwise and helper in ("unless", "with"):
            # pybars never renders these else parts, so the text would vanish.
            raise _refusal("else", label=label)
        node = self.resolve(arguments[0][1], scope)
        inner = scope
        if helper in ("each", "with"):
            wanted = LIST if helper == "each" else GROUP
            if node and node.kind != wanted:
                raise _refusal("needs", label=label, kind=wanted, name=name)
            if helper == "each":
                item_node = node.item if node and node.item else _Node(GROUP)
                inner = _Scope(item_node, scope, label, is_item=True)
            else:
                inner = _plain(node or _Node(GROUP), label)
        self.walk(body, inner)
        self.walk(otherwise or [], scope)

    def resolve(self, segments: list[str], scope: _Scope) -> _Node | None:
        """Return the schema node a path reaches from a scope, as pybars would."""
        if not all(_SAFE_SEGMENT.match(s) and s[:2] != "@@" for s in segments):
            raise _refusal("name", name=_spell(segments))
        if self.schema is None:
            return None
        node: _Node | None = None
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
                    return _Node(VALUE)
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
        return _refusal("unknown", name=name, hint=hint)


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
            raise _refusal("compile", error=error)
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


def _shape(value: Any, node: _Node) -> Any:
    # Templates see plain data in the schema's shape and nothing else: missing
    # values become None or [], objects never reach pybars' attribute lookup.
    if node.kind == VALUE:
        return value if value is None or isinstance(value, _SCALARS) else str(value)
    if node.kind == LIST:
        items = value if isinstance(value, list | tuple) else ()
        return [_shape(item, node.item or _Node(VALUE)) for item in items]
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
        raise _refusal("render", error=error)


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
