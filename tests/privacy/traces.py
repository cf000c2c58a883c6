"""Find every kinship row that still points to a customer, by looking at all of
them: foreign keys to the user model, text (e-mail, name) and JSON payloads.

Nothing here knows which models exist, so a model added later is searched
too.
"""

from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.db.models.functions import Cast


def kinship_models() -> list[type[models.Model]]:
    return list(apps.get_app_config("saleor_kinship").get_models())


def _json_names(value: Any, customer_id: int, words: list[str], key: str = "") -> bool:
    """Tell whether a JSON value holds one of the words or her id under a
    key that names a customer or user."""
    if isinstance(value, dict):
        return any(
            _json_names(item, customer_id, words, str(name))
            for name, item in value.items()
        )
    if isinstance(value, list):
        return any(_json_names(item, customer_id, words, key) for item in value)
    if isinstance(value, str):
        lowered = value.lower()
        if any(word in lowered for word in words):
            return True
    names_a_person = "customer" in key.lower() or "user" in key.lower()
    return names_a_person and str(value) == str(customer_id)


def traces_of(customer_id: int, email: str, *names: str) -> list[str]:
    """Return "Model.field #pk" for every row that names the customer."""
    words = [word.lower() for word in (email, *names) if word]
    user_model = get_user_model()
    found = []
    for model in kinship_models():
        manager = model._default_manager
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model is user_model:
                rows = manager.filter(**{field.attname: customer_id})
            elif isinstance(field, models.IntegerField) and field.name.endswith(
                "customer_id"
            ):
                rows = manager.filter(**{field.name: customer_id})
            elif isinstance(field, models.CharField | models.TextField):
                condition = Q(pk__in=[])
                for word in words:
                    condition |= Q(**{f"{field.name}__icontains": word})
                rows = manager.filter(condition)
            elif isinstance(field, ArrayField):
                as_text = manager.annotate(as_text=Cast(field.name, models.TextField()))
                condition = Q(pk__in=[])
                for word in words:
                    condition |= Q(as_text__icontains=word)
                rows = as_text.filter(condition)
            elif isinstance(field, models.JSONField):
                pks = [
                    pk
                    for pk, value in manager.values_list("pk", field.name)
                    if _json_names(value, customer_id, words)
                ]
                rows = manager.filter(pk__in=pks)
            else:
                continue
            found += [
                f"{model.__name__}.{field.name} #{pk}"
                for pk in rows.values_list("pk", flat=True)
            ]
    return sorted(found)
