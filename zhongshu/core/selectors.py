"""Reads of the platform; each takes the company first where it is scoped."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, User
from django.db.models import QuerySet

from zhongshu.core import clock, numbering, permissions
from zhongshu.core.errors import NotFoundError
from zhongshu.core.models import (
    ApiToken,
    AuditEntry,
    Company,
    Membership,
    NumberingRule,
    NumberSequence,
)


def list_user_companies(user: AbstractBaseUser) -> QuerySet[Company]:
    return (
        Company.objects.filter(memberships__user_id=user.pk).distinct().order_by("code")
    )


def get_user_company(user: AbstractBaseUser, company_id: int) -> Company:
    company = list_user_companies(user).filter(pk=company_id).first()
    if company is None:
        raise NotFoundError()
    return company


def user_roles(company: Company, user: AbstractBaseUser) -> set[str]:
    return permissions.roles_of(int(user.pk), company)


def user_can(company: Company, user: AbstractBaseUser, code: str) -> bool:
    return permissions.roles_grant(user_roles(company, user), code)


def list_members(company: Company) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(company=company)
        .select_related("user")
        .order_by("user__username", "role")
    )


def list_audit_entries(
    company: Company,
    *,
    object_kind: str | None = None,
    object_id: str | None = None,
    actor_id: int | None = None,
    action: str | None = None,
) -> QuerySet[AuditEntry]:
    entries = AuditEntry.objects.filter(company=company).select_related("actor")
    if object_kind:
        entries = entries.filter(object_kind=object_kind)
    if object_id:
        entries = entries.filter(object_id=object_id)
    if actor_id:
        entries = entries.filter(actor_id=actor_id)
    if action:
        entries = entries.filter(action=action)
    return entries


def get_audit_entry(company: Company, entry_id: int) -> AuditEntry:
    entry = list_audit_entries(company).filter(pk=entry_id).first()
    if entry is None:
        raise NotFoundError()
    return entry


def list_api_tokens(company: Company, user: AbstractBaseUser) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(company=company, user_id=user.pk).order_by(
        "-created_at"
    )


def get_api_token(company: Company, user: AbstractBaseUser, token_id: int) -> ApiToken:
    token = list_api_tokens(company, user).filter(pk=token_id).first()
    if token is None:
        raise NotFoundError()
    return token


@dataclass(frozen=True, slots=True)
class NumberingRow:
    key: str
    label: str
    pattern: str
    reset: str
    next_number: str


def numbering_overview(
    company: Company, on_date: datetime.date | None = None
) -> list[NumberingRow]:
    """Each declared document type with the company's pattern and next number."""
    on_date = on_date or clock.today()
    sequences = {
        (s.key, s.cycle): s.next_value
        for s in NumberSequence.objects.filter(company=company)
    }
    rules = {r.key: r for r in NumberingRule.objects.filter(company=company)}
    rows = []
    for doc_type in numbering.document_types():
        pattern, reset = numbering.effective_rule(doc_type, rules.get(doc_type.key))
        cycle = numbering.cycle_for(reset, on_date)
        next_value = sequences.get((doc_type.key, cycle), 1)
        rows.append(
            NumberingRow(
                key=doc_type.key,
                label=str(doc_type.label),
                pattern=pattern,
                reset=reset,
                next_number=numbering.format_number(pattern, on_date, next_value),
            )
        )
    return rows


def get_member(company: Company, user_id: int) -> User:
    """A user holding at least one role in ``company``; others look absent."""
    membership = list_members(company).filter(user_id=user_id).first()
    if membership is None:
        raise NotFoundError()
    return membership.user


def find_user_company(user: AbstractBaseUser, code: str) -> Company | None:
    return list_user_companies(user).filter(code__iexact=code.strip()).first()


def audit_filter_choices(company: Company) -> tuple[list[str], list[str]]:
    """The object types and actions present in the company's trail."""
    entries = AuditEntry.objects.filter(company=company).order_by()
    kinds = entries.values_list("object_kind", flat=True).distinct()
    actions = entries.values_list("action", flat=True).distinct()
    return list(kinds), list(actions)
