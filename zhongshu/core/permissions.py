"""Roles and what they may do.

Each module declares its permissions once, with the roles that hold them:

    permissions.declare("sales.confirm_order", _("Confirm sales orders"),
                        roles={Role.SALES}, read_only=False)

The owner holds every permission. The read-only auditor holds every
permission declared ``read_only=True``. The UI hides and the API refuses (403)
what a user's roles in the current company do not grant.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from zhongshu.core.models import Company, Membership, Role


@dataclass(frozen=True, slots=True)
class Permission:
    code: str
    label: str | Promise
    roles: frozenset[str]
    read_only: bool


_registry: dict[str, Permission] = {}


def declare(
    code: str, label: str | Promise, *, roles: Iterable[str], read_only: bool
) -> Permission:
    if code in _registry:
        raise ValueError(f"Permission {code} is declared twice.")
    permission = Permission(code, label, frozenset(roles), read_only)
    _registry[code] = permission
    return permission


def all_permissions() -> list[Permission]:
    return sorted(_registry.values(), key=lambda p: p.code)


def get_permission(code: str) -> Permission:
    try:
        return _registry[code]
    except KeyError:
        raise KeyError(f"Unknown permission {code}; declare it first.") from None


def roles_grant(roles: Iterable[str], code: str) -> bool:
    permission = get_permission(code)
    role_set = set(roles)
    if Role.OWNER in role_set:
        return True
    if permission.read_only and Role.AUDITOR in role_set:
        return True
    return bool(permission.roles & role_set)


def roles_of(user_id: int, company: Company) -> set[str]:
    return set(
        Membership.objects.filter(company=company, user_id=user_id).values_list(
            "role", flat=True
        )
    )


VIEW_AUDIT = declare(
    "core.view_audit",
    _("View the audit trail"),
    roles={Role.ACCOUNTANT},
    read_only=True,
)
MANAGE_MEMBERS = declare(
    "core.manage_members", _("Manage users and roles"), roles=set(), read_only=False
)
MANAGE_COMPANY = declare(
    "core.manage_company", _("Change company settings"), roles=set(), read_only=False
)
MANAGE_NUMBERING = declare(
    "core.manage_numbering",
    _("Configure document numbering"),
    roles={Role.ACCOUNTANT},
    read_only=False,
)
VIEW_SETTINGS = declare(
    "core.view_settings",
    _("View company settings"),
    roles={Role.ACCOUNTANT},
    read_only=True,
)
