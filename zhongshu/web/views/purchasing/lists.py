"""The purchasing document lists: requisitions, orders, goods receipts,
returns, supplier invoices and payments, each with its filters (text,
supplier, state, dates, warehouse) kept in the address so a search can be
bookmarked; and the match exceptions waiting for a buyer, oldest first."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from zhongshu.core.models import Company
from zhongshu.purchasing.models import InvoiceState, OrderState, RequisitionState
from zhongshu.purchasing.selectors import documents
from zhongshu.web.decorators import company_page
from zhongshu.web.http import CompanyPageRequest
from zhongshu.web.views.purchasing.common import (
    BUY,
    INVOICE,
    PAY,
    REQUEST,
    VIEW,
    find_supplier,
    offered_suppliers,
    require_view_or_request,
)
from zhongshu.web.views.purchasing.forms import DocumentFilterForm
from zhongshu.web.views.sales.common import (
    PER_PAGE,
    is_htmx,
    may,
    warehouse_choices,
)

TEMPLATE = "web/purchasing/list.html"


@dataclass(frozen=True, slots=True)
class ListSpec:
    """What differs between the lists."""

    name: str
    title: Promise
    description: Promise
    rows: Callable[[Company, documents.DocumentFilter], QuerySet[Any]]
    states: list[tuple[str, Any]] | None
    has_supplier: bool = True
    has_warehouse: bool = False
    new_url: str = ""
    new_label: Promise | str = ""
    new_permission: str = ""


SPECS = {
    "requisitions": ListSpec(
        "requisitions",
        _("Purchase requisitions"),
        _("Requests for goods, approved above the threshold, then ordered."),
        documents.requisitions,
        list(RequisitionState.choices),
        has_supplier=False,
        has_warehouse=True,
        new_url="purchasing_requisition_new",
        new_label=_("New requisition"),
        new_permission=REQUEST,
    ),
    "orders": ListSpec(
        "orders",
        _("Purchase orders"),
        _("Orders sent to suppliers, with what came in and what was billed."),
        documents.orders,
        list(OrderState.choices),
        has_warehouse=True,
        new_url="purchasing_order_new",
        new_label=_("New purchase order"),
        new_permission=BUY,
    ),
    "receipts": ListSpec(
        "receipts",
        _("Goods receipts"),
        _("Goods in at the order price, owed as an estimate until invoiced."),
        documents.receipts,
        None,
        has_warehouse=True,
    ),
    "returns": ListSpec(
        "returns",
        _("Purchase returns"),
        _("Goods sent back to suppliers at the cost they came in at."),
        documents.returns,
        None,
    ),
    "invoices": ListSpec(
        "invoices",
        _("Supplier invoices"),
        _("Invoices matched against orders and receipts, posted to payables."),
        documents.invoices,
        list(InvoiceState.choices),
        new_url="purchasing_invoice_new",
        new_label=_("Enter an invoice"),
        new_permission=INVOICE,
    ),
    "payments": ListSpec(
        "payments",
        _("Supplier payments"),
        _("Money paid to suppliers and the items it settled."),
        documents.payments,
        [("prepayment", _("With a prepayment left"))],
        new_url="purchasing_payment_new",
        new_label=_("Record a payment"),
        new_permission=PAY,
    ),
}


def _filter(company: Company, form: DocumentFilterForm) -> documents.DocumentFilter:
    """The selector's filter; an invalid field (a stale link) filters on
    nothing rather than failing."""
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    supplier_text = data.get("supplier") or ""
    supplier = find_supplier(company, supplier_text) if supplier_text else None
    return documents.DocumentFilter(
        q=data.get("q") or "",
        # A supplier that does not exist matches nothing.
        supplier_id=(supplier.pk if supplier else 0) if supplier_text else None,
        state=data.get("state") or "",
        date_from=data.get("date_from"),
        date_to=data.get("date_to"),
        warehouse_id=data.get("warehouse"),
    )


def _list(request: CompanyPageRequest, spec: ListSpec) -> HttpResponse:
    company = request.company
    form = DocumentFilterForm(
        request.GET or None,
        has_supplier=spec.has_supplier,
        states=spec.states,
        warehouses=warehouse_choices(company) if spec.has_warehouse else None,
    )
    rows = spec.rows(company, _filter(company, form))
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        f"{TEMPLATE}#results" if is_htmx(request) else TEMPLATE,
        {
            "spec": spec,
            "form": form,
            "page": page,
            "suppliers": offered_suppliers(company) if spec.has_supplier else [],
            "can_add": bool(spec.new_url) and may(request, spec.new_permission),
        },
    )


@company_page()
@require_safe
def requisition_list(request: CompanyPageRequest) -> HttpResponse:
    require_view_or_request(request)
    return _list(request, SPECS["requisitions"])


@company_page(permission=VIEW)
@require_safe
def order_list(request: CompanyPageRequest) -> HttpResponse:
    return _list(request, SPECS["orders"])


@company_page(permission=VIEW)
@require_safe
def receipt_list(request: CompanyPageRequest) -> HttpResponse:
    return _list(request, SPECS["receipts"])


@company_page(permission=VIEW)
@require_safe
def return_list(request: CompanyPageRequest) -> HttpResponse:
    return _list(request, SPECS["returns"])


@company_page(permission=VIEW)
@require_safe
def invoice_list(request: CompanyPageRequest) -> HttpResponse:
    return _list(request, SPECS["invoices"])


@company_page(permission=VIEW)
@require_safe
def payment_list(request: CompanyPageRequest) -> HttpResponse:
    return _list(request, SPECS["payments"])


@company_page(permission=VIEW)
@require_safe
def exception_list(request: CompanyPageRequest) -> HttpResponse:
    """The invoices that did not match, oldest first, each line's reason."""
    rows = documents.exceptions(request.company)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    template = "web/purchasing/exceptions.html"
    return render(
        request, f"{template}#results" if is_htmx(request) else template, {"page": page}
    )
