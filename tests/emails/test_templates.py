"""What a customer reads, and which templates a merchant cannot save."""

import os
import sys

import pytest

from saleor_kinship.emails import templates
from saleor_kinship.emails.defaults import DEFAULT_TEMPLATES, default_template
from saleor_kinship.emails.templates import (
    MAX_TEMPLATE_LENGTH,
    TRIGGER_VARIABLES,
    RenderedEmail,
    TemplateError,
    Trigger,
    render,
    sample_context,
    validate_template,
)

TIMES = "\N{MULTIPLICATION SIGN}"


def order_context(first_name: str = "Zoë", **extra: object) -> dict:
    return {
        "customer": {"first_name": first_name, "last_name": "Martin"},
        "shop": {"name": "Kinship Coffee"},
        "order": {
            "number": "1042",
            "total": "29.33 USD",
            "lines": [
                {
                    "product_name": "Guji natural",
                    "variant_name": "250 g",
                    "quantity": 1,
                    "total": "14.00 USD",
                },
                {
                    "product_name": "Huila washed",
                    "variant_name": "",
                    "quantity": 1,
                    "total": "15.33 USD",
                },
            ],
        },
        "points": {"earned": 29, "balance": 312},
        "tier": {"name": "Silver", "next_name": "Gold", "points_to_next": 188},
        **extra,
    }


def render_default(trigger: str, context: dict) -> RenderedEmail:
    template = default_template(trigger)
    return render(trigger, template.subject, template.html, context)


# --- what the customer reads -------------------------------------------------


def test_thank_you_names_the_customer_the_order_and_the_points():
    email = render_default("thank_you", order_context())

    assert "1042" in email.subject
    assert "Zoë" in email.subject
    assert "<p>Hello Zoë,</p>" in email.html
    assert "Guji natural" in email.html
    assert "Huila washed" in email.html
    assert "Hello Zoë," in email.text
    assert "29 points" in email.text
    assert f"- 1 {TIMES} Guji natural (250 g): 14.00 USD" in email.text
    # An empty variant name leaves no empty brackets behind.
    assert f"- 1 {TIMES} Huila washed: 15.33 USD" in email.text
    assert "Total: 29.33 USD" in email.text
    assert "188 points away from Gold" in email.text


def test_first_order_is_a_warmer_welcome():
    email = render_default("first_order", order_context())

    assert email.subject.startswith("Welcome, Zoë!")
    assert "1042" in email.subject
    assert "first order" in email.text
    assert "Guji natural" in email.text


def test_a_name_with_an_ampersand_is_plain_in_the_subject_escaped_in_html():
    email = render_default("thank_you", order_context("Ann & Bob"))

    assert email.subject == "Ann & Bob, thank you for your order #1042"
    assert "Hello Ann &amp; Bob," in email.html
    assert "Hello Ann & Bob," in email.text


def test_every_escaped_character_comes_back_unchanged_in_the_subject():
    name = "Ann & Bob \"the <best>\" 'x' `y` &amp;"
    email = render(
        "birthday",
        "Hi {{customer.first_name}}",
        "<p>x</p>",
        {"customer": {"first_name": name}},
    )

    assert email.subject == f"Hi {name}"


def test_entities_typed_into_the_subject_read_as_characters():
    email = render("birthday", "Fish &amp; chips", "<p>x</p>", {})

    assert email.subject == "Fish & chips"


def test_a_script_for_a_name_is_inert_in_the_html_and_plain_in_the_text():
    email = render_default("thank_you", order_context("<script>alert(1)</script>"))

    assert "<script>" not in email.html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in email.html
    assert "Hello <script>alert(1)</script>," in email.text


def test_the_subject_stays_on_one_line():
    email = render_default("thank_you", order_context("Zoë\r\nBcc: x@example.com"))

    assert "\n" not in email.subject
    assert "\r" not in email.subject
    assert email.subject == "Zoë Bcc: x@example.com, thank you for your order #1042"


def test_without_a_first_name_the_greeting_is_plain():
    email = render_default("thank_you", order_context(""))

    assert email.subject == "Thank you for your order #1042"
    assert "<p>Hello,</p>" in email.html
    assert email.text.startswith("Hello,\n")


def test_without_a_reseller_no_sentence_about_one_is_left():
    email = render_default("thank_you", order_context())

    assert "glad to help" not in email.text
    assert "  " not in email.text
    assert "\n\n\n" not in email.text


def test_with_a_reseller_the_customer_is_told_who_helps():
    context = order_context(reseller={"name": "Ada Lovell"})

    email = render_default("thank_you", context)

    assert "Ada Lovell is always glad to help" in email.text


def test_the_top_tier_gets_thanks_instead_of_a_next_step():
    context = order_context(tier={"name": "Gold"})

    email = render_default("thank_you", context)

    assert "As a Gold member" in email.text
    assert "away from" not in email.text


@pytest.mark.parametrize("trigger", list(Trigger))
def test_every_default_is_valid_and_renders_its_examples(trigger):
    template = DEFAULT_TEMPLATES[trigger]
    validate_template(trigger, template.subject)
    validate_template(trigger, template.html)

    email = render(trigger, template.subject, template.html, sample_context(trigger))

    assert "Zoë" in email.text
    assert "Kinship Coffee" in email.text
    for leftover in ("{{", "}}", "None", "<"):
        assert leftover not in email.text


@pytest.mark.parametrize("trigger", list(Trigger))
def test_every_default_survives_an_empty_context(trigger):
    email = render_default(trigger, {})

    assert email.text.startswith("Hello,")
    assert "None" not in email.text + email.subject


def test_every_trigger_has_a_default_and_variables():
    assert set(DEFAULT_TEMPLATES) == set(Trigger) == set(TRIGGER_VARIABLES)


def test_values_are_taken_only_in_the_schema_shape():
    class Number:
        def __str__(self) -> str:
            return "1042"

    context = order_context()
    context["order"] = {"number": Number(), "lines": "not a list", "secret": "x"}

    email = render("thank_you", "#{{order.number}}", "<p>x</p>", context)

    assert email.subject == "#1042"


# --- paths resolve the way pybars renders them ----------------------------------


def test_scoped_paths_reach_what_the_validator_says_they_reach():
    source = (
        "{{#each order.lines}}{{@index}}:{{product_name}}/{{this.quantity}}/"
        "{{../shop.name}}/{{@root.customer.first_name}}"
        "{{#if @last}}.{{else}}, {{/if}}{{/each}} "
        "{{order.lines.length}} {{#with customer}}{{first_name}} {{last_name}}"
        "{{/with}}"
    )

    email = render("thank_you", source, "<p>x</p>", order_context())

    assert email.subject == (
        "0:Guji natural/1/Kinship Coffee/Zoë, 1:Huila washed/1/Kinship Coffee/Zoë."
        " 2 Zoë Martin"
    )


def test_an_empty_list_shows_the_else_part_of_each():
    context = order_context()
    context["order"]["lines"] = []
    source = "{{#each order.lines}}{{product_name}}{{else}}nothing{{/each}}"

    assert render("thank_you", source, "<p>x</p>", context).subject == "nothing"


# --- what a merchant cannot save ---------------------------------------------


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("{{order.totl}}", "Unknown variable 'order.totl' in the template."),
        ("{{order.totl}}", "Did you mean 'order.total'?"),
        ("{{#if reseller.nme}}x{{/if}}", "Unknown variable 'reseller.nme'"),
        (
            "{{#each order.lines}}{{product_nme}}{{/each}}",
            "Unknown variable 'product_nme'",
        ),
        (
            "{{#each order.lines}}{{shop.name}}{{/each}}",
            "reach it as '@root.shop.name'",
        ),
        (
            "{{#each order.lines}}{{../order.totl}}{{/each}}",
            "Unknown variable '../order.totl'",
        ),
        ("{{#each order.lines}}{{this}}{{/each}}", "'{{this}}' is a group"),
        ("{{@index}}", "Unknown variable '@index'"),
        ("{{order}}", "'{{order}}' is a group of values"),
        ("{{order.lines}}", "is a list; show its items with {{#each order.lines}}"),
        ("{{#each customer}}x{{/each}}", "needs a list"),
        ("{{{customer.first_name}}}", "Unescaped output '{{{customer.first_name}}}'"),
        ("{{&customer.first_name}}", "Unescaped output"),
        ("{{{customer.first_name}}", "Unescaped output"),
        (
            "Hi\n{{#if customer.first_name}}\n{{customer.first_name}}",
            "The block '{{#if customer.first_name}}' opened on line 2 is never "
            "closed with '{{/if}}'.",
        ),
        ("Hi {{customer.first_name}", "The tag '{{' on line 1 is never closed"),
        ("{{#if customer.first_name}}x{{/each}}", "does not match"),
        ("{{/if}}", "closes a block never opened"),
        ("{{else}}", "is outside any block"),
        ("{{#unless reseller.name}}a{{else}}b{{/unless}}", "{{else}} is not supported"),
        (
            "{{#if customer.first_name}}a{{else if reseller.name}}b{{/if}}",
            "'{{else if ...}}' is not supported",
        ),
        ("{{^reseller.name}}x{{/reseller.name}}", "use {{#unless ...}}"),
        ("{{^if reseller.name}}x{{/if}}", "use {{#unless ...}}"),
        ("{{#customer}}{{first_name}}{{/customer}}", "Unknown block '{{#customer}}'"),
        ("{{#if}}x{{/if}}", "takes exactly one variable"),
        ("{{lookup order.lines 0}}", "calls a helper"),
        ("{{> footer}}", "Partials"),
        ("{{{{raw}}}}{{x}}{{{{/raw}}}}", "not supported"),
    ],
)
def test_a_broken_or_unsafe_template_is_refused_with_a_reason(source, message):
    with pytest.raises(TemplateError) as refusal:
        validate_template("thank_you", source)

    assert message in str(refusal.value)


def test_each_trigger_allows_only_its_own_variables():
    validate_template("thank_you", "{{order.number}}")

    with pytest.raises(TemplateError, match="Unknown variable 'order.number'"):
        validate_template("points_expiring", "{{order.number}}")


def test_code_in_a_variable_name_never_runs(monkeypatch):
    monkeypatch.delenv("KINSHIP_PWNED", raising=False)
    payload = (
        "{{customer.[x', __import__('os').environ.__setitem__('KINSHIP_PWNED', "
        "'yes'), u'y]}}"
    )

    with pytest.raises(TemplateError, match="not a valid variable name"):
        validate_template("thank_you", payload)
    with pytest.raises(TemplateError):
        render("thank_you", "x", payload, order_context())

    assert "KINSHIP_PWNED" not in os.environ


def test_an_unknown_trigger_is_refused():
    with pytest.raises(TemplateError, match="Unknown e-mail trigger 'anniversary'"):
        validate_template("anniversary", "Hello")


def test_a_huge_template_is_refused():
    with pytest.raises(TemplateError, match="longer than"):
        validate_template("thank_you", "x" * (MAX_TEMPLATE_LENGTH + 1))


def test_deep_nesting_is_refused_not_crashed():
    source = "{{#if shop.name}}" * 400 + "x" + "{{/if}}" * 400

    with pytest.raises(TemplateError):
        validate_template("thank_you", source)


def test_no_variable_shadows_a_pybars_helper():
    helpers = {"if", "unless", "each", "with", "lookup", "log", "helperMissing"}
    for variables in TRIGGER_VARIABLES.values():
        for variable in variables:
            names = variable.path.replace("[]", "").split(".")
            assert not helpers & set(names), variable.path


def test_a_template_is_compiled_once_and_leaves_no_module_behind():
    source = "<p>Cached for {{customer.first_name}}</p>"
    modules = len(sys.modules)
    render("birthday", "x", source, {})
    hits = templates._compiled.cache_info().hits

    render("birthday", "x", source, {})

    assert templates._compiled.cache_info().hits > hits
    assert len(sys.modules) == modules
