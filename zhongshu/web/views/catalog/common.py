"""What the catalog's pages share: permissions, choices, messages."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest

from zhongshu.catalog import permissions, selectors, services
from zhongshu.catalog.selectors import CategoryNode
from zhongshu.core.models import Company
from zhongshu.web.decorators import can
from zhongshu.web.http import CompanyPageRequest

VIEW = permissions.VIEW_CATALOG.code
MANAGE = permissions.MANAGE_CATALOG.code


def may_manage(request: CompanyPageRequest) -> bool:
    """Whether to offer changes: permitted and the company is writable."""
    return can(request, MANAGE) and not request.company_read_only


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def category_choices(tree: list[CategoryNode]) -> list[tuple[int, str]]:
    """Categories in tree order, indented by depth."""
    return [
        (
            node.category.pk,
            f"{'　' * node.depth}{node.category.code} {node.category.name}",
        )
        for node in tree
    ]


def unit_choices(company: Company) -> list[tuple[int, str]]:
    services.catalog_settings_of(company)  # the default units, on first use
    return [
        (unit.pk, unit.code if unit.code == unit.name else f"{unit.code} {unit.name}")
        for unit in selectors.list_units(company)
    ]


def done(request: HttpRequest, message: str) -> None:
    messages.success(request, message)


def failed(request: HttpRequest, message: str) -> None:
    messages.error(request, message)
