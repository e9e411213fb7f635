"""System checks that keep house rules: no floats for data, tenancy on every table."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.checks import CheckMessage, Error, register
from django.db import models

from zhongshu.core import documents

# Core tables that are not tenant-owned by nature (the tenant itself, and rows
# that belong to a user across companies or to the dispatch machinery).
TENANCY_EXEMPT = {"core.company", "core.handledevent"}


def _project_models() -> list[type[models.Model]]:
    return [
        model for model in apps.get_models() if model.__module__.startswith("zhongshu.")
    ]


@register()
def no_float_fields(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    return [
        Error(
            f"{model._meta.label}.{field.name} is a FloatField; "  # float ok
            "use Decimal fields.",
            id="zhongshu.E001",
        )
        for model in _project_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.FloatField)  # float ok: the rule itself
    ]


@register()
def tenant_owned_tables(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    errors: list[CheckMessage] = []
    for model in _project_models():
        label = model._meta.label_lower
        if label in TENANCY_EXEMPT:
            continue
        field_names = {f.name for f in model._meta.get_fields()}
        if "company" not in field_names:
            errors.append(Error(f"{label} has no company column.", id="zhongshu.E002"))
            continue
        for constraint in model._meta.constraints:
            fields = getattr(constraint, "fields", ())
            if (
                isinstance(constraint, models.UniqueConstraint)
                and fields
                and ("company" not in fields)
            ):
                errors.append(
                    Error(
                        f"{label}: unique constraint {constraint.name} omits company.",
                        id="zhongshu.E003",
                    )
                )
    return errors


@register()
def every_state_field_has_a_flow(
    app_configs: Any = None, **kwargs: Any
) -> list[CheckMessage]:
    return [
        Error(
            f"{model._meta.label} has a state field but no registered StateFlow.",
            id="zhongshu.E004",
        )
        for model in _project_models()
        if any(f.name == "state" for f in model._meta.get_fields())
        and documents.flow_for(model) is None
    ]
