"""Customer profiles: created with the customer, or lazily for older accounts."""

from datetime import date
from typing import Any

from ..core.error_codes import KinshipErrorCode
from .important_dates import mirror_birthday
from .models import (
    NOTES_LENGTH,
    ContactChannel,
    CustomerProfile,
    MetHow,
    Stage,
)
from .validation import (
    DayOfYear,
    Refusals,
    check_birthday,
    check_line,
    check_score,
    check_tags,
    check_text,
    check_time_zone,
)

# What the customer may change about herself; the rest is the merchant's view.
CUSTOMER_FIELDS = frozenset(
    {
        "birthday",
        "preferred_channel",
        "contact_handle",
        "email_consent",
        "profiling_consent",
    }
)


def default_profile(customer_id: int) -> CustomerProfile:
    """Return an unsaved profile with defaults, for reading without writing."""
    return CustomerProfile(customer_id=customer_id)


def profile_for(customer: Any, *, lock: bool = False) -> CustomerProfile:
    """Return the customer's profile, creating it with defaults when missing."""
    profile, _ = CustomerProfile.objects.get_or_create(customer_id=customer.pk)
    if lock:
        profile = CustomerProfile.objects.select_for_update().get(pk=profile.pk)
    return profile


def birthday_of(row: Any) -> DayOfYear | None:
    """Return the birthday stored on a profile or a relative, if any."""
    if row.birth_month is None:
        return None
    return DayOfYear(row.birth_day, row.birth_month, row.birth_year)


def set_birthday(row: Any, birthday: DayOfYear | None) -> None:
    row.birth_day, row.birth_month, row.birth_year = (
        birthday if birthday is not None else (None, None, None)
    )


def _check_choice(
    refusals: Refusals, field: str, value: Any, choices: Any, *, blank: bool
) -> str:
    if value is None or value == "":
        if not blank:
            refusals.add(field, "Choose a value.", KinshipErrorCode.REQUIRED)
        return ""
    if value not in choices.values:
        refusals.add(
            field,
            f"Choose one of: {', '.join(choices.values)}.",
            KinshipErrorCode.INVALID,
        )
    return value


def _checked(refusals: Refusals, changes: dict[str, Any], today: date) -> dict:
    """Return the changes as model values, adding a refusal for each bad one."""
    checks = {
        "stage": lambda v: _check_choice(refusals, "stage", v, Stage, blank=False),
        "met_how": lambda v: _check_choice(refusals, "met_how", v, MetHow, blank=True),
        "met_details": lambda v: check_line(
            refusals, "met_details", v, 500, "How you met"
        ),
        "closeness": lambda v: check_score(refusals, "closeness", v),
        "trust": lambda v: check_score(refusals, "trust", v),
        "preferred_channel": lambda v: _check_choice(
            refusals, "preferred_channel", v, ContactChannel, blank=True
        ),
        "contact_handle": lambda v: check_line(
            refusals, "contact_handle", v, 255, "The contact handle"
        ),
        "tags": lambda v: check_tags(refusals, "tags", v or []),
        "notes": lambda v: check_text(refusals, "notes", v, NOTES_LENGTH, "Notes"),
        "time_zone": lambda v: check_time_zone(refusals, "time_zone", v),
        "birthday": lambda v: check_birthday(refusals, "birthday", v, today),
    }
    values: dict[str, Any] = {}
    for name, value in changes.items():
        if name in ("email_consent", "profiling_consent"):
            if value is None:
                refusals.add(name, "Give true or false.", KinshipErrorCode.REQUIRED)
            values[name] = value
        else:
            values[name] = checks[name](value)
    return values


def update_profile(
    profile: CustomerProfile, changes: dict[str, Any], today: date
) -> CustomerProfile:
    """Validate and apply the given fields; refuse all of them if one is bad.

    `today` is the shop's date, which bounds a birthday's year.
    """
    refusals = Refusals()
    values = _checked(refusals, changes, today)
    refusals.raise_any()

    consent_changed = values.get("profiling_consent", profile.profiling_consent) != (
        profile.profiling_consent
    )
    for name, value in values.items():
        if name == "birthday":
            set_birthday(profile, value)
        else:
            setattr(profile, name, value)
    profile.save()
    if "birthday" in values:
        mirror_birthday(profile.customer_id, None, values["birthday"])
    if consent_changed:
        # The dashboard's copy of her segment follows her consent now, not
        # at the nightly pass.
        from ..privacy.mirror import request_mirror

        request_mirror(profile.customer_id)
    return profile
