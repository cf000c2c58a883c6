"""Writing important dates: birthdays mirror profiles and relatives; staff edit
anniversaries and custom dates."""

from typing import Any

from ..core.error_codes import KinshipErrorCode
from .models import NAME_LENGTH, DateKind, ImportantDate, Relative
from .validation import DayOfYear, Refusals, check_day_of_year, check_line, refuse

EDITABLE_KINDS = (DateKind.ANNIVERSARY, DateKind.CUSTOM)


def mirror_birthday(
    customer_id: int, relative_id: int | None, birthday: DayOfYear | None
) -> None:
    """Keep the birthday row of a customer (or of her relative) equal to `birthday`.

    Call it in the transaction that changes the profile or the relative.
    """
    rows = ImportantDate.objects.filter(
        customer_id=customer_id,
        relative__isnull=relative_id is None,
        kind=DateKind.BIRTHDAY,
    )
    if relative_id is not None:
        rows = rows.filter(relative_id=relative_id)
    if birthday is None:
        rows.delete()
        return
    ImportantDate.objects.update_or_create(
        customer_id=customer_id,
        relative_id=relative_id,
        kind=DateKind.BIRTHDAY,
        defaults={
            "day": birthday.day,
            "month": birthday.month,
            "year": birthday.year,
            "recurring": True,
            "label": "",
        },
    )


def _check_relative(customer_id: int, relative_id: int | None) -> Relative | None:
    if relative_id is None:
        return None
    relative = Relative.objects.filter(pk=relative_id, customer_id=customer_id).first()
    if relative is None:
        raise refuse(
            "relative",
            "This relative is not one of the customer's.",
            KinshipErrorCode.NOT_FOUND,
        )
    return relative


def save_important_date(row: ImportantDate, changes: dict[str, Any]) -> ImportantDate:
    """Validate and store an anniversary or a custom date, new or changed.

    `changes` holds the given fields: kind, label, day, month, year,
    recurring, relative_id; a new row needs at least kind, day and month.
    """
    if row.pk and row.kind == DateKind.BIRTHDAY:
        raise refuse(
            "id",
            "A birthday is changed on the customer's profile or on the relative.",
            KinshipErrorCode.INVALID_STATE,
        )
    refusals = Refusals()
    kind: str = changes.get("kind", row.kind) or ""
    if kind not in EDITABLE_KINDS:
        refusals.add(
            "kind",
            "Staff add anniversaries and custom dates; birthdays are set on the "
            "profile or on the relative.",
            KinshipErrorCode.INVALID,
        )
    if "label" in changes:
        row.label = check_line(
            refusals, "label", changes["label"], NAME_LENGTH, "A label"
        )
    recurring = changes.get("recurring", row.recurring)
    if recurring is None:
        refusals.add("recurring", "Say whether it recurs.", KinshipErrorCode.REQUIRED)
    day = changes.get("day", row.day)
    month = changes.get("month", row.month)
    year = changes.get("year", row.year)
    if day is None or month is None:
        refusals.add("date", "Give a day and a month.", KinshipErrorCode.REQUIRED)
    else:
        check_day_of_year(refusals, "date", day, month, year)
    if recurring is False and year is None:
        refusals.add(
            "date", "A date that happens once needs a year.", KinshipErrorCode.REQUIRED
        )
    refusals.raise_any()
    if "relative_id" in changes:
        relative = _check_relative(row.customer_id, changes["relative_id"])
        row.relative = relative

    row.kind, row.recurring = kind, recurring
    row.day, row.month, row.year = day, month, year
    row.save()
    return row


def delete_important_date(row: ImportantDate) -> None:
    if row.kind == DateKind.BIRTHDAY:
        raise refuse(
            "id",
            "A birthday is removed on the customer's profile or on the relative.",
            KinshipErrorCode.INVALID_STATE,
        )
    row.delete()
