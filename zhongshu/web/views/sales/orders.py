"""Quotations and sales orders: the entry grid (new and edit, with a live
preview priced by the service's own rule), the document pages and their
actions — convert a quotation, confirm (with the credit override), cancel
and close an order."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from zhongshu.catalog.selectors import products as catalog
from zhongshu.core import clock
from zhongshu.core.errors import ConflictError, DomainError
from zhongshu.core.models import Company
from zhongshu.sales import services
from zhongshu.sales.models import DocumentState, Quotation, QuotationState, SalesOrder
from zhongshu.sales.selectors import documents
from zhongshu.web.decorators import company_page, require
from zhongshu.web.http import CompanyPageRequest, acting_user, posted
from zhongshu.web.views.sales.common import (
    DELIVER,
    MAX_OFFERED,
    OVERRIDE_CREDIT,
    SELL,
    VIEW,
    customer_label,
    done,
    failed,
    may,
    offered_customers,
    plain,
    voucher_links,
    warehouse_choices,
)
from zhongshu.web.views.sales.flow import flow_panel
from zhongshu.web.views.sales.forms import (
    ConfirmForm,
    ConvertForm,
    DocumentForm,
    LineForm,
    LineFormSet,
)
from zhongshu.web.views.sales.lines import (
    LineError,
    Preview,
    RowPreview,
    order_data,
    place_error,
    preview,
    read_lines,
)

KINDS = ("order", "quotation")


def _kind(value: str) -> str:
    return value if value in KINDS else "order"


def _header_initial(
    company: Company, document: Quotation | SalesOrder | None
) -> dict[str, Any]:
    if document is None:
        settings = services.settings_of(company)
        return {
            "date": clock.today(),
            "prices_include_tax": settings.prices_include_tax,
            "warehouse": settings.default_warehouse_id,
        }
    initial: dict[str, Any] = {
        "customer": customer_label(document.customer),
        "date": document.date,
        "prices_include_tax": document.prices_include_tax,
        "discount": document.discount or "",
        "memo": document.memo,
    }
    if isinstance(document, SalesOrder):
        initial.update(
            warehouse=document.warehouse_id,
            delivery_date=document.delivery_date,
            delivery_address=document.delivery_address,
        )
    else:
        initial["valid_until"] = document.valid_until
    return initial


def _lines_initial(document: Quotation | SalesOrder | None) -> list[dict[str, Any]]:
    if document is None:
        return []
    rows = []
    for line in document.lines.all():
        row: dict[str, Any] = {
            "product": line.product.code,
            "quantity": plain(line.quantity),
            "unit": line.unit.code,
            "unit_price": plain(line.unit_price),
            "discount_rate": plain(line.discount_rate) if line.discount_rate else "",
        }
        warehouse_id = getattr(line, "warehouse_id", None)
        if warehouse_id is not None:
            row["warehouse"] = warehouse_id
        rows.append(row)
    return rows


def _forms(
    request: CompanyPageRequest,
    kind: str,
    document: Quotation | SalesOrder | None,
    data: Any,
) -> tuple[DocumentForm, Any]:
    company = request.company
    warehouses = warehouse_choices(company)
    header = DocumentForm(
        data,
        kind=kind,
        warehouses=warehouses,
        initial=_header_initial(company, document),
    )
    lines = LineFormSet(
        data,
        prefix="lines",
        initial=_lines_initial(document),
        warehouses=warehouses if kind == "order" else None,
    )
    return header, lines


def _products(company: Company) -> Any:
    return (
        catalog.list_products(company, active=True)
        .prefetch_related(None)
        .select_related(None)[:MAX_OFFERED]
    )


def _render_entry(
    request: CompanyPageRequest,
    kind: str,
    document: Quotation | SalesOrder | None,
    header: DocumentForm,
    lines: Any,
) -> HttpResponse:
    company = request.company
    shown = (
        preview(company, header, list(lines.forms), _inclusive(header))
        if header.is_bound
        else _saved_preview(document)
    )
    return render(
        request,
        "web/sales/document_form.html",
        {
            "kind": kind,
            "document": document,
            "header": header,
            "lines": lines,
            "customers": offered_customers(company),
            "products": _products(company),
            "preview": shown,
            "preview_rows": {row.prefix: row for row in shown.rows},
        },
        status=422 if request.method == "POST" else 200,
    )


def _saved_preview(document: Quotation | SalesOrder | None) -> Preview:
    """The document's own figures, before anything is changed."""
    if document is None:
        return Preview()
    return Preview(
        rows=[
            RowPreview(
                prefix=f"lines-{index}",
                product=line.product.name,
                unit=line.unit.code,
                unit_price=line.unit_price,
                amount=line.amount,
            )
            for index, line in enumerate(document.lines.all())
        ],
        net_total=document.net_total,
        tax_total=document.tax_total,
        total=document.total,
        discount=document.discount,
        priced=True,
    )


def _inclusive(header: DocumentForm) -> bool:
    if header.is_bound:
        return header.data.get("prices_include_tax") in ("on", "true", "1")
    return bool(header.initial.get("prices_include_tax"))


def _save(
    request: CompanyPageRequest,
    kind: str,
    document: Quotation | SalesOrder | None,
    header: DocumentForm,
    lines: Any,
) -> Quotation | SalesOrder | None:
    company = request.company
    read = read_lines(company, list(lines.forms))
    if read is None:
        return None
    filled, line_rows = read
    if not filled:
        header.add_error(None, _("Add at least one line."))
        return None
    actor = acting_user(request)
    try:
        data = order_data(company, header, line_rows)
        if kind == "quotation":
            if isinstance(document, Quotation):
                return services.update_quotation(
                    quotation=document, actor=actor, data=data
                )
            return services.create_quotation(company=company, actor=actor, data=data)
        if isinstance(document, SalesOrder):
            return services.update_order(order=document, actor=actor, data=data)
        return services.create_order(company=company, actor=actor, data=data)
    except LineError:
        return None
    except DomainError as error:
        place_error(error, header, filled)
        return None


def _entry(
    request: CompanyPageRequest, kind: str, document: Quotation | SalesOrder | None
) -> HttpResponse:
    header, lines = _forms(request, kind, document, posted(request))
    if request.method == "POST" and header.is_valid() and lines.is_valid():
        saved = _save(request, kind, document, header, lines)
        if saved is not None:
            done(request, _("%(document)s is saved.") % {"document": _name(saved)})
            return redirect(_url(saved))
    return _render_entry(request, kind, document, header, lines)


def _name(document: Quotation | SalesOrder) -> str:
    if document.number:
        return document.number
    if isinstance(document, Quotation):
        return _("Quotation #%(id)d") % {"id": document.pk}
    return _("Draft order #%(id)d") % {"id": document.pk}


def _url(document: Quotation | SalesOrder) -> str:
    if isinstance(document, Quotation):
        return reverse("sales_quotation", args=[document.pk])
    return reverse("sales_order", args=[document.pk])


@company_page(permission=SELL)
@require_http_methods(["GET", "POST"])
def quotation_new(request: CompanyPageRequest) -> HttpResponse:
    return _entry(request, "quotation", None)


@company_page(permission=SELL)
@require_http_methods(["GET", "POST"])
def order_new(request: CompanyPageRequest) -> HttpResponse:
    return _entry(request, "order", None)


@company_page(permission=SELL)
@require_http_methods(["GET", "POST"])
def quotation_edit(request: CompanyPageRequest, quotation_id: int) -> HttpResponse:
    quotation = documents.get_quotation(request.company, quotation_id)
    if quotation.state != QuotationState.DRAFT:
        failed(request, _("Only a draft quotation can be changed."))
        return redirect("sales_quotation", quotation.pk)
    return _entry(request, "quotation", quotation)


@company_page(permission=SELL)
@require_http_methods(["GET", "POST"])
def order_edit(request: CompanyPageRequest, order_id: int) -> HttpResponse:
    order = documents.get_order(request.company, order_id)
    if order.state != DocumentState.DRAFT:
        failed(request, _("Only a draft order can be changed."))
        return redirect("sales_order", order.pk)
    return _entry(request, "order", order)


@company_page(permission=SELL)
@require_POST
def document_preview(request: CompanyPageRequest) -> HttpResponse:
    """The totals panel (and each row's price and amount, out of band) for
    the grid as typed so far; nothing is saved."""
    kind = _kind(request.GET.get("kind", ""))
    header, lines = _forms(request, kind, None, request.POST)
    lines.is_valid()
    result = preview(
        request.company,
        header,
        list(lines.forms),
        request.POST.get("prices_include_tax") in ("on", "true", "1"),
    )
    return render(request, "web/sales/_preview.html", {"preview": result, "oob": True})


@company_page(permission=SELL)
@require_http_methods(["GET"])
def line_row(request: CompanyPageRequest) -> HttpResponse:
    """One empty row of the grid, numbered ``index`` (the add-line button
    and Enter on the last cell ask for it)."""
    kind = _kind(request.GET.get("kind", ""))
    index = request.GET.get("index", "0")
    position = int(index) if index.isdigit() else 0
    warehouses = warehouse_choices(request.company)
    form = LineForm(
        prefix=f"lines-{position}",
        warehouses=warehouses if kind == "order" else None,
        empty_permitted=True,
        use_required_attribute=False,
    )
    return render(
        request,
        "web/sales/_line_row.html",
        {"line": form, "kind": kind, "number": position + 1},
    )


# --- the document pages -------------------------------------------------------------


@company_page(permission=VIEW)
@require_http_methods(["GET"])
def quotation_detail(request: CompanyPageRequest, quotation_id: int) -> HttpResponse:
    company = request.company
    quotation = documents.get_quotation(company, quotation_id)
    draft = quotation.state == QuotationState.DRAFT
    return render(
        request,
        "web/sales/quotation.html",
        {
            "document": quotation,
            "lines": list(quotation.lines.all()),
            "flow": flow_panel(company, "sales.quotation", quotation.pk),
            "can_edit": draft and may(request, SELL),
            "convert_form": ConvertForm(initial={"date": clock.today()}),
        },
    )


def order_page(
    request: CompanyPageRequest,
    order: SalesOrder,
    *,
    confirm_form: ConfirmForm | None = None,
    credit_refused: str = "",
) -> HttpResponse:
    company = request.company
    state = order.state
    lines = list(order.lines.all())
    return render(
        request,
        "web/sales/order.html",
        {
            "document": order,
            "lines": lines,
            "vouchers": voucher_links(company, "sales.order", order.pk),
            "flow": flow_panel(company, "sales.order", order.pk),
            "can_sell": may(request, SELL),
            "can_edit": state == DocumentState.DRAFT and may(request, SELL),
            "can_deliver": state == DocumentState.CONFIRMED
            and may(request, DELIVER)
            and any(line.base_quantity > line.delivered_quantity for line in lines),
            "confirm_form": confirm_form or ConfirmForm(),
            "credit_refused": credit_refused,
            "can_override": may(request, OVERRIDE_CREDIT),
        },
        status=422 if credit_refused else 200,
    )


@company_page(permission=VIEW)
@require_http_methods(["GET"])
def order_detail(request: CompanyPageRequest, order_id: int) -> HttpResponse:
    return order_page(request, documents.get_order(request.company, order_id))


@company_page(permission=VIEW)
@require_POST
def order_confirm(request: CompanyPageRequest, order_id: int) -> HttpResponse:
    order = documents.get_order(request.company, order_id)
    require(request, SELL)
    form = ConfirmForm(request.POST)
    form.is_valid()
    reason = form.cleaned_data.get("override_reason", "")
    if reason and not may(request, OVERRIDE_CREDIT):
        reason = ""
    try:
        confirmed = services.confirm_order(
            order=order, actor=acting_user(request), override_reason=reason
        )
    except ConflictError as error:
        if "credit" in error.fields:
            if reason:
                form.add_error("override_reason", error.message)
            return order_page(
                request, order, confirm_form=form, credit_refused=error.message
            )
        failed(request, error)
    except DomainError as error:
        failed(request, error)
    else:
        done(
            request, _("Order %(number)s is confirmed.") % {"number": confirmed.number}
        )
    return redirect("sales_order", order.pk)


def _order_action(
    request: CompanyPageRequest, order_id: int, action: str
) -> HttpResponse:
    order = documents.get_order(request.company, order_id)
    require(request, SELL)
    actor = acting_user(request)
    try:
        if action == "cancel":
            services.cancel_order(order=order, actor=actor)
            message = _("Order %(number)s is cancelled.")
        else:
            services.close_order(order=order, actor=actor)
            message = _("Order %(number)s is closed.")
    except DomainError as error:
        failed(request, error)
    else:
        done(request, message % {"number": _name(order)})
    return redirect("sales_order", order.pk)


@company_page(permission=VIEW)
@require_POST
def order_cancel(request: CompanyPageRequest, order_id: int) -> HttpResponse:
    return _order_action(request, order_id, "cancel")


@company_page(permission=VIEW)
@require_POST
def order_close(request: CompanyPageRequest, order_id: int) -> HttpResponse:
    return _order_action(request, order_id, "close")


@company_page(permission=VIEW)
@require_POST
def quotation_convert(request: CompanyPageRequest, quotation_id: int) -> HttpResponse:
    """The customer accepted: a draft order with the quotation's lines."""
    quotation = documents.get_quotation(request.company, quotation_id)
    require(request, SELL)
    form = ConvertForm(request.POST)
    day = form.cleaned_data.get("date") if form.is_valid() else None
    try:
        order = services.order_from_quotation(
            quotation=quotation, actor=acting_user(request), date=day
        )
    except DomainError as error:
        failed(request, error)
        return redirect("sales_quotation", quotation.pk)
    done(
        request,
        _("Draft order #%(id)d is made from quotation %(number)s.")
        % {"id": order.pk, "number": _name(quotation)},
    )
    return redirect("sales_order", order.pk)


@company_page(permission=VIEW)
@require_POST
def quotation_cancel(request: CompanyPageRequest, quotation_id: int) -> HttpResponse:
    quotation = documents.get_quotation(request.company, quotation_id)
    require(request, SELL)
    try:
        services.cancel_quotation(quotation=quotation, actor=acting_user(request))
    except DomainError as error:
        failed(request, error)
    else:
        done(request, _("%(document)s is cancelled.") % {"document": _name(quotation)})
    return redirect("sales_quotation", quotation.pk)
