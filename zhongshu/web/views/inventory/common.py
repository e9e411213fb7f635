"""What inventory's pages share: permissions, the company's warehouses and
categories as choices, date ranges, and the links every figure drills to."""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest
from django.urls import reverse

from zhongshu.catalog.models import Category
from zhongshu.catalog.selectors import products as catalog
from zhongshu.core import clock, refs
from zhongshu.core.models import Company
from zhongshu.inventory import permissions, selectors
from zhongshu.web.decorators import can
from zhongshu.web.http import CompanyPageRequest

VIEW = permissions.VIEW_INVENTORY.code
MOVE = permissions.MOVE_STOCK.code
MANAGE = permissions.MANAGE_INVENTORY.code


def may(request: CompanyPageRequest, permission: str) -> bool:
    """Whether to offer a write: permitted and the company is writable."""
    return can(request, permission) and not request.company_read_only


def done(request: HttpRequest, message: str) -> None:
    messages.success(request, message)


def warehouse_choices(
    company: Company, *, active_only: bool = True, blank: str | None = None
) -> list[tuple[str, str]]:
    rows = [
        (str(w.pk), f"{w.code} {w.name}")
        for w in selectors.list_warehouses(
            company, active=True if active_only else None
        )
    ]
    return [("", blank), *rows] if blank is not None else rows


def category_choices(company: Company, blank: str) -> list[tuple[str, str]]:
    return [("", blank)] + [
        (str(node.category.pk), node.path) for node in catalog.category_tree(company)
    ]


def chosen_category(company: Company, value: str | int | None) -> Category | None:
    if not value:
        return None
    return catalog.get_category(company, int(value))


def month_range(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    last = calendar.monthrange(day.year, day.month)[1]
    return day.replace(day=1), day.replace(day=last)


def this_month() -> tuple[datetime.date, datetime.date]:
    return month_range(clock.today())


def stock_ledger_url(
    product_code: str,
    date_from: datetime.date,
    date_to: datetime.date,
    warehouse_id: int | None = None,
) -> str:
    """The drill-down target of a product's figure: its 出入库流水."""
    query: dict[str, str | int] = {
        "product": product_code,
        "date_from": date_from.isoformat(),
        "date_to": date_to.isoformat(),
    }
    if warehouse_id is not None:
        query["warehouse"] = warehouse_id
    return f"{reverse('inventory_stock_ledger')}?{urlencode(query)}"


def year_to_date() -> tuple[datetime.date, datetime.date]:
    today = clock.today()
    return today.replace(month=1, day=1), today


@dataclass(frozen=True, slots=True)
class SourceLink:
    label: str
    url: str


def source_link(kind: str, source_id: int) -> SourceLink:
    """A document a move or an adjustment came from, as a link when its
    module registered where it is shown."""
    described = refs.describe(kind)
    if described is None:
        return SourceLink(f"{kind} #{source_id}", "")
    return SourceLink(f"{described.label} #{source_id}", described.url(source_id))
