"""Goods receipts (采购入库) against an order and purchase returns (采购退货)
against a receipt: the quantity forms and the document pages with their
vouchers."""

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
from zhongshu.purchasing import services
from zhongshu.purchasing.models import (
    GoodsReceipt,
    GoodsReceiptLine,
    OrderState,
    PurchaseOrder,
    PurchaseOrderLine,
)
from zhongshu.purchasing.selectors import documents, links
from zhongshu.purchasing.services import common as kinds
from zhongshu.web.decorators import company_page
from zhongshu.web.http import CompanyPageRequest, acting_user, posted
from zhongshu.web.views.purchasing.common import RECEIVE, VIEW
from zhongshu.web.views.purchasing.forms import (
    QuantityFormSet,
    ReceiveForm,
    ReturnForm,
)
from zhongshu.web.views.sales.common import done, failed, may, plain, voucher_links
from zhongshu.web.views.sales.lines import place_error


@dataclass(frozen=True, slots=True)
class Row:
    """A line offered to receive or return, what is left of it, its form."""

    line: Any
    left: Decimal
    form: Any


def _left_to_receive(line: PurchaseOrderLine) -> Decimal:
    return line.base_quantity - line.received_quantity


def _left_to_return(line: GoodsReceiptLine) -> Decimal:
    return line.base_quantity - line.returned_quantity


def _filled(forms: list[Any]) -> list[Any]:
    return [form for form in forms if form.cleaned_data.get("quantity")]


# --- receiving an order --------------------------------------------------------------


@company_page(permission=RECEIVE)
@require_http_methods(["GET", "POST"])
def order_receive(request: CompanyPageRequest, purchase_order_id: int) -> HttpResponse:
    """Each open line offered with what is still to come (base units)."""
    order = documents.get_order(request.company, purchase_order_id)
    if order.state != OrderState.CONFIRMED:
        failed(request, _("Only a confirmed purchase order can be received."))
        return redirect("purchasing_order", order.pk)
    open_lines = [line for line in order.lines.all() if _left_to_receive(line) > 0]
    header = ReceiveForm(posted(request), initial={"date": clock.today()})
    formset = QuantityFormSet(
        posted(request),
        prefix="lines",
        initial=[
            {"line": line.pk, "quantity": plain(_left_to_receive(line))}
            for line in open_lines
        ],
    )
    if request.method == "POST" and header.is_valid() and formset.is_valid():
        receipt = _receive(request, order, header, formset.forms)
        if receipt is not None:
            done(
                request,
                _("Goods receipt %(number)s is made.") % {"number": receipt.number},
            )
            return redirect("purchasing_receipt", receipt.pk)
    return render(
        request,
        "web/purchasing/receive.html",
        {
            "order": order,
            "header": header,
            "formset": formset,
            "rows": [
                Row(line, _left_to_receive(line), form)
                for line, form in zip(open_lines, formset.forms, strict=False)
            ],
        },
        status=422 if request.method == "POST" else 200,
    )


def _receive(
    request: CompanyPageRequest,
    order: PurchaseOrder,
    header: ReceiveForm,
    forms: list[Any],
) -> GoodsReceipt | None:
    lines_by_id = {line.pk: line for line in order.lines.all()}
    filled = _filled(forms)
    if not filled:
        header.add_error(None, _("Enter the quantity of at least one line."))
        return None
    data = []
    for form in filled:
        line = lines_by_id.get(form.cleaned_data["line"])
        if line is None:
            form.add_error(None, _("The line is not on this order."))
            return None
        data.append(
            services.ReceiptLineData(
                order_line=line, quantity=form.cleaned_data["quantity"]
            )
        )
    try:
        return services.receive_goods(
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
def receipt_detail(request: CompanyPageRequest, goods_receipt_id: int) -> HttpResponse:
    company = request.company
    receipt = documents.get_receipt(company, goods_receipt_id)
    lines = list(receipt.lines.all())
    return render(
        request,
        "web/purchasing/receipt.html",
        {
            "document": receipt,
            "lines": lines,
            "returns": list(links.receipt_returns(company, receipt.pk)),
            "vouchers": voucher_links(company, kinds.RECEIPT_KIND, receipt.pk),
            "can_return": may(request, RECEIVE)
            and any(_left_to_return(line) > 0 for line in lines),
        },
    )


# --- returns --------------------------------------------------------------------------


@company_page(permission=RECEIVE)
@require_http_methods(["GET", "POST"])
def receipt_return(request: CompanyPageRequest, goods_receipt_id: int) -> HttpResponse:
    receipt = documents.get_receipt(request.company, goods_receipt_id)
    open_lines = [line for line in receipt.lines.all() if _left_to_return(line) > 0]
    header = ReturnForm(posted(request), initial={"date": clock.today()})
    formset = QuantityFormSet(
        posted(request),
        prefix="lines",
        initial=[{"line": line.pk} for line in open_lines],
    )
    if request.method == "POST" and header.is_valid() and formset.is_valid():
        purchase_return = _return(request, receipt, header, formset.forms)
        if purchase_return is not None:
            done(
                request,
                _("Return %(number)s is made.") % {"number": purchase_return.number},
            )
            return redirect("purchasing_return", purchase_return.pk)
    return render(
        request,
        "web/purchasing/return_form.html",
        {
            "receipt": receipt,
            "header": header,
            "formset": formset,
            "rows": [
                Row(line, _left_to_return(line), form)
                for line, form in zip(open_lines, formset.forms, strict=False)
            ],
        },
        status=422 if request.method == "POST" else 200,
    )


def _return(
    request: CompanyPageRequest,
    receipt: GoodsReceipt,
    header: ReturnForm,
    forms: list[Any],
) -> Any:
    lines_by_id = {line.pk: line for line in receipt.lines.all()}
    filled = _filled(forms)
    if not filled:
        header.add_error(None, _("Enter the quantity of at least one line."))
        return None
    data = []
    for form in filled:
        line = lines_by_id.get(form.cleaned_data["line"])
        if line is None:
            form.add_error(None, _("The line is not on this receipt."))
            return None
        data.append(
            services.ReturnLineData(
                receipt_line=line, quantity=form.cleaned_data["quantity"]
            )
        )
    try:
        return services.return_goods(
            receipt=receipt,
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
def return_detail(request: CompanyPageRequest, purchase_return_id: int) -> HttpResponse:
    company = request.company
    purchase_return = documents.get_return(company, purchase_return_id)
    return render(
        request,
        "web/purchasing/return.html",
        {
            "document": purchase_return,
            "lines": list(purchase_return.lines.all()),
            "vouchers": voucher_links(company, kinds.RETURN_KIND, purchase_return.pk),
        },
    )
