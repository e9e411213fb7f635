"""Inventory's reports: 即时库存, 出入库流水, 收发存汇总表 and the valuation
with its reconciliation to the ledger, each with its Excel download. Every
figure links down to the moves behind it (the stock ledger), and every move
to its document and voucher."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.http import HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from zhongshu.catalog.selectors import products as catalog
from zhongshu.core import clock
from zhongshu.core.errors import DomainError, ValidationError
from zhongshu.core.models import Company
from zhongshu.inventory import exports, selectors
from zhongshu.inventory.selectors import OnHandBy
from zhongshu.web.decorators import company_page
from zhongshu.web.forms import show_domain_error
from zhongshu.web.forms_ledger import period_key
from zhongshu.web.http import CompanyPageRequest
from zhongshu.web.views.inventory.common import (
    VIEW,
    category_choices,
    chosen_category,
    source_link,
    stock_ledger_url,
    this_month,
    warehouse_choices,
    year_to_date,
)
from zhongshu.web.views.inventory.forms import (
    MovementSummaryForm,
    OnHandFilterForm,
    StockLedgerForm,
    ValuationForm,
)

PAGE_SIZE = 50
LEDGER_LINES_PER_PAGE = 100


def _wants_excel(request: CompanyPageRequest) -> bool:
    return request.GET.get("format") == "xlsx"


@dataclass(frozen=True, slots=True)
class LinkedRow:
    """A report row and the stock ledger behind its figures."""

    row: Any
    url: str


def _warehouse_id(value: str | None) -> int | None:
    return int(value) if value else None


# --- 即时库存 -------------------------------------------------------------------


@company_page(permission=VIEW)
@require_safe
def on_hand(request: CompanyPageRequest) -> HttpResponse:
    company = request.company
    form = OnHandFilterForm(
        request.GET or None,
        warehouses=warehouse_choices(company, active_only=False, blank="—"),
        categories=category_choices(company, "—"),
    )
    data = form.cleaned_data if form.is_valid() else {}
    warehouse_id = _warehouse_id(data.get("warehouse"))
    filters = {
        "warehouse": selectors.get_warehouse(company, warehouse_id)
        if warehouse_id
        else None,
        "search": data.get("search", ""),
        "category": chosen_category(company, data.get("category")),
        "by": data.get("by") or OnHandBy.WAREHOUSE,
        "include_zero": data.get("include_zero", False),
    }
    if _wants_excel(request):
        everything = selectors.on_hand(company, **filters, page_size=None)
        content = exports.on_hand_xlsx(company, everything)
        return exports.download(content, "on-hand.xlsx")
    report = selectors.on_hand(
        company, **filters, page=_page_number(request), page_size=PAGE_SIZE
    )
    first, last = year_to_date()
    return render(
        request,
        "web/inventory/on_hand.html",
        {
            "form": form,
            "report": report,
            "rows": [
                LinkedRow(
                    row,
                    stock_ledger_url(row.product_code, first, last, row.warehouse_id),
                )
                for row in report.rows
            ],
            "per_warehouse": report.by == OnHandBy.WAREHOUSE,
        },
    )


def _page_number(request: CompanyPageRequest) -> int:
    value = request.GET.get("page", "1")
    return max(int(value), 1) if value.isdigit() else 1


# --- 出入库流水 -----------------------------------------------------------------


@company_page(permission=VIEW)
@require_safe
def stock_ledger(request: CompanyPageRequest) -> HttpResponse:
    company = request.company
    first, last = this_month()
    form = StockLedgerForm(
        request.GET if "product" in request.GET else None,
        warehouses=warehouse_choices(company, active_only=False, blank="—"),
        initial={"date_from": first, "date_to": last},
    )
    report = None
    if form.is_valid():
        try:
            report = _ledger(request, company, form)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            if _wants_excel(request):
                content = exports.stock_ledger_xlsx(company, report)
                return exports.download(content, "stock-ledger.xlsx")
    return render(
        request,
        "web/inventory/stock_ledger.html",
        {
            "form": form,
            "report": report,
            "lines": [
                (line, source_link(line.source_kind, line.source_id))
                for line in (report.lines if report else [])
            ],
            "products": _product_choices(company),
            "previous_offset": _previous(report),
            "next_offset": _next(report),
        },
    )


def _ledger(
    request: CompanyPageRequest, company: Company, form: StockLedgerForm
) -> selectors.StockLedger:
    data = form.cleaned_data
    product = selectors.find_product(company, data["product"].split(" ", 1)[0])
    if product is None:
        message = _("There is no product %(code)s.") % {"code": data["product"]}
        raise ValidationError(message, fields={"product": [message]})
    warehouse_id = _warehouse_id(data.get("warehouse"))
    offset = request.GET.get("offset", "0")
    everything = _wants_excel(request)
    return selectors.stock_ledger(
        company,
        product=product,
        warehouse=selectors.get_warehouse(company, warehouse_id)
        if warehouse_id
        else None,
        date_from=data["date_from"],
        date_to=data["date_to"],
        offset=0 if everything or not offset.isdigit() else int(offset),
        limit=None if everything else LEDGER_LINES_PER_PAGE,
    )


def _previous(report: selectors.StockLedger | None) -> int | None:
    if report is None or report.offset == 0 or report.limit is None:
        return None
    return max(report.offset - report.limit, 0)


def _next(report: selectors.StockLedger | None) -> int | None:
    if report is None or report.limit is None:
        return None
    following = report.offset + report.limit
    return following if following < report.count else None


def _product_choices(company: Company) -> list[tuple[str, str]]:
    return list(
        catalog.list_products(company, active=True)
        .prefetch_related(None)
        .select_related(None)
        .values_list("code", "name")[:1000]
    )


# --- 收发存汇总表 ---------------------------------------------------------------


@company_page(permission=VIEW)
@require_safe
def movement_summary(request: CompanyPageRequest) -> HttpResponse:
    company = request.company
    data = request.GET.copy() if request.GET else None
    if data is None:
        today = clock.today()
        data = _query({"month": f"{today:%Y-%m}"})
    form = MovementSummaryForm(
        data,
        warehouses=warehouse_choices(company, active_only=False, blank="—"),
        categories=category_choices(company, "—"),
    )
    report = None
    if form.is_valid():
        report = _summary(company, form.cleaned_data)
        if _wants_excel(request):
            content = exports.movement_summary_xlsx(company, report)
            return exports.download(content, "movement-summary.xlsx")
    return render(
        request,
        "web/inventory/movement_summary.html",
        {"form": form, "report": report, "rows": _summary_rows(report)},
    )


def _summary_rows(report: selectors.MovementSummary | None) -> list[LinkedRow]:
    if report is None:
        return []
    return [
        LinkedRow(
            row,
            stock_ledger_url(
                row.product_code, report.date_from, report.date_to, row.warehouse_id
            ),
        )
        for row in report.rows
    ]


def _query(values: dict[str, str]) -> QueryDict:
    query = QueryDict(mutable=True)
    query.update(values)
    return query


def _summary(company: Company, data: dict[str, Any]) -> selectors.MovementSummary:
    warehouse_id = _warehouse_id(data.get("warehouse"))
    return selectors.movement_summary(
        company,
        date_from=data["date_from"],
        date_to=data["date_to"],
        warehouse=selectors.get_warehouse(company, warehouse_id)
        if warehouse_id
        else None,
        category=chosen_category(company, data.get("category")),
        by_warehouse=data.get("by_warehouse", False),
    )


# --- valuation and reconciliation -------------------------------------------------


@company_page(permission=VIEW)
@require_safe
def valuation(request: CompanyPageRequest) -> HttpResponse:
    company = request.company
    form = ValuationForm(request.GET or None)
    as_of = form.cleaned_data.get("as_of") if form.is_valid() else None
    report = selectors.valuation(company, as_of=as_of)
    period = selectors.period_containing(company, as_of or clock.today())
    reconciliation = (
        selectors.reconciliation(company, period=period) if period else None
    )
    if _wants_excel(request):
        content = exports.valuation_xlsx(company, report, reconciliation)
        return exports.download(content, "stock-valuation.xlsx")
    return render(
        request,
        "web/inventory/valuation.html",
        {
            "form": form,
            "report": report,
            "lines": [
                LinkedRow(line, _on_hand_url(line.warehouse_id, line.category_id))
                for line in report.lines
            ],
            "reconciliation": reconciliation,
            "account_rows": [
                LinkedRow(row, _account_detail_url(row.account_id, reconciliation))
                for row in (reconciliation.rows if reconciliation else [])
            ],
        },
    )


def _on_hand_url(warehouse_id: int | None, category_id: int | None) -> str:
    query = {
        "warehouse": warehouse_id or "",
        "category": category_id or "",
    }
    return f"{reverse('inventory_on_hand')}?{urlencode(query)}"


def _account_detail_url(
    account_id: int, reconciliation: selectors.Reconciliation | None
) -> str:
    """The ledger side of a reconciliation row: the account's postings in
    the year up to the period."""
    if reconciliation is None:
        return ""
    period = reconciliation.period
    query = {
        "account": account_id,
        "from_period": f"{period.year}-01",
        "to_period": period_key(period),
    }
    return f"{reverse('ledger_account_detail')}?{urlencode(query)}"
