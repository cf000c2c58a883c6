"""E-mail settings a merchant cannot save, each refused with its field named."""

import pytest

from saleor_kinship.config import (
    ConfigurationError,
    parse_configuration,
    validate_configuration,
)
from saleor_kinship.emails.smtp import SmtpSettings


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        (
            {"email_thank_you_body": "<p>{{#if customer.first_name}}Hi</p>"},
            "email_thank_you_body",
            "The block '{{#if customer.first_name}}' opened on line 1 is never "
            "closed with '{{/if}}'.",
        ),
        (
            {"email_birthday_subject": "Happy birthday {{customer.firstname}}"},
            "email_birthday_subject",
            "Unknown variable 'customer.firstname' in the template. Did you mean "
            "'customer.first_name'?",
        ),
        (
            # Order values do not exist in a birthday greeting.
            {"email_birthday_body": "<p>{{order.number}}</p>"},
            "email_birthday_body",
            "Unknown variable 'order.number' in the template.",
        ),
        (
            {"email_first_order_body": "<p>{{{customer.first_name}}}</p>"},
            "email_first_order_body",
            "Unescaped output '{{{customer.first_name}}}' is not allowed; use "
            "'{{customer.first_name}}' so the value is HTML-escaped.",
        ),
        (
            {"sender_address": "the shop"},
            "sender_address",
            "'the shop' is not an e-mail address.",
        ),
        (
            {"sender_address": "shop@example.com\nBcc: all@example.com"},
            "sender_address",
            "The sender address must be on one line.",
        ),
        ({"smtp_port": "70000"}, "smtp_port", "Enter a whole number from 1 to 65535."),
        ({"smtp_port": "0"}, "smtp_port", "Enter a whole number from 1 to 65535."),
        ({"smtp_port": "smtp"}, "smtp_port", "Enter a whole number."),
        (
            {"smtp_security": "ssl+starttls"},
            "smtp_security",
            "Choose one of: starttls, ssl, none.",
        ),
        (
            {"smtp_host": "smtp://mail.example.com"},
            "smtp_host",
            "Enter only the server's name, such as smtp.example.com.",
        ),
        (
            {"smtp_host": "mail.example.com:587"},
            "smtp_host",
            "Enter the port in 'SMTP port', not after the host name.",
        ),
        (
            {"smtp_host": "mail example.com"},
            "smtp_host",
            "'mail example.com' is not a host name, such as smtp.example.com.",
        ),
        (
            {"email_hour": "24"},
            "email_hour",
            "Enter a whole number from 0 to 23.",
        ),
        ({"thank_you_guests": "perhaps"}, "thank_you_guests", "Enter true or false."),
    ],
)
def test_a_bad_e_mail_setting_is_refused_naming_the_field(values, field, message):
    with pytest.raises(ConfigurationError) as refused:
        validate_configuration(values)

    assert refused.value.errors == {field: message}


def test_good_settings_are_kept_as_typed():
    settings = parse_configuration(
        {
            "email_thank_you_subject": "Thanks, {{customer.first_name}}!",
            "sender_address": "Kinship Coffee <hello@example.com>",
            "smtp_host": "smtp.example.com",
            "smtp_port": "2525",
            "smtp_security": "ssl",
            "smtp_user": "shop",
            "smtp_password": " secret with spaces ",
        },
        strict=True,
    )

    assert settings.email_thank_you_subject == "Thanks, {{customer.first_name}}!"
    assert settings.sender_address == "Kinship Coffee <hello@example.com>"
    assert SmtpSettings.of_channel(settings) == SmtpSettings(
        host="smtp.example.com",
        port=2525,
        security="ssl",
        user="shop",
        password=" secret with spaces ",
    )


@pytest.mark.parametrize(
    ("security", "port"), [("starttls", 587), ("ssl", 465), ("none", 25)]
)
def test_an_empty_port_means_the_usual_one(security, port):
    settings = parse_configuration(
        {"smtp_host": "192.0.2.10", "smtp_security": security}, strict=True
    )

    assert SmtpSettings.of_channel(settings).port == port


def test_defaults_thank_every_paying_customer_and_nothing_else():
    settings = parse_configuration({}, strict=True)

    assert settings.email_thank_you is True
    for switch in (
        "email_first_order",
        "thank_you_guests",
        "email_tier_reached",
        "email_birthday",
        "email_points_expiring",
    ):
        assert getattr(settings, switch) is False, switch
    assert settings.email_thank_you_body == ""  # the warm default


def test_a_broken_stored_template_falls_back_to_the_default_when_sending():
    # Saved before a stricter release: the order flow must not stop on it.
    settings = parse_configuration({"email_thank_you_body": "{{#if x}}"})

    assert settings.email_thank_you_body == ""


def test_the_dashboard_form_has_a_kind_for_every_e_mail_field():
    from saleor_kinship.emails.config import EMAIL_FIELDS

    kinds = {field.name: field.kind for field in EMAIL_FIELDS}
    assert kinds["email_thank_you_subject"] == "string"
    assert kinds["email_thank_you_body"] == "multiline"
    assert kinds["smtp_password"] == "password"
    assert kinds["email_birthday"] == "boolean"
