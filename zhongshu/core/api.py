"""Core's REST endpoints (the request-context kit is in ``core.apikit``).

Endpoints are thin: parse, authorize, one service or selector, schema out.
Every object fetched by id goes through a selector scoped to the request's
company, which answers 404 for another company's ids.
"""

# No ``from __future__ import annotations``: ninja reads the endpoints'
# annotations at runtime to build its parameter models.
import dataclasses
from collections.abc import Iterable
from typing import Any, Literal

from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Status
from ninja.pagination import PageNumberPagination, paginate

from zhongshu.core import numbering, permissions, selectors, services
from zhongshu.core.apikit import (
    allow_when_read_only,
    api_context,
    require,
    response_not_stored,
)
from zhongshu.core.errors import NotFoundError
from zhongshu.core.models import ApiToken, AuditEntry, Company, Membership
from zhongshu.core.schemas import (
    AuditEntryOut,
    AuditFilter,
    CompanyIn,
    CompanyOut,
    CompanyPatch,
    MemberOut,
    MeOut,
    NumberingRowOut,
    NumberingRuleIn,
    RolesIn,
    TokenCreatedOut,
    TokenIn,
    TokenOut,
)

# --- endpoints ----------------------------------------------------------------

router = Router(tags=["core"])


@router.get("/me", response=MeOut)
def get_me(request: HttpRequest) -> dict[str, Any]:
    context = api_context(request)
    via: Literal["token", "session"] = "token" if context.token else "session"
    return {
        "user": context.user,
        "company": context.company,
        "roles": sorted(context.roles),
        "permissions": _granted_permissions(context.roles),
        "authenticated_by": via,
    }


def _granted_permissions(roles: Iterable[str]) -> list[str]:
    return [
        permission.code
        for permission in permissions.all_permissions()
        if permissions.roles_grant(roles, permission.code)
    ]


@router.get("/companies", response=list[CompanyOut])
def list_companies(request: HttpRequest) -> QuerySet[Company]:
    return selectors.list_user_companies(api_context(request).user)


@router.post("/companies", response={201: CompanyOut})
def create_company(request: HttpRequest, payload: CompanyIn) -> Status[Company]:
    """Create a company owned by the caller. It starts as a trial until an
    administrator activates it."""
    company = services.create_company(
        data=services.CompanyData(**payload.model_dump(mode="json")),
        owner=api_context(request).user,
        trial_days=settings.TRIAL_DAYS,
    )
    return Status(201, company)


@router.get("/company", response=CompanyOut)
def get_company(request: HttpRequest) -> Company:
    return api_context(request).company


@router.patch("/company", response=CompanyOut)
@require(permissions.MANAGE_COMPANY.code)
def update_company(request: HttpRequest, payload: CompanyPatch) -> Company:
    context = api_context(request)
    company = context.company
    current = services.CompanyData(
        code=company.code,
        name=company.name,
        uscc=company.uscc,
        taxpayer_type=company.taxpayer_type,
        accounting_standard=company.accounting_standard,
        fiscal_year_start_month=company.fiscal_year_start_month,
    )
    changed = payload.model_dump(mode="json", exclude_unset=True, exclude_none=True)
    return services.update_company(
        company=company,
        actor=context.user,
        data=dataclasses.replace(current, **changed),
    )


@router.get("/audit", response=list[AuditEntryOut])
@paginate(PageNumberPagination, page_size=50)
@require(permissions.VIEW_AUDIT.code)
def list_audit_entries(
    request: HttpRequest, filters: Query[AuditFilter]
) -> QuerySet[AuditEntry]:
    return selectors.list_audit_entries(
        api_context(request).company, **filters.model_dump()
    )


@router.get("/audit/{audit_entry_id}", response=AuditEntryOut)
@require(permissions.VIEW_AUDIT.code)
def get_audit_entry(request: HttpRequest, audit_entry_id: int) -> AuditEntry:
    return selectors.get_audit_entry(api_context(request).company, audit_entry_id)


@router.get("/tokens", response=list[TokenOut])
def list_tokens(request: HttpRequest) -> QuerySet[ApiToken]:
    context = api_context(request)
    return selectors.list_api_tokens(context.company, context.user)


@router.post("/tokens", response={201: TokenCreatedOut})
@allow_when_read_only
@response_not_stored
def create_token(request: HttpRequest, payload: TokenIn) -> Status[TokenCreatedOut]:
    """Issue a personal token for the current company. The key is shown once."""
    context = api_context(request)
    token, key = services.issue_api_token(
        company=context.company,
        user=context.user,
        name=payload.name,
        expires_at=payload.expires_at,
    )
    shown = TokenOut.from_orm(token).model_dump()
    return Status(201, TokenCreatedOut(**shown, key=key))


@router.delete("/tokens/{token_id}", response={204: None})
@allow_when_read_only
def revoke_token(request: HttpRequest, token_id: int) -> Status[None]:
    context = api_context(request)
    token = selectors.get_api_token(context.company, context.user, token_id)
    services.revoke_api_token(token=token, actor=context.user)
    return Status(204, None)


@router.get("/members", response=list[MemberOut])
@require(permissions.MANAGE_MEMBERS.code)
def list_members(request: HttpRequest) -> list[MemberOut]:
    return _members(selectors.list_members(api_context(request).company))


@router.put("/members/{user_id}/roles", response=MemberOut)
@require(permissions.MANAGE_MEMBERS.code)
def set_member_roles(request: HttpRequest, user_id: int, payload: RolesIn) -> MemberOut:
    """Give a member exactly these roles. Only existing members of the current
    company can be named; anyone else is 404."""
    context = api_context(request)
    user = selectors.get_member(context.company, user_id)
    memberships = services.set_roles(
        company=context.company,
        actor=context.user,
        user=user,
        roles={str(role) for role in payload.roles},
    )
    return _member_out(user, memberships)


def _member_out(user: User, memberships: Iterable[Membership]) -> MemberOut:
    return MemberOut(
        user_id=user.pk,
        username=user.get_username(),
        email=user.email,
        roles=sorted(m.role for m in memberships),
    )


def _members(memberships: Iterable[Membership]) -> list[MemberOut]:
    """One row per user (the table holds one row per role)."""
    by_user: dict[int, tuple[User, list[Membership]]] = {}
    for membership in memberships:
        user: User = membership.user
        by_user.setdefault(user.pk, (user, []))[1].append(membership)
    return [_member_out(user, rows) for user, rows in by_user.values()]


@router.get("/numbering", response=list[NumberingRowOut])
@require(permissions.VIEW_SETTINGS.code)
def numbering_overview(request: HttpRequest) -> list[selectors.NumberingRow]:
    return selectors.numbering_overview(api_context(request).company)


@router.put("/numbering/{key}", response=NumberingRowOut)
@require(permissions.MANAGE_NUMBERING.code)
def set_numbering_rule(
    request: HttpRequest, key: str, payload: NumberingRuleIn
) -> selectors.NumberingRow:
    context = api_context(request)
    if key not in {doc_type.key for doc_type in numbering.document_types()}:
        raise NotFoundError()
    services.set_numbering_rule(
        company=context.company,
        actor=context.user,
        key=key,
        pattern=payload.pattern,
        reset=str(payload.reset),
    )
    rows = selectors.numbering_overview(context.company)
    return next(row for row in rows if row.key == key)
