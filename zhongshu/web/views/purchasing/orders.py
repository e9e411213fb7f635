"""Purchase orders: the entry grid (new and edit, with a live preview priced
as the order will be — an empty price is the supplier's), the order page
with each line's progress and the documents that followed, its actions —
confirm, approve, reject, cancel, close, record the supplier's confirmation
— and the order printed to PDF for the supplier."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from zhongshu.core import clock
from zhongshu.core.errors import DomainError
from zhongshu.core.models import Company
from zhongshu.core.money import round_price
from zhongshu.purchasing import exports, services
from zhongshu.purchasing.models import OrderState, PurchaseOrder
from zhongshu.purchasing.selectors import documents, links
from zhongshu.web.decorators import company_page, require
from zhongshu.web.forms import show_domain_error
from zhongshu.web.http import CompanyPageRequest, acting_user, posted
from zhongshu.web.views.purchasing.common import (
    APPROVE,
    BUY,
    INVOICE,
    RECEIVE,
    VIEW,
    offered_products,
    offered_suppliers,
    require_view_or_request,
    supplier_label,
)
from zhongshu.web.views.purchasing.forms import (
    NoteForm,
    OrderForm,
    OrderLineForm,
    OrderLineFormSet,
    RequisitionLineForm,
    SupplierConfirmationForm,
)
from zhongshu.web.views.purchasing.lines import (
    order_data,
    preview,
    read_order_lines,
)
from zhongshu.web.views.sales.common import (
    done,
    failed,
    may,
    plain,
    warehouse_choices,
)
from zhongshu.web.views.sales.lines import LineError, Preview, RowPreview, place_error

CANCELLABLE = (OrderState.DRAFT, OrderState.SUBMITTED, OrderState.CONFIRMED)


def order_name(order: PurchaseOrder) -> str:
    return order.number or _("Draft order #%(id)d") % {"id": order.pk}


def _header_initial(company: Company, order: PurchaseOrder | None) -> dict[str, Any]:
    if order is None:
        settings = services.settings_of(company)
        return {
            "date": clock.today(),
            "prices_include_tax": settings.prices_include_tax,
            "warehouse": settings.default_warehouse_id,
        }
    return {
        "supplier": supplier_label(order.supplier),
        "date": order.date,
        "warehouse": order.warehouse_id,
        "expected_date": order.expected_date,
        "prices_include_tax": order.prices_include_tax,
        "memo": order.memo,
    }


def _lines_initial(order: PurchaseOrder | None) -> list[dict[str, Any]]:
    """The saved lines in the grid, in the base unit (the grid has no unit
    column: a line in another unit is shown as its base quantity)."""
    if order is None:
        return []
    return [
        {
            "product": line.product.code,
            "quantity": plain(line.base_quantity),
            "unit_price": plain(
                round_price(line.unit_price * line.quantity / line.base_quantity)
            ),
            "warehouse": line.warehouse_id,
        }
        for line in order.lines.all()
    ]


def _forms(
    request: CompanyPageRequest, order: PurchaseOrder | None, data: Any
) -> tuple[OrderForm, Any]:
    company = request.company
    warehouses = warehouse_choices(company)
    header = OrderForm(
        data, warehouses=warehouses, initial=_header_initial(company, order)
    )
    lines = OrderLineFormSet(
        data, prefix="lines", initial=_lines_initial(order), warehouses=warehouses
    )
    return header, lines


def _saved_preview(order: PurchaseOrder | None) -> Preview:
    if order is None:
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
            for index, line in enumerate(order.lines.all())
        ],
        net_total=order.net_total,
        tax_total=order.tax_total,
        total=order.total,
        priced=True,
    )


def _render_entry(
    request: CompanyPageRequest,
    order: PurchaseOrder | None,
    header: OrderForm,
    lines: Any,
) -> HttpResponse:
    company = request.company
    shown = (
        preview(company, header, list(lines.forms))
        if header.is_bound
        else _saved_preview(order)
    )
    return render(
        request,
        "web/purchasing/order_form.html",
        {
            "document": order,
            "header": header,
            "lines": lines,
            "kind": "order",
            "suppliers": offered_suppliers(company),
            "products": offered_products(company),
            "preview": shown,
            "preview_rows": {row.prefix: row for row in shown.rows},
        },
        status=422 if request.method == "POST" else 200,
    )


def _save(
    request: CompanyPageRequest,
    order: PurchaseOrder | None,
    header: OrderForm,
    lines: Any,
) -> PurchaseOrder | None:
    company = request.company
    read = read_order_lines(company, list(lines.forms))
    if read is None:
        return None
    filled, rows = read
    if not filled:
        header.add_error(None, _("Add at least one line."))
        return None
    actor = acting_user(request)
    try:
        data = order_data(company, header, rows)
        if order is not None:
            return services.update_order(order=order, actor=actor, data=data)
        return services.create_order(company=company, actor=actor, data=data)
    except LineError:
        return None
    except DomainError as error:
        place_error(error, header, filled)
        return None


def _entry(request: CompanyPageRequest, order: PurchaseOrder | None) -> HttpResponse:
    header, lines = _forms(request, order, posted(request))
    if request.method == "POST" and header.is_valid() and lines.is_valid():
        saved = _save(request, order, header, lines)
        if saved is not None:
            done(request, _("%(document)s is saved.") % {"document": order_name(saved)})
            return redirect("purchasing_order", saved.pk)
    return _render_entry(request, order, header, lines)


@company_page(permission=BUY)
@require_http_methods(["GET", "POST"])
def order_new(request: CompanyPageRequest) -> HttpResponse:
    return _entry(request, None)


@company_page(permission=BUY)
@require_http_methods(["GET", "POST"])
def order_edit(request: CompanyPageRequest, purchase_order_id: int) -> HttpResponse:
    order = documents.get_order(request.company, purchase_order_id)
    if order.state != OrderState.DRAFT:
        failed(request, _("Only a draft purchase order can be changed."))
        return redirect("purchasing_order", order.pk)
    return _entry(request, order)


@company_page(permission=BUY)
@require_POST
def order_preview(request: CompanyPageRequest) -> HttpResponse:
    """The totals panel (and each row's price and amount, out of band) for
    the grid as typed so far; nothing is saved."""
    header, lines = _forms(request, None, request.POST)
    lines.is_valid()
    result = preview(request.company, header, list(lines.forms))
    return render(request, "web/sales/_preview.html", {"preview": result, "oob": True})


@company_page()
@require_safe
def line_row(request: CompanyPageRequest) -> HttpResponse:
    """One empty row of a grid (``kind`` order or requisition), numbered
    ``index`` (the add-line button and Enter on the last cell ask for it)."""
    require_view_or_request(request)
    kind = "requisition" if request.GET.get("kind") == "requisition" else "order"
    index = request.GET.get("index", "0")
    position = int(index) if index.isdigit() else 0
    form_class = RequisitionLineForm if kind == "requisition" else OrderLineForm
    form = form_class(
        prefix=f"lines-{position}",
        warehouses=warehouse_choices(request.company) if kind == "order" else None,
        empty_permitted=True,
        use_required_attribute=False,
    )
    return render(
        request,
        f"web/purchasing/_{kind}_row.html",
        {"line": form, "kind": kind, "number": position + 1},
    )


# --- the order page -----------------------------------------------------------------


def order_page(
    request: CompanyPageRequest,
    order: PurchaseOrder,
    *,
    confirmation_form: SupplierConfirmationForm | None = None,
) -> HttpResponse:
    company = request.company
    state = order.state
    lines = list(order.lines.all())
    receipts = list(links.order_receipts(company, order.pk))
    confirmed = state == OrderState.CONFIRMED
    return render(
        request,
        "web/purchasing/order.html",
        {
            "document": order,
            "lines": lines,
            "receipts": receipts,
            "invoices": list(links.order_invoices(company, order.pk)),
            "can_edit": state == OrderState.DRAFT and may(request, BUY),
            "can_confirm": state == OrderState.DRAFT and may(request, BUY),
            "can_decide": state == OrderState.SUBMITTED and may(request, APPROVE),
            "can_cancel": state in CANCELLABLE and not receipts and may(request, BUY),
            "can_close": confirmed and may(request, BUY),
            "can_receive": confirmed
            and may(request, RECEIVE)
            and any(line.base_quantity > line.received_quantity for line in lines),
            "can_invoice": state in (OrderState.CONFIRMED, OrderState.DONE)
            and may(request, INVOICE),
            "can_record_confirmation": confirmed and may(request, BUY),
            "confirmation_form": confirmation_form
            or SupplierConfirmationForm(
                None, lines=lines, initial={"reference": order.supplier_reference}
            ),
            "reject_form": NoteForm(),
        },
        status=422 if confirmation_form is not None else 200,
    )


@company_page(permission=VIEW)
@require_http_methods(["GET"])
def order_detail(request: CompanyPageRequest, purchase_order_id: int) -> HttpResponse:
    return order_page(request, documents.get_order(request.company, purchase_order_id))


def _act(request: CompanyPageRequest, order_id: int, permission: str) -> PurchaseOrder:
    order = documents.get_order(request.company, order_id)
    require(request, permission)
    return order


@company_page(permission=VIEW)
@require_POST
def order_confirm(request: CompanyPageRequest, purchase_order_id: int) -> HttpResponse:
    order = _act(request, purchase_order_id, BUY)
    try:
        sent = services.confirm_order(order=order, actor=acting_user(request))
    except DomainError as error:
        failed(request, error)
    else:
        if sent.state == OrderState.SUBMITTED:
            done(
                request,
                _("%(document)s is above the approval threshold and awaits approval.")
                % {"document": order_name(sent)},
            )
        else:
            done(request, _("Order %(number)s is confirmed.") % {"number": sent.number})
    return redirect("purchasing_order", order.pk)


@company_page(permission=VIEW)
@require_POST
def order_approve(request: CompanyPageRequest, purchase_order_id: int) -> HttpResponse:
    order = _act(request, purchase_order_id, APPROVE)
    try:
        approved = services.approve_order(order=order, actor=acting_user(request))
    except DomainError as error:
        failed(request, error)
    else:
        done(
            request,
            _("Order %(number)s is approved and confirmed.")
            % {"number": approved.number},
        )
    return redirect("purchasing_order", order.pk)


@company_page(permission=VIEW)
@require_POST
def order_reject(request: CompanyPageRequest, purchase_order_id: int) -> HttpResponse:
    order = _act(request, purchase_order_id, APPROVE)
    form = NoteForm(request.POST)
    reason = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.reject_order(order=order, actor=acting_user(request), reason=reason)
    except DomainError as error:
        failed(request, error)
    else:
        done(
            request,
            _("%(document)s is rejected and back in draft.")
            % {"document": order_name(order)},
        )
    return redirect("purchasing_order", order.pk)


def _order_action(
    request: CompanyPageRequest, order_id: int, action: str
) -> HttpResponse:
    order = _act(request, order_id, BUY)
    actor = acting_user(request)
    try:
        if action == "cancel":
            services.cancel_order(order=order, actor=actor)
            message = _("%(document)s is cancelled.")
        else:
            services.close_order(order=order, actor=actor)
            message = _("%(document)s is closed.")
    except DomainError as error:
        failed(request, error)
    else:
        done(request, message % {"document": order_name(order)})
    return redirect("purchasing_order", order.pk)


@company_page(permission=VIEW)
@require_POST
def order_cancel(request: CompanyPageRequest, purchase_order_id: int) -> HttpResponse:
    return _order_action(request, purchase_order_id, "cancel")


@company_page(permission=VIEW)
@require_POST
def order_close(request: CompanyPageRequest, purchase_order_id: int) -> HttpResponse:
    return _order_action(request, purchase_order_id, "close")


@company_page(permission=VIEW)
@require_POST
def order_supplier_confirmation(
    request: CompanyPageRequest, purchase_order_id: int
) -> HttpResponse:
    """The supplier confirmed the order: its reference and a date per line."""
    order = _act(request, purchase_order_id, BUY)
    lines = list(order.lines.all())
    form = SupplierConfirmationForm(request.POST, lines=lines)
    if not form.is_valid():
        return order_page(request, order, confirmation_form=form)
    dates = form.dates()
    try:
        services.record_supplier_confirmation(
            order=order,
            actor=acting_user(request),
            dates=dates,
            reference=form.cleaned_data["reference"],
        )
    except DomainError as error:
        _place_dates(error, form, dates)
        return order_page(request, order, confirmation_form=form)
    done(
        request,
        _("The supplier's confirmation of %(document)s is recorded.")
        % {"document": order_name(order)},
    )
    return redirect("purchasing_order", order.pk)


def _place_dates(
    error: DomainError, form: SupplierConfirmationForm, dates: list[Any]
) -> None:
    """``dates.1.date`` names the second date filled in."""
    rest = {}
    for key, messages in error.fields.items():
        parts = key.split(".")
        if len(parts) == 3 and parts[1].isdigit() and int(parts[1]) < len(dates):
            name = f"line_{dates[int(parts[1])][0]}"
            for message in messages:
                form.add_error(name, str(message))
        else:
            rest[key] = messages
    if rest or not error.fields:
        show_domain_error(form, DomainError(error.message, fields=rest))


@company_page(permission=VIEW)
@require_safe
def order_pdf(request: CompanyPageRequest, purchase_order_id: int) -> HttpResponse:
    """The order as the supplier gets it, shown in the browser to print."""
    order = documents.get_order(request.company, purchase_order_id)
    name = f"purchase-order-{order.number or order.pk}.pdf"
    response = HttpResponse(
        exports.order_pdf(order), content_type=exports.PDF_CONTENT_TYPE
    )
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response
