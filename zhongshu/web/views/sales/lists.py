"""The document lists: quotations, orders, deliveries, returns, invoices and
receipts, each with its filters (text, customer, state, dates, warehouse),
pages, and the filter kept in the address so a search can be bookmarked."""

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
from zhongshu.sales.models import DocumentState, QuotationState
from zhongshu.sales.selectors import documents
from zhongshu.web.decorators import company_page
from zhongshu.web.http import CompanyPageRequest
from zhongshu.web.views.sales.common import (
    DELIVER,
    INVOICE,
    PER_PAGE,
    RECEIVE,
    SELL,
    VIEW,
    find_customer,
    is_htmx,
    may,
    offered_customers,
    warehouse_choices,
)
from zhongshu.web.views.sales.forms import DocumentFilterForm


@dataclass(frozen=True, slots=True)
class ListSpec:
    """What differs between the lists."""

    name: str
    title: Promise
    description: Promise
    rows: Callable[[Company, documents.DocumentFilter], QuerySet[Any]]
    states: list[tuple[str, Any]] | None
    has_warehouse: bool
    new_url: str = ""
    new_label: Promise | str = ""
    new_permission: str = ""
    # Batch actions on the ticked rows: (permission, action, label).
    batch_url: str = ""
    batch_actions: tuple[tuple[str, str, Promise], ...] = ()


SPECS = {
    "quotations": ListSpec(
        "quotations",
        _("Quotations"),
        _("Offers to customers, converted to orders when accepted."),
        documents.quotations,
        list(QuotationState.choices),
        False,
        "sales_quotation_new",
        _("New quotation"),
        SELL,
    ),
    "orders": ListSpec(
        "orders",
        _("Sales orders"),
        _("Confirmed orders reserve stock and wait for delivery."),
        documents.orders,
        list(DocumentState.choices),
        True,
        "sales_order_new",
        _("New order"),
        SELL,
        "sales_order_batch",
        (
            (SELL, "confirm", _("Confirm ticked")),
            (DELIVER, "deliver", _("Deliver ticked today")),
        ),
    ),
    "deliveries": ListSpec(
        "deliveries",
        _("Deliveries"),
        _("Goods shipped against orders, with their cost and revenue vouchers."),
        documents.deliveries,
        [("to_invoice", _("To invoice"))],
        True,
        batch_url="sales_delivery_batch",
        batch_actions=((INVOICE, "invoice", _("Invoice ticked today")),),
    ),
    "returns": ListSpec(
        "returns",
        _("Sales returns"),
        _("Goods back from customers, restocked at their original cost."),
        documents.returns,
        None,
        True,
    ),
    "invoices": ListSpec(
        "invoices",
        _("Sales invoices"),
        _("Revenue recognised on invoicing a customer's deliveries."),
        documents.invoices,
        None,
        False,
        "sales_invoice_new",
        _("New invoice"),
        INVOICE,
    ),
    "receipts": ListSpec(
        "receipts",
        _("Receipts"),
        _("Money received from customers and the items it settled."),
        documents.receipts,
        [("advance", _("With an advance left"))],
        False,
        "sales_receipt_new",
        _("New receipt"),
        RECEIVE,
    ),
}


def _filter(company: Company, form: DocumentFilterForm) -> documents.DocumentFilter:
    """The selector's filter; an invalid field (a stale link) filters on
    nothing rather than failing."""
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    customer_text = data.get("customer") or ""
    customer = find_customer(company, customer_text) if customer_text else None
    return documents.DocumentFilter(
        q=data.get("q") or "",
        # A customer that does not exist matches nothing.
        customer_id=(customer.pk if customer else 0) if customer_text else None,
        state=data.get("state") or "",
        date_from=data.get("date_from"),
        date_to=data.get("date_to"),
        warehouse_id=data.get("warehouse"),
    )


def _list(request: CompanyPageRequest, spec: ListSpec) -> HttpResponse:
    company = request.company
    form = DocumentFilterForm(
        request.GET or None,
        states=spec.states,
        warehouses=warehouse_choices(company) if spec.has_warehouse else None,
    )
    rows = spec.rows(company, _filter(company, form))
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    template = "web/sales/list.html"
    return render(
        request,
        f"{template}#results" if is_htmx(request) else template,
        {
            "spec": spec,
            "form": form,
            "page": page,
            "customers": offered_customers(company),
            "can_add": bool(spec.new_url) and may(request, spec.new_permission),
            "batch_actions": [
                (action, label)
                for permission, action, label in spec.batch_actions
                if may(request, permission)
            ],
        },
    )


@company_page(permission=VIEW)
@require_safe
def quotation_list(request: CompanyPageRequest) -> HttpResponse:
    return _list(request, SPECS["quotations"])


@company_page(permission=VIEW)
@require_safe
def order_list(request: CompanyPageRequest) -> HttpResponse:
    return _list(request, SPECS["orders"])


@company_page(permission=VIEW)
@require_safe
def delivery_list(request: CompanyPageRequest) -> HttpResponse:
    return _list(request, SPECS["deliveries"])


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
def receipt_list(request: CompanyPageRequest) -> HttpResponse:
    return _list(request, SPECS["receipts"])
