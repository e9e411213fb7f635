"""Deliveries (销售出库) from an order, returns (销售退货) against a
delivery, and sales invoices (开票确认收入) of a customer's deliveries: the
forms and the document pages."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from zhongshu.core import clock
from zhongshu.core.errors import DomainError
from zhongshu.core.money import round_quantity
from zhongshu.inventory import selectors as inventory_selectors
from zhongshu.sales import services
from zhongshu.sales.models import (
    DeliveryLine,
    DocumentState,
    RevenueRecognition,
    SalesOrderLine,
)
from zhongshu.sales.selectors import documents
from zhongshu.web.decorators import company_page
from zhongshu.web.forms import show_domain_error
from zhongshu.web.http import CompanyPageRequest, acting_user, posted
from zhongshu.web.views.sales.common import (
    DELIVER,
    INVOICE,
    VIEW,
    customer_label,
    done,
    failed,
    find_customer,
    may,
    offered_customers,
    plain,
    voucher_links,
    warehouse_choices,
)
from zhongshu.web.views.sales.flow import flow_panel
from zhongshu.web.views.sales.forms import (
    DateMemoForm,
    InvoiceForm,
    QuantityFormSet,
    ReturnForm,
)
from zhongshu.web.views.sales.lines import place_error

ZERO = Decimal("0")


@dataclass(frozen=True, slots=True)
class Row:
    """A line offered for delivery or return, with its form."""

    line: Any
    left: Decimal
    form: Any


def _left_in_unit(line: SalesOrderLine) -> Decimal:
    """What is still to deliver, in the order line's unit (the unit the
    delivery form asks in)."""
    left = line.base_quantity - line.delivered_quantity
    if line.base_quantity == line.quantity:
        return left
    return round_quantity(left * line.quantity / line.base_quantity, line.unit.places)


# --- delivering an order -------------------------------------------------------------


@company_page(permission=DELIVER)
@require_http_methods(["GET", "POST"])
def order_deliver(request: CompanyPageRequest, order_id: int) -> HttpResponse:
    company = request.company
    order = documents.get_order(company, order_id)
    if order.state != DocumentState.CONFIRMED:
        failed(request, _("Only a confirmed order can be delivered."))
        return redirect("sales_order", order.pk)
    open_lines = [
        line
        for line in order.lines.all()
        if line.base_quantity > line.delivered_quantity
    ]
    header = DateMemoForm(posted(request), initial={"date": clock.today()})
    formset = QuantityFormSet(
        posted(request),
        prefix="lines",
        initial=[
            {
                "line": line.pk,
                "quantity": plain(_left_in_unit(line)),
                "warehouse": line.warehouse_id,
            }
            for line in open_lines
        ],
        warehouses=warehouse_choices(company),
    )
    if request.method == "POST" and header.is_valid() and formset.is_valid():
        delivery = _deliver(request, order, header, formset.forms)
        if delivery is not None:
            done(
                request,
                _("Delivery %(number)s is made.") % {"number": delivery.number},
            )
            return redirect("sales_delivery", delivery.pk)
    rows = [
        Row(line, _left_in_unit(line), form)
        for line, form in zip(open_lines, formset.forms, strict=False)
    ]
    return render(
        request,
        "web/sales/deliver.html",
        {
            "order": order,
            "header": header,
            "formset": formset,
            "rows": rows,
        },
        status=422 if request.method == "POST" else 200,
    )


def _deliver(
    request: CompanyPageRequest, order: Any, header: DateMemoForm, forms: list[Any]
) -> Any:
    company = request.company
    lines_by_id = {line.pk: line for line in order.lines.all()}
    filled = [f for f in forms if f.cleaned_data.get("quantity")]
    if not filled:
        header.add_error(None, _("Enter the quantity of at least one line."))
        return None
    data = []
    for form in filled:
        line = lines_by_id.get(form.cleaned_data["line"])
        if line is None:
            form.add_error(None, _("The line is not on this order."))
            return None
        warehouse_id = form.cleaned_data.get("warehouse")
        data.append(
            services.DeliveryLineData(
                order_line=line,
                quantity=form.cleaned_data["quantity"],
                warehouse=(
                    inventory_selectors.get_warehouse(company, warehouse_id)
                    if warehouse_id
                    else None
                ),
            )
        )
    try:
        return services.deliver(
            order=order,
            actor=acting_user(request),
            date=header.cleaned_data["date"],
            lines=data,
            memo=header.cleaned_data["memo"],
        )
    except DomainError as error:
        place_error(error, header, filled)
        return None


@company_page(permission=VIEW)
@require_http_methods(["GET"])
def delivery_detail(request: CompanyPageRequest, delivery_id: int) -> HttpResponse:
    company = request.company
    delivery = documents.get_delivery(company, delivery_id)
    lines = list(delivery.lines.all())
    return render(
        request,
        "web/sales/delivery.html",
        {
            "document": delivery,
            "lines": lines,
            "vouchers": voucher_links(company, "sales.delivery", delivery.pk),
            "flow": flow_panel(company, "sales.delivery", delivery.pk),
            "can_return": may(request, DELIVER)
            and any(line.base_quantity > line.returned_quantity for line in lines),
        },
    )


# --- returns --------------------------------------------------------------------------


@company_page(permission=DELIVER)
@require_http_methods(["GET", "POST"])
def delivery_return(request: CompanyPageRequest, delivery_id: int) -> HttpResponse:
    company = request.company
    delivery = documents.get_delivery(company, delivery_id)
    open_lines = [
        line
        for line in delivery.lines.all()
        if line.base_quantity > line.returned_quantity
    ]
    header = ReturnForm(posted(request), initial={"date": clock.today()})
    formset = QuantityFormSet(
        posted(request),
        prefix="lines",
        initial=[{"line": line.pk} for line in open_lines],
        warehouses=None,
    )
    if request.method == "POST" and header.is_valid() and formset.is_valid():
        sales_return = _return(request, delivery, header, formset.forms)
        if sales_return is not None:
            done(
                request,
                _("Return %(number)s is made.") % {"number": sales_return.number},
            )
            return redirect("sales_return", sales_return.pk)
    rows = [
        Row(line, line.base_quantity - line.returned_quantity, form)
        for line, form in zip(open_lines, formset.forms, strict=False)
    ]
    return render(
        request,
        "web/sales/return_form.html",
        {"delivery": delivery, "header": header, "formset": formset, "rows": rows},
        status=422 if request.method == "POST" else 200,
    )


def _return(
    request: CompanyPageRequest, delivery: Any, header: ReturnForm, forms: list[Any]
) -> Any:
    lines_by_id: dict[int, DeliveryLine] = {
        line.pk: line for line in delivery.lines.all()
    }
    filled = [f for f in forms if f.cleaned_data.get("quantity")]
    if not filled:
        header.add_error(None, _("Enter the quantity of at least one line."))
        return None
    data = []
    for form in filled:
        line = lines_by_id.get(form.cleaned_data["line"])
        if line is None:
            form.add_error(None, _("The line is not on this delivery."))
            return None
        data.append(
            services.ReturnLineData(
                delivery_line=line, quantity=form.cleaned_data["quantity"]
            )
        )
    try:
        return services.return_goods(
            delivery=delivery,
            actor=acting_user(request),
            date=header.cleaned_data["date"],
            lines=data,
            reason=header.cleaned_data["reason"],
        )
    except DomainError as error:
        place_error(error, header, filled)
        return None


@company_page(permission=VIEW)
@require_http_methods(["GET"])
def return_detail(request: CompanyPageRequest, return_id: int) -> HttpResponse:
    company = request.company
    sales_return = documents.get_return(company, return_id)
    return render(
        request,
        "web/sales/return.html",
        {
            "document": sales_return,
            "lines": list(sales_return.lines.all()),
            "vouchers": voucher_links(company, "sales.return", sales_return.pk),
            "flow": flow_panel(company, "sales.return", sales_return.pk),
        },
    )


# --- invoices -------------------------------------------------------------------------


@company_page(permission=INVOICE)
@require_http_methods(["GET", "POST"])
def invoice_new(request: CompanyPageRequest) -> HttpResponse:
    """Choose a customer, tick the deliveries to bill: only for companies
    that recognise revenue on invoicing."""
    company = request.company
    on_invoice = (
        services.settings_of(company).revenue_recognition
        == RevenueRecognition.ON_INVOICE
    )
    source = request.POST if request.method == "POST" else request.GET
    customer = find_customer(company, source.get("customer", ""))
    to_invoice = (
        list(
            documents.deliveries(
                company,
                documents.DocumentFilter(customer_id=customer.pk, state="to_invoice"),
            )
        )
        if customer is not None and on_invoice
        else []
    )
    form = InvoiceForm(
        posted(request),
        deliveries=[
            (d.pk, f"{d.number} · {d.date:%Y-%m-%d} · {d.total:.2f}")
            for d in to_invoice
        ],
        initial={
            "date": clock.today(),
            "customer": customer_label(customer) if customer else "",
            "deliveries": [d.pk for d in to_invoice],
        },
    )
    if request.method == "POST" and on_invoice and form.is_valid():
        invoice = _invoice(request, form, to_invoice)
        if invoice is not None:
            done(request, _("Invoice %(number)s is made.") % {"number": invoice.number})
            return redirect("sales_invoice", invoice.pk)
    return render(
        request,
        "web/sales/invoice_form.html",
        {
            "form": form,
            "on_invoice": on_invoice,
            "customer": customer,
            "to_invoice": to_invoice,
            "customers": offered_customers(company),
        },
        status=422 if request.method == "POST" else 200,
    )


def _invoice(request: CompanyPageRequest, form: InvoiceForm, offered: list[Any]) -> Any:
    chosen = set(form.cleaned_data["deliveries"])
    deliveries = [d for d in offered if d.pk in chosen]
    try:
        return services.invoice_deliveries(
            company=request.company,
            actor=acting_user(request),
            date=form.cleaned_data["date"],
            deliveries=deliveries,
        )
    except DomainError as error:
        show_domain_error(form, error)
        return None


@company_page(permission=VIEW)
@require_http_methods(["GET"])
def invoice_detail(request: CompanyPageRequest, invoice_id: int) -> HttpResponse:
    company = request.company
    invoice = documents.get_invoice(company, invoice_id)
    return render(
        request,
        "web/sales/invoice.html",
        {
            "document": invoice,
            "deliveries": list(invoice.deliveries.all()),
            "vouchers": voucher_links(company, "sales.invoice", invoice.pk),
            "flow": flow_panel(company, "sales.invoice", invoice.pk),
        },
    )
