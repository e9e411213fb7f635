"""What the partners pages (customers and suppliers) share: permissions,
choices, messages."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest

from zhongshu.core.models import Company
from zhongshu.partners import permissions, regions, selectors
from zhongshu.web.decorators import can
from zhongshu.web.http import CompanyPageRequest

VIEW = permissions.VIEW_PARTNERS.code
MANAGE = permissions.MANAGE_PARTNERS.code
MANAGE_SUPPLIERS = permissions.MANAGE_SUPPLIERS.code


def may_manage(request: CompanyPageRequest) -> bool:
    """Whether to offer changes: permitted and the company is writable."""
    return can(request, MANAGE) and not request.company_read_only


def may_manage_suppliers(request: CompanyPageRequest) -> bool:
    return can(request, MANAGE_SUPPLIERS) and not request.company_read_only


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def province_choices() -> list[tuple[str, str]]:
    return [(p.code, p.name) for p in regions.provinces().values()]


def category_choices(company: Company) -> list[tuple[int, str]]:
    return [
        (c.pk, f"{c.code} {c.name}")
        for c in selectors.list_customer_categories(company)
    ]


def salesperson_choices(company: Company) -> list[tuple[int, str]]:
    return [
        (user.pk, user.get_full_name() or user.username)
        for user in selectors.list_salespeople(company)
    ]


def done(request: HttpRequest, message: str) -> None:
    messages.success(request, message)


def failed(request: HttpRequest, message: str) -> None:
    messages.error(request, message)
