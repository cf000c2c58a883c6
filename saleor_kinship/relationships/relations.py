"""Relatives and the pairs of roles that relate them.

A relation type is a pair of roles read from each side: when Ann's relative
Bob is her "parent", Ann is Bob's "child". Built-in pairs are constants;
the merchant adds pairs of her own as `RelationType` rows. Between two
customers a relation is two rows, one per side, written and removed
together; the unique (customer, relative customer) key turns a concurrent
duplicate into a refusal instead of a half-written pair.
"""

import logging
import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction

from ..core.error_codes import KinshipErrorCode
from .important_dates import mirror_birthday
from .models import NAME_LENGTH, NOTE_LENGTH, ROLE_LENGTH, RelationType, Relative
from .profiles import set_birthday
from .validation import (
    DayOfYear,
    Refusals,
    check_birthday,
    check_line,
    check_required_text,
    check_role,
    check_text,
    normalise_tag,
    refuse,
)

logger = logging.getLogger(__name__)

BUILT_IN_PAIRS: tuple[tuple[str, str], ...] = (
    ("parent", "child"),
    ("partner", "partner"),
    ("sibling", "sibling"),
    ("friend", "friend"),
)

# Serialises the creation of relation types, so two staff members cannot give
# one role name two meanings at once.
RELATION_TYPE_LOCK = 7_400_101


@dataclass(frozen=True)
class RolePair:
    name: str
    reverse_name: str
    relation_type_id: int | None = None

    @property
    def is_built_in(self) -> bool:
        return self.relation_type_id is None


def role_pairs() -> list[RolePair]:
    """Return the built-in pairs, then the merchant's, oldest first."""
    custom = [
        RolePair(row.name, row.reverse_name, row.pk)
        for row in RelationType.objects.order_by("pk")
    ]
    return [RolePair(name, reverse) for name, reverse in BUILT_IN_PAIRS] + custom


def reverse_roles(pairs: list[RolePair] | None = None) -> dict[str, str]:
    """Return each role name with the role of the other side."""
    reverses: dict[str, str] = {}
    for pair in role_pairs() if pairs is None else pairs:
        reverses[pair.name] = pair.reverse_name
        reverses[pair.reverse_name] = pair.name
    return reverses


def create_relation_type(name: str, reverse_name: str) -> RelationType:
    """Add a pair of roles; the same name on both sides makes it symmetric."""
    # Shortcoming: a pair cannot be renamed or removed once added.
    refusals = Refusals()
    role = check_role(refusals, "name", name, ROLE_LENGTH)
    reverse = check_role(refusals, "reverse_name", reverse_name, ROLE_LENGTH)
    refusals.raise_any()

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [RELATION_TYPE_LOCK])
    taken = reverse_roles()
    for field, value in (("name", role), ("reverse_name", reverse)):
        if value in taken:
            refusals.add(
                field,
                f"The role '{value}' already belongs to a relation type.",
                KinshipErrorCode.UNIQUE,
            )
    refusals.raise_any()
    return RelationType.objects.create(name=role, reverse_name=reverse)


def _check_relation(refusals: Refusals, relation: str | None) -> tuple[str, str]:
    role = normalise_tag(relation or "")
    reverse = reverse_roles().get(role)
    if reverse is None:
        refusals.add(
            "relation",
            "Choose a relation type the shop knows (kinshipRelationTypes).",
            KinshipErrorCode.NOT_FOUND,
        )
        return role, ""
    return role, reverse


def add_relative(
    customer_id: int,
    *,
    relation: str,
    name: str | None = None,
    relative_customer_id: int | None = None,
    birthday: DayOfYear | None = None,
    note: str | None = None,
    today: date,
) -> Relative:
    """Add a relative to a customer; another customer gets the reverse row too."""
    refusals = Refusals()
    role, reverse = _check_relation(refusals, relation)
    note = check_text(refusals, "note", note, NOTE_LENGTH, "A note")
    if relative_customer_id is None:
        name = check_required_text(refusals, "name", name, NAME_LENGTH, "A name")
        birthday = check_birthday(refusals, "birthday", birthday, today)
    else:
        name = check_line(refusals, "name", name, NAME_LENGTH, "A name")
        if relative_customer_id == customer_id:
            refusals.add(
                "relative_customer",
                "A customer cannot be her own relative.",
                KinshipErrorCode.INVALID,
            )
        elif (
            not get_user_model()
            ._default_manager.filter(pk=relative_customer_id)
            .exists()
        ):
            refusals.add(
                "relative_customer", "No such customer.", KinshipErrorCode.NOT_FOUND
            )
        if birthday is not None:
            refusals.add(
                "birthday",
                "A customer's birthday is set on her own profile.",
                KinshipErrorCode.INVALID,
            )
    refusals.raise_any()

    if relative_customer_id is None:
        relative = Relative(
            customer_id=customer_id, name=name, relation=role, note=note
        )
        set_birthday(relative, birthday)
        relative.save()
        mirror_birthday(customer_id, relative.pk, birthday)
        return relative
    return _add_customer_pair(
        customer_id, relative_customer_id, role, reverse, name, note
    )


def _add_customer_pair(
    customer_id: int,
    relative_customer_id: int,
    role: str,
    reverse: str,
    name: str,
    note: str,
) -> Relative:
    pair = uuid.uuid4()
    this_side = Relative(
        customer_id=customer_id,
        relative_customer_id=relative_customer_id,
        pair=pair,
        relation=role,
        name=name,
        note=note,
    )
    other_side = Relative(
        customer_id=relative_customer_id,
        relative_customer_id=customer_id,
        pair=pair,
        relation=reverse,
    )
    # One statement, lower customer id first: two staff members relating the
    # same customers from either side meet on the same key, not in a deadlock.
    sides = sorted([this_side, other_side], key=lambda side: side.customer_id)
    try:
        with transaction.atomic():
            Relative.objects.bulk_create(sides)
    except IntegrityError:
        raise refuse(
            "relative_customer",
            "These customers are already related; change that relation instead.",
            KinshipErrorCode.UNIQUE,
        )
    logger.info(
        "Related customers %s and %s (pair %s)", customer_id, relative_customer_id, pair
    )
    return this_side


def update_relative(
    relative: Relative, changes: dict[str, Any], today: date
) -> Relative:
    """Change a relative; a new relation changes the other customer's side too."""
    refusals = Refusals()
    if "relation" in changes:
        role, reverse = _check_relation(refusals, changes["relation"])
    if "note" in changes:
        relative.note = check_text(
            refusals, "note", changes["note"], NOTE_LENGTH, "A note"
        )
    if "name" in changes:
        if relative.relative_customer_id is None:
            relative.name = check_required_text(
                refusals, "name", changes["name"], NAME_LENGTH, "A name"
            )
        else:
            relative.name = check_line(
                refusals, "name", changes["name"], NAME_LENGTH, "A name"
            )
    birthday = None
    if "birthday" in changes:
        if relative.relative_customer_id is not None:
            refusals.add(
                "birthday",
                "A customer's birthday is set on her own profile.",
                KinshipErrorCode.INVALID,
            )
        else:
            birthday = check_birthday(refusals, "birthday", changes["birthday"], today)
    refusals.raise_any()

    if "birthday" in changes:
        set_birthday(relative, birthday)
        mirror_birthday(relative.customer_id, relative.pk, birthday)
    if "relation" in changes:
        relative.relation = role
        if relative.pair is not None:
            Relative.objects.filter(pair=relative.pair).exclude(pk=relative.pk).update(
                relation=reverse
            )
    relative.save()
    return relative


def lock_relative(relative_id: int) -> Relative | None:
    """Return the relative, locked together with the other side of its pair."""
    relative = Relative.objects.filter(pk=relative_id).first()
    if relative is None:
        return None
    sides = Relative.objects.select_for_update().order_by("pk")
    if relative.pair is None:
        sides = sides.filter(pk=relative_id)
    else:
        sides = sides.filter(pair=relative.pair)
    return next((side for side in sides if side.pk == relative_id), None)


def display_name(relative: Relative, relative_customer: Any = None) -> str:
    """Return how to call a relative: her name, or her customer account's."""
    if relative.name or relative_customer is None:
        return relative.name
    full = " ".join(
        part
        for part in (
            getattr(relative_customer, "first_name", ""),
            getattr(relative_customer, "last_name", ""),
        )
        if part
    )
    return full or getattr(relative_customer, "email", "")


def remove_relative(relative: Relative) -> None:
    """Remove a relative; between customers, both sides go."""
    if relative.pair is not None:
        Relative.objects.filter(pair=relative.pair).delete()
    else:
        relative.delete()
