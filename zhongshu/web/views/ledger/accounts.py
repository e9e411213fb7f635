"""The chart of accounts: the tree by category, sub-accounts, names and
dimensions, enabling and disabling, and the account roles."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from zhongshu.core.errors import DomainError
from zhongshu.ledger import chart, services
from zhongshu.ledger.models import Account, AccountCategory, AccountRole
from zhongshu.ledger.selectors import vouchers as ledger_selectors
from zhongshu.web.decorators import company_page, require
from zhongshu.web.forms import show_domain_error
from zhongshu.web.forms_ledger import (
    CATEGORY_TABS,
    AccountRoleForm,
    AddAccountForm,
    EditAccountForm,
)
from zhongshu.web.http import CompanyPageRequest, acting_user, posted
from zhongshu.web.views.ledger.common import (
    MANAGE_ACCOUNTS,
    VIEW,
    account_choices,
    account_names,
    books,
    done,
    may,
    report_error,
)


@dataclass(frozen=True, slots=True)
class AccountRow:
    account: Account
    full_name: str


@dataclass(frozen=True, slots=True)
class CategoryTab:
    value: str
    label: str
    count: int
    is_active: bool


@company_page(permission=VIEW)
@require_http_methods(["GET"])
def account_list(request: CompanyPageRequest) -> HttpResponse:
    company = request.company
    books(company)
    accounts = list(ledger_selectors.list_accounts(company))
    category = request.GET.get("category", "")
    if category not in CATEGORY_TABS:
        category = CATEGORY_TABS[0]
    names = account_names(accounts)
    tabs = [
        CategoryTab(
            value=value,
            label=str(AccountCategory(value).label),
            count=sum(1 for a in accounts if a.category == value),
            is_active=value == category,
        )
        for value in CATEGORY_TABS
    ]
    rows = [
        AccountRow(account=a, full_name=names[a.pk].full_name)
        for a in accounts
        if a.category == category
    ]
    return render(
        request,
        "web/ledger/accounts.html",
        {
            "tabs": tabs,
            "rows": rows,
            "category": category,
            "can_manage": may(request, MANAGE_ACCOUNTS),
        },
    )


@company_page(permission=MANAGE_ACCOUNTS)
@require_http_methods(["GET", "POST"])
def account_add(request: CompanyPageRequest) -> HttpResponse:
    company = request.company
    books(company)
    parents = [
        (names.code, names.label)
        for account_id, names in account_names(
            ledger_selectors.list_accounts(company, active_only=True)
        ).items()
    ]
    parents.sort()
    form = AddAccountForm(
        posted(request),
        parents=parents,
        initial={"parent": request.GET.get("parent", "")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            account = services.add_account(
                company=company,
                actor=acting_user(request),
                parent_code=data["parent"],
                code=data["code"],
                name=data["name"],
                dimensions=list(data["dimensions"]),
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            done(request, _("Account %(account)s is added.") % {"account": account})
            return redirect(
                f"{reverse('ledger_accounts')}?category={account.category}"
                f"#account-{account.pk}"
            )
    return render(
        request,
        "web/ledger/account_add.html",
        {"form": form, "scheme": books(company).code_scheme},
    )


@company_page(permission=VIEW)
@require_http_methods(["GET", "POST"])
def account_edit(request: CompanyPageRequest, account_id: int) -> HttpResponse:
    company = request.company
    account = ledger_selectors.get_account(company, account_id)
    form = EditAccountForm(
        posted(request),
        initial={"name": account.name, "dimensions": account.dimensions},
    )
    if request.method == "POST":
        require(request, MANAGE_ACCOUNTS)
        if form.is_valid():
            try:
                services.update_account(
                    account=account,
                    actor=acting_user(request),
                    name=form.cleaned_data["name"],
                    dimensions=list(form.cleaned_data["dimensions"]),
                )
            except DomainError as error:
                show_domain_error(form, error)
            else:
                done(request, _("Account %(code)s is saved.") % {"code": account.code})
                return redirect(
                    f"{reverse('ledger_accounts')}?category={account.category}"
                    f"#account-{account.pk}"
                )
    can_edit = may(request, MANAGE_ACCOUNTS)
    if not can_edit:
        for field in form.fields.values():
            field.disabled = True
    return render(
        request,
        "web/ledger/account_edit.html",
        {"account": account, "form": form, "can_edit": can_edit},
    )


@company_page(permission=MANAGE_ACCOUNTS)
@require_POST
def account_set_active(request: CompanyPageRequest, account_id: int) -> HttpResponse:
    account = ledger_selectors.get_account(request.company, account_id)
    active = request.POST.get("active") == "1"
    try:
        services.set_account_active(
            account=account, actor=acting_user(request), active=active
        )
    except DomainError as error:
        report_error(request, error)
        return redirect("ledger_account", account_id=account.pk)
    message = (
        _("Account %(account)s is enabled.")
        if active
        else _("Account %(account)s is disabled.")
    )
    done(request, message % {"account": account})
    return redirect(
        f"{reverse('ledger_accounts')}?category={account.category}#account-{account.pk}"
    )


@dataclass(frozen=True, slots=True)
class RoleRow:
    role: AccountRole
    label: str
    account_label: str
    form: AccountRoleForm


def _role_rows(
    request: CompanyPageRequest, failed: AccountRoleForm | None
) -> list[RoleRow]:
    company = request.company
    choices = account_choices(company, leaves_only=True, active_only=True)
    names = account_names(ledger_selectors.list_accounts(company))
    rows = []
    for role in ledger_selectors.list_account_roles(company):
        key = (role.role, role.key_kind, role.key_id)
        form = (
            failed
            if failed is not None and _form_key(failed) == key
            else AccountRoleForm(
                accounts=choices,
                initial={
                    "role": role.role,
                    "key_kind": role.key_kind,
                    "key_id": role.key_id,
                    "account": role.account_id,
                },
                auto_id=f"id_role_{role.pk}_%s",
            )
        )
        rows.append(
            RoleRow(
                role=role,
                label=chart.role_label(role.role),
                account_label=names[role.account_id].label,
                form=form,
            )
        )
    return rows


def _form_key(form: AccountRoleForm) -> tuple[str, str, int]:
    data = form.data
    return (
        str(data.get("role", "")),
        str(data.get("key_kind", "")),
        int(data.get("key_id") or 0),
    )


@company_page(permission=VIEW)
@require_http_methods(["GET", "POST"])
def account_roles(request: CompanyPageRequest) -> HttpResponse:
    company = request.company
    books(company)
    failed: AccountRoleForm | None = None
    if request.method == "POST":
        require(request, MANAGE_ACCOUNTS)
        form = AccountRoleForm(
            request.POST,
            accounts=account_choices(company, leaves_only=True, active_only=True),
        )
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.set_account_role(
                    company=company,
                    actor=acting_user(request),
                    role=data["role"],
                    account=ledger_selectors.get_account(company, data["account"]),
                    key_kind=data["key_kind"] or "",
                    key_id=data["key_id"] or 0,
                )
            except DomainError as error:
                show_domain_error(form, error)
            else:
                done(
                    request,
                    _("The account of %(role)s is saved.")
                    % {"role": chart.role_label(data["role"])},
                )
                return redirect("ledger_account_roles")
        failed = form
    return render(
        request,
        "web/ledger/account_roles.html",
        {
            "rows": _role_rows(request, failed),
            "can_edit": may(request, MANAGE_ACCOUNTS),
        },
    )
