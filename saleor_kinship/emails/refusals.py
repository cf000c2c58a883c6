"""Why a template is refused, in the words a merchant reads in the dashboard."""

from string import Template


class TemplateError(ValueError):
    """A template that cannot be saved or rendered; the message says why."""


# Every refusal a merchant can meet, in one place; $names are filled in.
MESSAGES = {
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


def refusal(key: str, **values: object) -> TemplateError:
    return TemplateError(Template(MESSAGES[key]).substitute(values))
