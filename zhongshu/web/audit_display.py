"""How audit entries read on the pages: labels for object types, actions and
fields, and each change as old → new."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from zhongshu.core import selectors
from zhongshu.core.models import AuditEntry, Company, Role

ACTION_LABELS: dict[str, str | Promise] = {
    "created": _("created"),
    "changed": _("changed"),
    "deleted": _("deleted"),
    "activated": _("activated"),
    "revoked": _("revoked"),
    "roles_changed": _("roles changed"),
    "confirmed": _("confirmed"),
    "cancelled": _("cancelled"),
    "done": _("done"),
    "posted": _("posted"),
    "reversed": _("reversed"),
    "closed": _("closed"),
    "reopened": _("reopened"),
}

# Fields whose values are role codes: shown with the roles' labels.
ROLE_FIELDS = frozenset({"roles", "role"})


@dataclass(frozen=True, slots=True, kw_only=True)
class ChangeRow:
    field: str
    label: str
    old: str
    new: str
    # Creations record plain values: there is no "before" to show.
    has_old: bool


def _model_for(kind: str) -> type[models.Model] | None:
    try:
        return apps.get_model(kind)
    except (LookupError, ValueError):
        return None


def kind_label(kind: str) -> str:
    model = _model_for(kind)
    return capfirst(str(model._meta.verbose_name)) if model is not None else kind


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action.replace("_", " ")))


def field_label(kind: str, name: str) -> str:
    model = _model_for(kind)
    if model is not None:
        try:
            field = model._meta.get_field(name)
            return capfirst(str(getattr(field, "verbose_name", name)))
        except FieldDoesNotExist:
            pass
    if name in ROLE_FIELDS:
        return str(_("Roles"))
    return name.replace("_", " ")


def display_value(name: str, value: Any) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, list):
        return ", ".join(display_value(name, item) for item in value)
    if name in ROLE_FIELDS and value in Role.values:
        return str(Role(value).label)
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    return str(value)


def change_rows(entry: AuditEntry) -> list[ChangeRow]:
    """``changes`` holds {field: [old, new]} for edits (core.audit.field_changes)
    and {field: value} for creations."""
    rows = []
    for name, value in entry.changes.items():
        is_pair = isinstance(value, list) and len(value) == 2
        old, new = (value[0], value[1]) if is_pair else (None, value)
        rows.append(
            ChangeRow(
                field=name,
                label=field_label(entry.object_kind, name),
                old=display_value(name, old),
                new=display_value(name, new),
                has_old=is_pair,
            )
        )
    return rows


def filter_choices(
    company: Company,
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The object types and actions present in the company's trail, labelled."""
    kinds, actions = selectors.audit_filter_choices(company)
    return (
        sorted(((kind, kind_label(kind)) for kind in kinds), key=lambda c: c[1]),
        sorted(
            ((action, action_label(action)) for action in actions), key=lambda c: c[1]
        ),
    )
