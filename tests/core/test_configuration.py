from decimal import Decimal

import pytest

from saleor_kinship.config import (
    FIELDS,
    ConfigurationError,
    default_configuration,
    parse_configuration,
    validate_configuration,
)
from saleor_kinship.loyalty.config import Tier


def test_defaults_parse_into_a_working_programme():
    settings = parse_configuration({}, strict=True)

    assert settings.points_per_unit == Decimal(1)
    assert settings.tiers == (
        Tier("Bronze", 0),
        Tier("Silver", 500),
        Tier("Gold", 2000),
    )
    assert settings.time_zone == "UTC"
    assert settings.allow_negative_balance is False


def test_every_field_has_a_label_and_help_text_for_the_dashboard_form():
    for field in FIELDS:
        assert field.label and len(field.help_text) > 20, field.name
    assert set(default_configuration()) == {field.name for field in FIELDS}


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"points_per_unit": "-1"}, "points_per_unit", "at least 0"),
        ({"points_per_unit": "lots"}, "points_per_unit", "Enter a number"),
        ({"points_per_unit": "NaN"}, "points_per_unit", "finite"),
        ({"points_currency": "usd1"}, "points_currency", "not an ISO 4217"),
        ({"points_currency": "XYZ"}, "points_currency", "not an ISO 4217"),
        ({"tiers": "Bronze 0, Silver: 500"}, "tiers", "is not 'name: points'"),
        ({"tiers": "Gold: 10, Gold: 20"}, "tiers", "name of its own"),
        ({"tiers": "Gold: 10, Silver: 10"}, "tiers", "threshold of its own"),
        ({"tiers": "Bronze: -5"}, "tiers", "is not 'name: points'"),
        ({"tier_basis": "weekly"}, "tier_basis", "Choose one of"),
        ({"points_expiry_months": "-1"}, "points_expiry_months", "from 0 to 120"),
        ({"time_zone": "Mars/Olympus"}, "time_zone", "not a time zone"),
        ({"default_commission_rate": "101"}, "default_commission_rate", "between"),
        (
            {"allow_negative_balance": "maybe"},
            "allow_negative_balance",
            "true or false",
        ),
    ],
)
def test_a_bad_value_is_refused_with_the_field_named(values, field, message):
    with pytest.raises(ConfigurationError) as refused:
        validate_configuration(values)

    assert refused.value.field == field
    assert message in refused.value.errors[field]


def test_every_bad_field_is_named_at_once():
    with pytest.raises(ConfigurationError) as refused:
        validate_configuration({"points_per_unit": "-2", "time_zone": "Nowhere"})

    assert set(refused.value.errors) == {"points_per_unit", "time_zone"}


def test_tiers_are_read_in_any_order_and_on_several_lines():
    settings = parse_configuration(
        {"tiers": "Gold: 2000\nBronze: 0\nSilver : 500"}, strict=True
    )
    assert [tier.name for tier in settings.tiers] == ["Bronze", "Silver", "Gold"]


def test_a_stored_bad_value_falls_back_to_the_default_when_not_strict():
    # A value saved before a stricter release must not stop the order flow.
    settings = parse_configuration({"points_per_unit": "-1"})
    assert settings.points_per_unit == Decimal(1)
