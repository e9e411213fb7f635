"""Settings of the current company: company data, members, numbering, API tokens."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.models import User
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from zhongshu.core import clock, selectors, services
from zhongshu.core.errors import DomainError
from zhongshu.core.models import Membership, Role
from zhongshu.web.decorators import can, company_page, require
from zhongshu.web.forms import (
    AddMemberForm,
    CompanyForm,
    NumberingRuleForm,
    RolesForm,
    TokenForm,
    WebForm,
    show_domain_error,
)
from zhongshu.web.http import CompanyPageRequest, acting_user, posted

VIEW_SETTINGS = "core.view_settings"
MANAGE_COMPANY = "core.manage_company"
MANAGE_MEMBERS = "core.manage_members"
MANAGE_NUMBERING = "core.manage_numbering"


def _may_edit(request: CompanyPageRequest, permission: str) -> bool:
    # A read-only company shows its settings but offers no save buttons;
    # the middleware would refuse the POST anyway.
    return can(request, permission) and not request.company_read_only


def disable(form: WebForm) -> None:
    """Show a form read-only to a user who may not change it."""
    for form_field in form.fields.values():
        form_field.disabled = True


@company_page(permission=VIEW_SETTINGS)
@require_http_methods(["GET", "POST"])
def company_settings(request: CompanyPageRequest) -> HttpResponse:
    company = request.company
    form = CompanyForm.for_company(company, posted(request))
    if request.method == "POST":
        require(request, MANAGE_COMPANY)
        if form.is_valid():
            try:
                services.update_company(
                    company=company,
                    actor=acting_user(request),
                    data=form.company_data(),
                )
            except DomainError as error:
                show_domain_error(form, error)
            else:
                messages.success(request, _("The company settings are saved."))
                return redirect("settings_company")
    can_edit = _may_edit(request, MANAGE_COMPANY)
    if not can_edit:
        disable(form)
    return render(
        request, "web/settings/company.html", {"form": form, "can_edit": can_edit}
    )


@dataclass(slots=True)
class MemberRow:
    user: User
    roles: list[str] = field(default_factory=list)


def _member_rows(memberships: list[Membership]) -> list[MemberRow]:
    """One row per user with their roles in Role order (memberships are one
    row per role)."""
    rows: dict[int, MemberRow] = {}
    for membership in memberships:
        row = rows.setdefault(membership.user_id, MemberRow(user=membership.user))
        row.roles.append(membership.role)
    order = {role: index for index, role in enumerate(Role.values)}
    for row in rows.values():
        row.roles.sort(key=order.__getitem__)
    return list(rows.values())


@company_page(permission=MANAGE_MEMBERS)
@require_http_methods(["GET", "POST"])
def members(request: CompanyPageRequest) -> HttpResponse:
    company = request.company
    form = AddMemberForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.add_member(
                company=company,
                actor=acting_user(request),
                username=data["username"],
                roles=set(data["roles"]),
                password=data["password"],
                email=data["email"],
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(
                request,
                _("%(user)s is now a member of %(company)s.")
                % {"user": user.get_username(), "company": company.name},
            )
            return redirect("settings_members")
    return render(
        request,
        "web/settings/members.html",
        {
            "form": form,
            "rows": _member_rows(list(selectors.list_members(company))),
            "can_edit": _may_edit(request, MANAGE_MEMBERS),
        },
    )


@company_page(permission=MANAGE_MEMBERS)
@require_http_methods(["GET", "POST"])
def member_roles(request: CompanyPageRequest, user_id: int) -> HttpResponse:
    company = request.company
    memberships = list(selectors.list_members(company).filter(user_id=user_id))
    if not memberships:
        # Not a member of this company (perhaps of another): not found.
        raise Http404
    member = _member_rows(memberships)[0]
    form = RolesForm(posted(request), initial={"roles": member.roles})
    if request.method == "POST" and form.is_valid():
        roles = set(form.cleaned_data["roles"])
        try:
            services.set_roles(
                company=company,
                actor=acting_user(request),
                user=member.user,
                roles=roles,
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            message = (
                _("The roles of %(user)s are saved.")
                if roles
                else _("%(user)s no longer belongs to this company.")
            )
            messages.success(request, message % {"user": member.user.get_username()})
            return redirect("settings_members")
    can_edit = _may_edit(request, MANAGE_MEMBERS)
    if not can_edit:
        disable(form)
    return render(
        request,
        "web/settings/member.html",
        {
            "member": member,
            "form": form,
            "can_edit": can_edit,
        },
    )


@company_page(permission=VIEW_SETTINGS)
@require_http_methods(["GET", "POST"])
def numbering_settings(request: CompanyPageRequest) -> HttpResponse:
    company = request.company
    failed: NumberingRuleForm | None = None
    if request.method == "POST":
        require(request, MANAGE_NUMBERING)
        form = NumberingRuleForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.set_numbering_rule(
                    company=company,
                    actor=acting_user(request),
                    key=data["key"],
                    pattern=data["pattern"],
                    reset=data["reset"],
                )
            except DomainError as error:
                show_domain_error(form, error)
            else:
                messages.success(request, _("The numbering rule is saved."))
                return redirect("settings_numbering")
        failed = form
    rows = [
        (
            row,
            failed
            if failed is not None and failed.data.get("key") == row.key
            else NumberingRuleForm(
                initial={"key": row.key, "pattern": row.pattern, "reset": row.reset},
                auto_id=f"id_{row.key}_%s",
            ),
        )
        for row in selectors.numbering_overview(company)
    ]
    return render(
        request,
        "web/settings/numbering.html",
        {"rows": rows, "can_edit": _may_edit(request, MANAGE_NUMBERING)},
    )


@company_page()
@require_http_methods(["GET", "POST"])
def tokens(request: CompanyPageRequest) -> HttpResponse:
    company, user = request.company, acting_user(request)
    form = TokenForm(posted(request))
    new_key = ""
    if request.method == "POST" and form.is_valid():
        try:
            _token, new_key = services.issue_api_token(
                company=company,
                user=user,
                name=form.cleaned_data["name"],
                expires_at=form.expires_at(),
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            # The key is rendered into this response only and never stored in
            # plain text, so there is no redirect (it would lose the key).
            form = TokenForm()
    return render(
        request,
        "web/settings/tokens.html",
        {
            "form": form,
            "new_key": new_key,
            "tokens": selectors.list_api_tokens(company, user),
            "now": clock.now(),
        },
    )


@company_page()
@require_POST
def token_revoke(request: CompanyPageRequest, token_id: int) -> HttpResponse:
    user = acting_user(request)
    token = selectors.get_api_token(request.company, user, token_id)
    services.revoke_api_token(token=token, actor=user)
    messages.success(
        request, _("The token %(name)s is revoked.") % {"name": token.name}
    )
    return redirect("settings_tokens")
