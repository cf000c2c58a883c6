"""Erasing a customer: every kinship row about her goes or stops naming her.

Runs twice for one deletion. Inside the host's deletion, before the user row
goes, the rows that the deletion would only unlink are anonymised while they
can still be found (`before_deletion`). Then the worker's "deleted" event
erases the rest, which includes rows kept by e-mail address. Both passes are
idempotent.
"""

import logging
from collections import Counter
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F, Func, Model, TextField, Value
from django.db.models.functions import Left, Lower

from .registry import MENTIONS, REDACTED_NAME, SECTIONS, Holding, Subject

logger = logging.getLogger(__name__)


def erase_customer(subject: Subject, *, before_deletion: bool = False) -> Counter:
    """Delete or anonymise what kinship holds about her; return rows by model.

    Mentions go first: a gift for her as someone's relative must lose her
    name before the relation row that pointed to her is deleted.
    """
    holdings: list[Holding] = [*MENTIONS, *SECTIONS]
    if before_deletion:
        holdings = [holding for holding in holdings if holding.before_deletion]
    erased: Counter = Counter()
    with transaction.atomic():
        for holding in holdings:
            rows = holding.queryset(subject)
            label = holding.model._meta.label
            if holding.redact:
                erased[label] += rows.update(
                    **{
                        field: _redacted(holding.model, field, subject)
                        for field in holding.redact
                    }
                )
            elif holding.anonymise is not None:
                erased[label] += rows.update(**holding.anonymise)
            else:
                _, by_model = rows.delete()
                erased.update(by_model)
    erased = +erased  # drop the zero counts
    if erased:
        logger.info(
            "Kinship erased customer %s: %s",
            subject.customer_id,
            ", ".join(f"{label} {count}" for label, count in sorted(erased.items())),
        )
    return erased


def _redacted(model: type[Model], field: str, subject: Subject) -> Func:
    """Return the field's text with each whole-word occurrence of her name cut.

    Cut to the field's length: the placeholder may be longer than the name.
    """
    text = Func(
        F(field),
        Value(subject.name_pattern),
        Value(REDACTED_NAME),
        Value("g"),
        function="regexp_replace",
        output_field=TextField(),
    )
    max_length = getattr(model._meta.get_field(field), "max_length", None)
    return Left(text, max_length) if max_length else text


def erase_deleted_customer(customer_id: int, email: str) -> Counter:
    """Erase a customer the host reports deleted; refuse one who still exists.

    Rows kept by e-mail are left alone when another account has the address
    by now: they are that account's.
    """
    customers = get_user_model()._default_manager
    if customers.filter(pk=customer_id).exists():
        logger.warning(
            "Kinship ignored a deleted event for customer %s: she still exists",
            customer_id,
        )
        return Counter()
    address = (email or "").strip().lower()
    if address and (
        customers.annotate(lowered_email=Lower("email"))
        .filter(lowered_email=address)
        .exists()
    ):
        address = ""
    return erase_customer(Subject(customer_id, address))


def erase_before_deletion(sender: Any, instance: Any, **kwargs: Any) -> None:
    """pre_delete receiver of the host's user model; see the module."""
    names = (getattr(instance, "first_name", ""), getattr(instance, "last_name", ""))
    subject = Subject(
        instance.pk,
        getattr(instance, "email", "") or "",
        # As the e-mails print a reseller's name.
        name=" ".join(name or "" for name in names).strip(),
    )
    erase_customer(subject, before_deletion=True)
